package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupRestoreCLI: the operator's round trip through the command line,
// with the refusals that protect a database.
func TestBackupRestoreCLI(t *testing.T) {
	dir := t.TempDir()
	db, backup, restored := filepath.Join(dir, "pista.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "r.db")
	if code, _, errb := runCLI(t, "", "user", "create", "--name", "Rita Rep", "--email", "rita@example.com", "--role", "rep", "--db", db); code != 0 {
		t.Fatalf("user create: %s", errb)
	}
	if code, out, errb := runCLI(t, "", "migrate", "--status", "--db", db); code != 0 || !strings.Contains(out, "up to date") || strings.Contains(out, "pending") {
		t.Errorf("migrate --status: %d %q %q", code, out, errb)
	}
	if code, out, errb := runCLI(t, "", "backup", "--to", backup, "--db", db); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %d %q %q", code, out, errb)
	}
	if code, _, errb := runCLI(t, "", "backup", "--to", backup, "--db", db); code == 0 || !strings.Contains(errb, "already exists") {
		t.Errorf("a backup over an existing file: %d %q", code, errb)
	}
	if code, _, errb := runCLI(t, "", "restore", "--from", backup, "--db", restored); code != 0 {
		t.Fatalf("restore: %s", errb)
	}
	if code, _, errb := runCLI(t, "", "restore", "--from", backup, "--db", restored); code == 0 || !strings.Contains(errb, "--replace") {
		t.Errorf("restore over an existing database: %d %q", code, errb)
	}
	if code, _, errb := runCLI(t, "", "restore", "--from", backup, "--db", restored, "--replace"); code != 0 {
		t.Errorf("restore --replace: %s", errb)
	}
	// The restored database holds the user.
	if code, _, errb := runCLI(t, "", "token", "create", "--name", "t", "--user", "rita@example.com", "--db", restored); code != 0 {
		t.Errorf("the restored database lost its user: %s", errb)
	}
	if code, _, errb := runCLI(t, "", "restore", "--from", filepath.Join(dir, "missing.db"), "--db", filepath.Join(dir, "x.db")); code == 0 || errb == "" {
		t.Errorf("restore from a missing file: %d %q", code, errb)
	}
}

func TestHealthCLI(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		w.Write([]byte("ready\n"))
	}))
	defer srv.Close()
	if code, out, _ := runCLI(t, "", "health", "--url", srv.URL); code != 0 || !strings.Contains(out, "ready") {
		t.Errorf("ready server: %d %q", code, out)
	}
	status = http.StatusServiceUnavailable
	if code, _, _ := runCLI(t, "", "health", "--url", srv.URL); code != 1 {
		t.Errorf("server not ready: exit %d", code)
	}
	srv.Close()
	if code, _, errb := runCLI(t, "", "health", "--url", srv.URL); code != 1 || errb == "" {
		t.Errorf("no server: exit %d %q", code, errb)
	}
}
