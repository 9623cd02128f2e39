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
