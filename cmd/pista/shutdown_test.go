package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// TestGracefulShutdownUnderLoad sends SIGTERM while 16 clients post
// inquiries: the server stops accepting, answers what is in flight and
// exits 0 within its --shutdown-timeout; afterwards every acknowledged
// inquiry is in the database with its evaluation, and the file is whole.
// On the way it checks what operators rely on: /readyz, /metrics on its
// own address only, JSON log lines and request ids.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	bin, db, token := buildWithToken(t)
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	server := exec.Command(bin, "serve", "--db", db, "--addr", addr, "--log-format", "json",
		"--metrics-addr", metricsAddr, "--shutdown-timeout", "5s")
	var logs syncBuffer
	server.Stderr = &logs
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	waitReady(t, addr)

	// Operators' endpoints.
	if status, body := get(t, "http://"+addr+"/readyz", nil); status != 200 || body != "ready\n" {
		t.Errorf("/readyz: %d %q", status, body)
	}
	if status, _ := get(t, "http://"+addr+"/metrics", nil); status != 404 {
		t.Errorf("/metrics on the public address with --metrics-addr: %d", status)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/leads", nil)
	req.Header.Set("X-Request-Id", "report-42")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var prob struct {
		RequestID string `json:"request_id"`
	}
	json.NewDecoder(resp.Body).Decode(&prob)
	resp.Body.Close()
	if resp.StatusCode != 401 || resp.Header.Get("X-Request-Id") != "report-42" || prob.RequestID != "report-42" {
		t.Errorf("request id: status %d, header %q, problem %q", resp.StatusCode, resp.Header.Get("X-Request-Id"), prob.RequestID)
	}

	var (
		mu    sync.Mutex
		acked []int64
		stop  = make(chan struct{})
		wg    sync.WaitGroup
		seq   int
	)
	client := &http.Client{Timeout: 10 * time.Second}
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
				status, body := post(client, addr, token, fmt.Sprintf("term-%d-%d", w, n), inquiryBody(n))
				if status == 0 {
					return // the server stopped accepting
				}
				if status == 201 || status == 200 {
					var r struct {
						LeadID int64 `json:"lead_id"`
					}
					if json.Unmarshal(body, &r) != nil || r.LeadID == 0 {
						t.Errorf("acknowledged without a lead id: %s", body)
					}
					mu.Lock()
					acked = append(acked, r.LeadID)
					mu.Unlock()
				}
			}
		}()
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if status, body := get(t, "http://"+metricsAddr+"/metrics", nil); status != 200 ||
		!strings.Contains(body, `pista_inquiries_total{outcome="created"}`) || !strings.Contains(body, "pista_commit_group_writes_count") {
		t.Errorf("/metrics under load: %d, no inquiry or group counts:\n%.2000s", status, body)
	}
	sent := time.Now()
	server.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- server.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the server exited with %v after SIGTERM", err)
		}
	case <-time.After(5*time.Second + 15*time.Second):
		server.Process.Kill()
		t.Fatal("the server did not exit within its shutdown timeout")
	}
	took := time.Since(sent)
	close(stop)
	wg.Wait()
	if len(acked) < 300 {
		t.Fatalf("only %d inquiries acknowledged before SIGTERM", len(acked))
	}

	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	missing := 0
	for _, id := range acked {
		l, err := st.Lead(context.Background(), id)
		if err != nil || l.Eval == nil {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged inquiries missing or without their evaluation after SIGTERM", missing, len(acked))
	}
	if err := st.Check(context.Background()); err != nil {
		t.Errorf("the database after SIGTERM: %v", err)
	}

	// Every log line is JSON; request lines carry the request id.
	sawRequest := false
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Errorf("a log line is not JSON: %q", sc.Text())
			continue
		}
		if line["msg"] == "request" && line["request_id"] == "report-42" {
			sawRequest = true
		}
	}
	if !sawRequest {
		t.Error("no request log line with the request id report-42")
	}
	t.Logf("%d acknowledged before SIGTERM; exited %v after it", len(acked), took.Round(time.Millisecond))
}

func waitReady(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("server did not become ready")
}

func get(t *testing.T, url string, header http.Header) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// syncBuffer is a bytes.Buffer the server's output and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
