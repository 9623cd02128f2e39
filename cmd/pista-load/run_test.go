package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// loadAgainst runs the tool against f with args and returns the JSON
// report and run's error.
func loadAgainst(t *testing.T, f *fakePista, args ...string) (*report, error) {
	t.Helper()
	srv := httptest.NewServer(f)
	defer srv.Close()
	var out, errOut bytes.Buffer
	args = append([]string{"--url", srv.URL, "--token", "secret", "--json"}, args...)
	err := run(context.Background(), args, &out, &errOut)
	var r report
	if jerr := json.Unmarshal(out.Bytes(), &r); jerr != nil {
		t.Fatalf("report is not JSON (%v): %s\nstderr: %s", jerr, out.String(), errOut.String())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.problems {
		t.Errorf("server saw: %s", p)
	}
	return &r, err
}

// TestOpenLoopRate: 100 req/s for 2 s must send 200 requests spread
// evenly, whatever the concurrency. (A modest rate: a starved shared
// machine cannot keep 500/s, which measured the machine, not the tool.)
func TestOpenLoopRate(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 2 s")
	}
	f := newFake()
	start := time.Now()
	r, err := loadAgainst(t, f, "--rate", "100", "--duration", "2s", "--concurrency", "16")
	if err != nil {
		t.Fatal(err)
	}
	if f.requests < 180 || f.requests > 220 || r.Requests != int64(f.requests) {
		t.Fatalf("server got %d requests, report says %d; want 200 ± 10%%", f.requests, r.Requests)
	}
	span := f.arrivals[len(f.arrivals)-1].Sub(f.arrivals[0])
	if math.Abs(span.Seconds()-2) > 0.2 {
		t.Errorf("requests arrived over %v, want 2s ± 10%%", span)
	}
	if math.Abs(r.RequestsPerS-100) > 10 {
		t.Errorf("throughput %.1f req/s, want 100 ± 10%%", r.RequestsPerS)
	}
	// Evenly: an open loop never sends ahead of its schedule, so the
	// n-th arrival comes no earlier than n × 10 ms after the run began. A
	// busy machine can stall the sender, after which it catches up in a
	// burst: that makes arrivals late, never early, so this holds under
	// any load while a sender that bursts ahead (or a closed loop) fails.
	slices.SortFunc(f.arrivals, func(a, b time.Time) int { return a.Compare(b) })
	early := 0
	for i, at := range f.arrivals {
		if at.Before(start.Add(time.Duration(i)*10*time.Millisecond - time.Millisecond)) {
			early++
		}
	}
	if early > 0 {
		t.Errorf("%d of %d requests arrived ahead of the 10 ms schedule", early, len(f.arrivals))
	}
	if r.OK != r.Requests || r.Latency.P50 <= 0 || r.Latency.Max < r.Latency.P999 || r.Latency.P999 < r.Latency.P50 {
		t.Errorf("report %+v", r)
	}
}

// TestOpenLoopCountsQueueing: a server slower than the schedule makes
// requests wait for a free worker; the latency must include that wait.
// A closed loop would report the server's 40 ms and nothing more.
func TestOpenLoopCountsQueueing(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 2 s")
	}
	f := newFake()
	f.delay = 40 * time.Millisecond // capacity 25 req/s with one worker
	r, err := loadAgainst(t, f, "--rate", "50", "--duration", "1s", "--concurrency", "1", "--retry-same-key", "0")
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 50 {
		t.Errorf("%d requests, want 50: the schedule must not drop slots", r.Requests)
	}
	// The last slot is due at 0.98 s and starts near 2 s: ~1 s of waiting.
	if r.Latency.Max < 700 || r.Latency.P50 < 200 || r.MaxLagMS < 600 {
		t.Errorf("latency %+v, lag %.0fms: queueing behind a slow server is missing", r.Latency, r.MaxLagMS)
	}

	closed, err := loadAgainst(t, newFakeWithDelay(40*time.Millisecond), "--duration", "500ms", "--concurrency", "1")
	if err != nil {
		t.Fatal(err)
	}
	if closed.Latency.P50 < 39 || closed.Latency.P50 > 80 {
		t.Errorf("closed loop p50 %.1fms, want about the server's 40ms", closed.Latency.P50)
	}
}

func newFakeWithDelay(d time.Duration) *fakePista {
	f := newFake()
	f.delay = d
	return f
}

// TestErrorCounting: every failure is counted once, by kind; 5xx and
// dropped connections fail the run, 4xx do not.
func TestErrorCounting(t *testing.T) {
	f := newFake()
	f.fail = func(n int) int {
		switch {
		case n%10 == 0:
			return 503
		case n%7 == 0:
			return 400
		case n%13 == 0:
			return -1
		}
		return 0
	}
	r, err := loadAgainst(t, f, "--duration", "400ms", "--concurrency", "4", "--retry-same-key", "0")
	if err == nil || !strings.Contains(err.Error(), "failed") {
		t.Errorf("run returned %v, want a failure for 5xx and transport errors", err)
	}
	if r.Requests != int64(f.requests) || r.Requests < 50 {
		t.Fatalf("report: %d requests, server: %d", r.Requests, f.requests)
	}
	if r.Errors[503] != int64(f.byStatus[503]) || r.Errors[400] != int64(f.byStatus[400]) || r.TransportErrors != int64(f.dropped) {
		t.Errorf("report errors %v + %d transport; server %v + %d dropped", r.Errors, r.TransportErrors, f.byStatus, f.dropped)
	}
	if r.OK != int64(f.byStatus[201]) || r.OK+r.Errors[503]+r.Errors[400]+r.TransportErrors != r.Requests {
		t.Errorf("ok %d, server 201s %d; counts do not add up to %d requests", r.OK, f.byStatus[201], r.Requests)
	}
	if len(r.SampleErrors) == 0 {
		t.Error("no sample errors reported")
	}

	only4xx := newFake()
	only4xx.fail = func(n int) int {
		if n%3 == 0 {
			return 422
		}
		return 0
	}
	r, err = loadAgainst(t, only4xx, "--duration", "200ms", "--concurrency", "2")
	if err != nil {
		t.Errorf("4xx answers failed the run: %v", err)
	}
	if r.Errors[422] == 0 {
		t.Errorf("422s not counted: %v", r.Errors)
	}
}

// TestRetrySameKey: retries carry the same key and body, and a server
// that answers them differently is caught.
func TestRetrySameKey(t *testing.T) {
	f := newFake()
	r, err := loadAgainst(t, f, "--duration", "300ms", "--concurrency", "4", "--retry-same-key", "0.2")
	if err != nil {
		t.Fatal(err)
	}
	if f.badReplays > 0 {
		t.Errorf("%d retries changed the body under the same key", f.badReplays)
	}
	if f.replays == 0 || r.Retries != int64(f.replays) || r.RetryMismatches != 0 {
		t.Errorf("server replayed %d keys, report says %d retries, %d mismatches", f.replays, r.Retries, r.RetryMismatches)
	}
	if share := float64(r.Retries) / float64(r.Requests); share < 0.1 || share > 0.3 {
		t.Errorf("retries are %.0f%% of requests, want ~20%%", 100*share)
	}

	unstable := newFake()
	unstable.unstable = true
	r, err = loadAgainst(t, unstable, "--duration", "200ms", "--concurrency", "2", "--retry-same-key", "0.2")
	if err == nil || r.RetryMismatches == 0 || r.RetryMismatches != int64(unstable.replays) {
		t.Errorf("unstable server: run %v, %d mismatches of %d replays", err, r.RetryMismatches, unstable.replays)
	}
}

func TestDuplicates(t *testing.T) {
	f := newFake()
	r, err := loadAgainst(t, f, "--duration", "300ms", "--concurrency", "4", "--duplicates", "0.3", "--retry-same-key", "0")
	if err != nil {
		t.Fatal(err)
	}
	if share := float64(r.Duplicates) / float64(r.Requests); share < 0.2 || share > 0.4 {
		t.Errorf("duplicates are %.0f%% of requests, want ~30%%", 100*share)
	}
	if int64(f.repeated) < r.Duplicates {
		t.Errorf("server saw %d repeated emails, report says %d duplicates sent", f.repeated, r.Duplicates)
	}
}

func TestEventBatches(t *testing.T) {
	f := newFake()
	r, err := loadAgainst(t, f, "--duration", "300ms", "--concurrency", "4", "--batch-events", "25", "--retry-same-key", "0")
	if err != nil {
		t.Fatal(err)
	}
	if r.Mode != "events" || r.OK == 0 || r.Events != 25*r.OK || r.Events != int64(f.events) {
		t.Errorf("mode %s, %d ok batches, %d events; server got %d events", r.Mode, r.OK, r.Events, f.events)
	}
	if math.Abs(r.EventsPerS-25*r.RequestsPerS) > 1 {
		t.Errorf("%.0f events/s for %.1f batches/s of 25", r.EventsPerS, r.RequestsPerS)
	}
}

func TestInterrupt(t *testing.T) {
	srv := httptest.NewServer(newFakeWithDelay(20 * time.Millisecond))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var out bytes.Buffer
	start := time.Now()
	err := run(ctx, []string{"--url", srv.URL, "--token", "secret", "--duration", "1m", "--rate", "100"}, &out, &out)
	if time.Since(start) > 5*time.Second {
		t.Errorf("an interrupted run took %v", time.Since(start))
	}
	if err != nil {
		t.Errorf("interrupted run: %v", err)
	}
	if !strings.Contains(out.String(), "requests") {
		t.Errorf("no report after an interrupt:\n%s", out.String())
	}
}

func TestUsageErrors(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"--rate", "-1", "--token", "x"}, &out, &out)
	if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "--rate") {
		t.Errorf("run = %v, want a usage error naming --rate", err)
	}
}

// TestRawDB: --raw-db measures one-row durable transactions into a real
// SQLite file next to the load, and reports them; a path that cannot be a
// database fails the run with its name.
func TestRawDB(t *testing.T) {
	f := newFake()
	dir := t.TempDir()
	r, err := loadAgainst(t, f, "--rate", "50", "--duration", "200ms", "--raw-db", dir+"/raw.db")
	if err != nil {
		t.Fatal(err)
	}
	if r.RawCommitsPerS <= 0 || r.RawError != "" {
		t.Errorf("raw rate %v, error %q", r.RawCommitsPerS, r.RawError)
	}
	r, err = loadAgainst(t, f, "--rate", "50", "--duration", "200ms", "--raw-db", dir)
	if err == nil || !strings.Contains(err.Error(), dir) || r.RawError == "" {
		t.Errorf("a directory as --raw-db: %v, report %q", err, r.RawError)
	}
}

// TestInquiryBatchesBuiltAhead: batches of new inquiries are built before
// the clock starts, then, once those run out, as they are sent. Every
// batch holds --batch-inquiries complete inquiries, and two runs with the
// same seed send the same people in the same order (the known-people
// figure of pista-load ratios sends a run's people again that way).
func TestInquiryBatchesBuiltAhead(t *testing.T) {
	run := func() (*fakePista, *report) {
		f := newFake()
		r, err := loadAgainst(t, f, "--duration", "300ms", "--concurrency", "1", "--batch-inquiries", "10",
			"--retry-same-key", "0", "--seed", "5")
		if err != nil {
			t.Fatal(err)
		}
		return f, r
	}
	a, ra := run()
	b, _ := run()
	// 300 ms at 200 batches/s in all: 60 built ahead for the one worker.
	if ra.OK <= 60 {
		t.Fatalf("%d batches sent: fewer than were built ahead, so none was built while sending", ra.OK)
	}
	if len(a.sent) != int(ra.OK)*10 || ra.Events != ra.OK*10 {
		t.Errorf("%d batches answered, %d inquiries received, %d counted; want 10 each", ra.OK, len(a.sent), ra.Events)
	}
	n := min(len(a.sent), len(b.sent))
	if n == 0 || !slices.Equal(a.sent[:n], b.sent[:n]) {
		t.Errorf("two runs with one seed sent different people (%d and %d inquiries)", len(a.sent), len(b.sent))
	}
	if distinct := len(a.emails); distinct < len(a.sent)/2 {
		t.Errorf("%d distinct e-mails in %d inquiries: batches repeat themselves", distinct, len(a.sent))
	}
}
