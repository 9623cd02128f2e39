package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSecondServerRefused runs two real pista serve processes on one
// SQLite file: the second is refused at once with a message naming the
// database and the first server, and starts once the first has stopped.
func TestSecondServerRefused(t *testing.T) {
	bin, db, _ := buildWithToken(t)
	addr := freeAddr(t)
	first := startServer(t, bin, db, addr)
	defer first.Process.Kill()

	second := exec.Command(bin, "serve", "--db", db, "--addr", freeAddr(t))
	var out bytes.Buffer
	second.Stdout, second.Stderr = &out, &out
	done := make(chan error, 1)
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- second.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatalf("the second server exited 0:\n%s", out.String())
		}
	case <-time.After(30 * time.Second):
		second.Process.Kill()
		t.Fatalf("the second server on the same file kept running:\n%s", out.String())
	}
	abs, _ := filepath.Abs(db)
	for _, want := range []string{"another pista serve is already using the database " + abs, "listening on " + addr, "own --db"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the refusal lacks %q:\n%s", want, out.String())
		}
	}
	// The first server still answers, and once it is stopped the file is free.
	if code, _ := get(t, "http://"+addr+"/readyz", nil); code != 200 {
		t.Errorf("first server: /readyz %d", code)
	}
	first.Process.Signal(os.Interrupt)
	first.Wait()
	again := startServer(t, bin, db, freeAddr(t))
	again.Process.Signal(os.Interrupt)
	again.Wait()
}

// TestTokenFromAnotherDatabase: a token created in another folder says
// which database file it went to, and the server that does not know it
// answers "token not found in this database", logging its own path (the
// client is not told where the file is).
func TestTokenFromAnotherDatabase(t *testing.T) {
	bin, serverDB, _ := buildWithToken(t)
	elsewhere := t.TempDir()
	create := exec.Command(bin, "token", "create", "--name", "me", "--role", "admin")
	create.Dir = elsewhere
	var stdout, stderr bytes.Buffer
	create.Stdout, create.Stderr = &stdout, &stderr
	if err := create.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	token := strings.TrimSpace(stdout.String())
	// The message names the absolute path (t.TempDir may be a symlink).
	realElsewhere, _ := filepath.EvalSymlinks(elsewhere)
	if msg := stderr.String(); !strings.Contains(msg, "written to the database "+filepath.Join(realElsewhere, "pista.db")) &&
		!strings.Contains(msg, "written to the database "+filepath.Join(elsewhere, "pista.db")) || !strings.Contains(msg, "created now") {
		t.Errorf("token create says %q; want the database file and that it was created", msg)
	}
	stderr.Reset()
	again := exec.Command(bin, "token", "create", "--name", "me2", "--role", "admin")
	again.Dir, again.Stderr = elsewhere, &stderr
	if err := again.Run(); err != nil || strings.Contains(stderr.String(), "created now") {
		t.Errorf("second token in the same folder: %v %q", err, stderr.String())
	}

	addr := freeAddr(t)
	srv := exec.Command(bin, "serve", "--db", serverDB, "--addr", addr)
	var log syncBuffer
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
	waitReady(t, addr)
	if !strings.Contains(log.String(), "--addr") || !strings.Contains(log.String(), "/login") {
		t.Errorf("serve's first lines do not mention --addr and the web app:\n%s", log.String())
	}
	code, body := get(t, "http://"+addr+"/api/v1/leads", http.Header{"Authorization": {"Bearer " + token}})
	var p struct{ Detail string }
	json.Unmarshal([]byte(body), &p)
	if code != 401 || !strings.HasPrefix(p.Detail, "token not found in this database") {
		t.Errorf("unknown token: %d %s", code, body)
	}
	if strings.Contains(body, serverDB) || strings.Contains(body, filepath.Dir(serverDB)) {
		t.Errorf("the answer shows the server's path to anyone: %s", body)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(log.String(), "token not found in this database") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	abs, _ := filepath.Abs(serverDB)
	if l := log.String(); !strings.Contains(l, "token not found in this database") || !strings.Contains(l, abs) {
		t.Errorf("the server's log does not name its database %s:\n%s", abs, l)
	}
}

// TestExplainStoredLead: the API's text explanation of a stored lead and
// pista explain --lead print the same text, naming the stored definition
// version's lines; bad requests are refused with the parameter named.
func TestExplainStoredLead(t *testing.T) {
	bin, db, token := buildWithToken(t)
	addr := freeAddr(t)
	srv := startServer(t, bin, db, addr)
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
	c := &http.Client{Timeout: 10 * time.Second}
	body := `{"person":{"email":"laura.chen@helixbio.com","first_name":"Laura","last_name":"Chen","seniority":"vp"},
	  "company":{"name":"Helix Biosciences","industry":"life_sciences","revenue":"4.2B USD","country":"US"},
	  "source":{"format":"web_form"},"action":{"type":"price_request"}}`
	if code, b := post(c, addr, token, "explain-1", body); code != 201 {
		t.Fatalf("inquiry: %d %s", code, b)
	}
	auth := http.Header{"Authorization": {"Bearer " + token}}
	code, text := get(t, "http://"+addr+"/api/v1/leads/1/explanation?format=text", auth)
	if code != 200 {
		t.Fatalf("explanation: %d %s", code, text)
	}
	for _, want := range []string{"Lead 1, evaluated", "Definition: Instrumentos de medición", "+20 ciencias_de_la_vida  [definition-1.yaml:", "Team: norteamerica"} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation lacks %q:\n%s", want, text)
		}
	}
	if code, same := get(t, "http://"+addr+"/api/v1/leads/1/explanation", auth); code != 200 || same != text {
		t.Errorf("without format: %d, same text %v", code, same == text)
	}
	for path, want := range map[string]int{
		"/api/v1/leads/1/explanation?format=json": 422,
		"/api/v1/leads/1/explanation?fromat=text": 422,
		"/api/v1/leads/99/explanation":            404,
	} {
		if code, b := get(t, "http://"+addr+path, auth); code != want {
			t.Errorf("%s: %d %s, want %d", path, code, b, want)
		}
	}
	if code, _ := get(t, "http://"+addr+"/api/v1/leads/1/explanation", nil); code != 401 {
		t.Errorf("without a token: %d", code)
	}

	out, err := exec.Command(bin, "explain", "--lead", "1", "--db", db).CombinedOutput()
	if err != nil || string(out) != text {
		t.Errorf("pista explain --lead 1: %v\n%s\nwant the API's text:\n%s", err, out, text)
	}
	out, err = exec.Command(bin, "explain", "--lead", "7", "--db", db).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "lead 7 does not exist in the database") {
		t.Errorf("unknown lead: %v %s", err, out)
	}
	missing := filepath.Join(t.TempDir(), "nothing.db")
	out, err = exec.Command(bin, "explain", "--lead", "1", "--db", missing).CombinedOutput()
	if _, statErr := os.Stat(missing); err == nil || !strings.Contains(string(out), "no database at") || statErr == nil {
		t.Errorf("a database that does not exist: %v %s (created: %v)", err, out, statErr == nil)
	}
}
