package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// TestCrashDuringIntake kills the server with SIGKILL while clients send
// inquiries, restarts it, and checks the promise of the API: every
// acknowledged inquiry is in the database, and retrying every request with
// its Idempotency-Key returns the first answer and creates no duplicate.
func TestCrashDuringIntake(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	bin, db, token := buildWithToken(t)
	addr := freeAddr(t)
	server := startServer(t, bin, db, addr)

	type sent struct {
		key, body string
		status    int
		resp      []byte
	}
	var (
		mu    sync.Mutex
		all   []*sent
		stop  = make(chan struct{})
		wg    sync.WaitGroup
		seq   int
		acked int
	)
	client := &http.Client{Timeout: 5 * time.Second}
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				mu.Lock()
				seq++
				n := seq
				mu.Unlock()
				s := &sent{key: fmt.Sprintf("crash-%d-%d", w, n), body: inquiryBody(n)}
				s.status, s.resp = post(client, addr, token, s.key, s.body)
				mu.Lock()
				all = append(all, s)
				if s.status == 201 || s.status == 200 {
					acked++
				}
				mu.Unlock()
			}
		}()
	}
	// Let intake run, then kill the server mid-stream.
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := acked
		mu.Unlock()
		if n >= 300 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	server.Process.Signal(syscall.SIGKILL)
	server.Wait()
	close(stop)
	wg.Wait()
	if acked < 300 {
		t.Fatalf("only %d inquiries acknowledged before the kill", acked)
	}

	// Every acknowledged inquiry survived.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := st.CountLiveLeads(context.Background())
	st.Close()
	var ackedLeads []int64
	for _, s := range all {
		if s.status == 201 || s.status == 200 {
			var r struct {
				LeadID int64 `json:"lead_id"`
			}
			if err := json.Unmarshal(s.resp, &r); err != nil || r.LeadID == 0 {
				t.Fatalf("acknowledged without a lead id: %s", s.resp)
			}
			ackedLeads = append(ackedLeads, r.LeadID)
		}
	}
	if before < int64(len(ackedLeads)) {
		t.Fatalf("%d inquiries acknowledged, only %d leads in the database after the crash", len(ackedLeads), before)
	}

	// Restart; retry every request with its key.
	server = startServer(t, bin, db, addr)
	defer func() { server.Process.Signal(syscall.SIGTERM); server.Wait() }()
	for _, s := range all {
		status, resp := post(client, addr, token, s.key, s.body)
		if status != 201 && status != 200 {
			t.Fatalf("retry of %s: %d %s", s.key, status, resp)
		}
		if (s.status == 201 || s.status == 200) && (status != s.status || !bytes.Equal(resp, s.resp)) {
			t.Fatalf("retry of acknowledged %s answered differently:\nfirst %d %s\nretry %d %s", s.key, s.status, s.resp, status, resp)
		}
	}
	st, err = store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	after, _ := st.CountLiveLeads(context.Background())
	if after != int64(len(all)) {
		t.Fatalf("%d distinct inquiries sent, %d leads after retries: duplicates or losses", len(all), after)
	}
	t.Logf("%d sent, %d acknowledged before SIGKILL, %d leads survived the crash, %d after retries", len(all), len(ackedLeads), before, after)
}

// buildWithToken builds pista, and makes a database holding an
// integration token, for tests that run the server as a process.
func buildWithToken(t *testing.T) (bin, db, token string) {
	t.Helper()
	dir := t.TempDir()
	bin = filepath.Join(dir, "pista")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db = filepath.Join(dir, "server.db")
	out, err := exec.Command(bin, "token", "create", "--name", "test", "--role", "integration", "--db", db).Output()
	if err != nil {
		t.Fatal(err)
	}
	return bin, db, strings.TrimSpace(string(out))
}

func inquiryBody(n int) string {
	return fmt.Sprintf(`{"person":{"email":"person%d@acme-%d.com","first_name":"Ana","last_name":"Gómez","country":"CO"},"company":{"name":"Acme %d","industry":"food"},"source":{"format":"api"},"action":{"type":"contact_form"}}`, n, n%50, n%50)
}

func post(c *http.Client, addr, token, key, body string) (int, []byte) {
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/inquiries", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startServer(t *testing.T, bin, db, addr string) *exec.Cmd {
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--token-rate", "0") // durability is tested, not the rate limit
	// The server logs a line per request: shown with -v only.
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if testing.Verbose() {
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return cmd
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatal("server did not start")
	return nil
}
