package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func sampleTally() *tally {
	t := newTally()
	for i := range 1000 {
		t.hist.record(time.Duration(i+1) * time.Millisecond / 10) // 0.1 .. 100 ms
	}
	t.requests, t.ok, t.transport = 1010, 1000, 2
	t.statuses[409] = 5
	t.statuses[503] = 3
	t.retries, t.duplicates, t.events = 10, 50, 0
	t.maxLag = 1500 * time.Microsecond
	t.sample("503: {\"title\":\"busy\"}")
	return &t
}

func TestReportText(t *testing.T) {
	cfg := &config{url: "http://pista:8080/", rate: 500, duration: 2 * time.Second, concurrency: 64}
	r := newReport(cfg, sampleTally(), 2*time.Second, false)
	var b strings.Builder
	r.writeText(&b)
	out := b.String()
	for _, want := range []string{
		"pista-load: inquiries to http://pista:8080/api/v1/inquiries at 500 req/s (open loop) for 2s, concurrency 64",
		"requests    1010 sent, 1000 ok (2xx), 10 not ok",
		"errors      409: 5, 503: 3, transport: 2",
		"duplicates  50 inquiries re-sent an earlier email",
		"retries     10 with the same Idempotency-Key, 0 answered differently",
		"throughput  505.0 req/s over 2.00s",
		"latency     p50 49.9ms  p90 89.9ms  p99 98.8ms  p99.9 99.9ms  max 100ms", // buckets: within 0.4%
		"schedule    requests started at most 1.50ms after their due time",
		"e.g.      503:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestReportJSON(t *testing.T) {
	cfg := &config{url: "http://pista:8080", duration: time.Second, concurrency: 8, batchEvents: 100}
	tl := sampleTally()
	tl.events = 100 * tl.ok
	r := newReport(cfg, tl, time.Second, false)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{
		"mode": "events", "url": "http://pista:8080/api/v1/events", "requests": 1010.0, "ok": 1000.0,
		"transport_errors": 2.0, "events": 100000.0, "events_per_s": 100000.0, "requests_per_s": 1010.0,
	} {
		if m[key] != want {
			t.Errorf("%s = %v, want %v", key, m[key], want)
		}
	}
	if errs := m["errors_by_status"].(map[string]any); errs["503"] != 3.0 || errs["409"] != 5.0 {
		t.Errorf("errors_by_status = %v", errs)
	}
	lat := m["latency_ms"].(map[string]any)
	for _, k := range []string{"p50", "p90", "p99", "p999", "max"} {
		if _, ok := lat[k].(float64); !ok {
			t.Errorf("latency_ms.%s missing", k)
		}
	}
	if _, ok := m["max_schedule_lag_ms"]; ok {
		t.Error("closed loop reports a schedule lag")
	}
}

func TestFailure(t *testing.T) {
	tests := []struct {
		name                  string
		statuses              map[int]int64
		transport, mismatches int64
		fails                 bool
	}{
		{"all ok", nil, 0, 0, false},
		{"4xx only", map[int]int64{400: 3, 409: 1, 429: 7}, 0, 0, false},
		{"a 500", map[int]int64{400: 3, 500: 1}, 0, 0, true},
		{"a 503", map[int]int64{503: 1}, 0, 0, true},
		{"transport", nil, 1, 0, true},
		{"retry answered differently", nil, 0, 1, true},
	}
	for _, tt := range tests {
		r := &report{Errors: tt.statuses, TransportErrors: tt.transport, RetryMismatches: tt.mismatches, Requests: 100}
		if err := r.failure(); (err != nil) != tt.fails {
			t.Errorf("%s: failure() = %v, want failing %v", tt.name, err, tt.fails)
		}
	}
}
