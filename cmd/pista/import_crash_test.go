package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// importJob is GET /api/v1/imports/{id}.
type importJob struct {
	ID          int64  `json:"id"`
	Status      string `json:"status"`
	Error       string `json:"error"`
	Resumable   bool   `json:"resumable"`
	ResumedFrom int64  `json:"resumed_from"`
	Stats       struct {
		Rows, Created, Merged, Unchanged, Invalid int
	} `json:"stats"`
}

// TestImportKilledIsInterrupted kills the server with SIGKILL while it imports a
// large list, restarts it, and checks that the import is then shown as
// interrupted (not "running" forever), that resuming it finishes the
// list, and that no row was stored twice.
func TestImportKilledIsInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	bin, db, _ := buildWithToken(t)
	out, err := exec.Command(bin, "token", "create", "--name", "marketing", "--role", "marketing", "--db", db).Output()
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(out))
	addr := freeAddr(t)
	server := startServer(t, bin, db, addr)
	client := &http.Client{Timeout: 30 * time.Second}
	call := func(method, path string, body *bytes.Buffer, contentType string) (int, importJob) {
		t.Helper()
		if body == nil {
			body = &bytes.Buffer{}
		}
		req, _ := http.NewRequest(method, "http://"+addr+path, body)
		req.Header.Set("Authorization", "Bearer "+token)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, importJob{}
		}
		defer resp.Body.Close()
		var j importJob
		json.NewDecoder(resp.Body).Decode(&j)
		return resp.StatusCode, j
	}
	waitFor := func(what string, limit time.Duration, id int64, ok func(importJob) bool) importJob {
		t.Helper()
		deadline := time.Now().Add(limit)
		for {
			status, j := call("GET", fmt.Sprintf("/api/v1/imports/%d", id), nil, "")
			if status == 200 && ok(j) {
				return j
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: after %s, import %d is %+v (HTTP %d)", what, limit, id, j, status)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	const rows = 60_000
	var csv strings.Builder
	csv.WriteString("Nombre,Apellido,Correo,Empresa\n")
	for i := range rows {
		fmt.Fprintf(&csv, "Ana%d,Gómez,ana.gomez.%d@acme-bio.com,Acme Bio\n", i, i)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "asistentes.csv")
	fw.Write([]byte(csv.String()))
	mw.WriteField("options", `{"format": "webinar_list", "action": "webinar_attended", "action_at": "2026-11-10"}`)
	mw.Close()
	status, job := call("POST", "/api/v1/imports", &body, mw.FormDataContentType())
	if status != 202 || job.ID == 0 {
		t.Fatalf("upload: %d %+v", status, job)
	}
	j := waitFor("rows imported", 60*time.Second, job.ID, func(j importJob) bool { return j.Stats.Rows > 0 || j.Status != "running" })
	if j.Status != "running" {
		t.Fatalf("the import ended before the kill (make the file larger): %+v", j)
	}
	server.Process.Signal(syscall.SIGKILL)
	server.Wait()

	server = startServer(t, bin, db, addr)
	defer func() { server.Process.Signal(syscall.SIGTERM); server.Wait() }()
	j = waitFor("marked interrupted", 60*time.Second, job.ID, func(j importJob) bool { return j.Status != "running" })
	if j.Status != "interrupted" || !j.Resumable || !strings.Contains(j.Error, "upload the same file again") {
		t.Fatalf("after the restart: %+v", j)
	}
	status, resumed := call("POST", fmt.Sprintf("/api/v1/imports/%d/resume", job.ID), nil, "")
	if status != 202 || resumed.ResumedFrom != job.ID {
		t.Fatalf("resume: %d %+v", status, resumed)
	}
	if status, _ := call("POST", fmt.Sprintf("/api/v1/imports/%d/resume", job.ID), nil, ""); status != 409 {
		t.Errorf("a second resume: %d, want 409", status)
	}
	done := waitFor("the resumed import", 5*time.Minute, resumed.ID, func(j importJob) bool { return j.Status != "running" })
	if done.Status != "done" || done.Stats.Rows != rows || done.Stats.Created+done.Stats.Unchanged+done.Stats.Merged != rows || done.Stats.Unchanged == 0 {
		t.Errorf("resumed import: %+v (before the kill: %+v)", done, j)
	}

	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, _ := st.CountLiveLeads(context.Background()); n != rows {
		t.Errorf("%d leads after the kill and the resume, want %d (one per row, none twice)", n, rows)
	}
}
