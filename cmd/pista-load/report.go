package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// report is what a run measured. Its JSON is the --json output.
type report struct {
	Mode        string  `json:"mode"` // inquiries, inquiry batches or events
	URL         string  `json:"url"`
	TargetRate  float64 `json:"target_rate"` // requests/s; 0 = as fast as possible
	DurationS   float64 `json:"duration_s"`
	Concurrency int     `json:"concurrency"`
	BatchEvents int     `json:"batch_events,omitempty"`
	BatchInq    int     `json:"batch_inquiries,omitempty"`

	Requests        int64         `json:"requests"`
	OK              int64         `json:"ok"`
	Errors          map[int]int64 `json:"errors_by_status"`
	TransportErrors int64         `json:"transport_errors"`
	Canceled        int64         `json:"canceled,omitempty"`
	Duplicates      int64         `json:"duplicates"`
	Retries         int64         `json:"retries_same_key"`
	RetryMismatches int64         `json:"retry_mismatches"`
	Events          int64         `json:"events,omitempty"`
	ElapsedS        float64       `json:"elapsed_s"`
	RequestsPerS    float64       `json:"requests_per_s"`
	EventsPerS      float64       `json:"events_per_s,omitempty"` // items per second: events, or inquiries in batch mode
	Latency         latency       `json:"latency_ms"`
	MaxLagMS        float64       `json:"max_schedule_lag_ms,omitempty"`
	Interrupted     bool          `json:"interrupted,omitempty"`
	SampleErrors    []string      `json:"sample_errors,omitempty"`
	// RawCommitsPerS is --raw-db's figure: one-row durable transactions per
	// second on the same disk, the baseline group commit is measured against.
	RawCommitsPerS float64 `json:"raw_commits_per_s,omitempty"`
	RawError       string  `json:"raw_error,omitempty"`
}

// latency percentiles in milliseconds, of requests that got an answer.
type latency struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p999"`
	Max  float64 `json:"max"`
}

func newReport(cfg *config, t *tally, elapsed time.Duration, interrupted bool) *report {
	r := &report{
		Mode: "inquiries", URL: cfg.endpoint(), TargetRate: cfg.rate, DurationS: cfg.duration.Seconds(),
		Concurrency: cfg.concurrency, BatchEvents: cfg.batchEvents, BatchInq: cfg.batchInq,
		Requests: t.requests, OK: t.ok, Errors: t.statuses, TransportErrors: t.transport, Canceled: t.canceled,
		Duplicates: t.duplicates, Retries: t.retries, RetryMismatches: t.mismatches, Events: t.events,
		ElapsedS: elapsed.Seconds(), Interrupted: interrupted, SampleErrors: t.samples,
	}
	if cfg.batchEvents > 0 {
		r.Mode = "events"
	}
	if cfg.batchInq > 0 {
		r.Mode = "inquiry batches"
	}
	if s := elapsed.Seconds(); s > 0 {
		r.RequestsPerS = float64(t.requests-t.canceled) / s
		r.EventsPerS = float64(t.events) / s
	}
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	h := t.hist
	r.Latency = latency{P50: ms(h.quantile(0.5)), P90: ms(h.quantile(0.9)), P99: ms(h.quantile(0.99)),
		P999: ms(h.quantile(0.999)), Max: ms(time.Duration(h.max))}
	if cfg.rate > 0 {
		r.MaxLagMS = ms(t.maxLag)
	}
	return r
}

// failed counts requests that make the run fail: 5xx and transport
// errors. 4xx answers are the server judging the request, not failing.
func (r *report) failed() int64 {
	n := r.TransportErrors
	for s, c := range r.Errors {
		if s >= 500 {
			n += c
		}
	}
	return n
}

// failure is the error run returns, or nil.
func (r *report) failure() error {
	switch f := r.failed(); {
	case f > 0 && r.RetryMismatches > 0:
		return fmt.Errorf("%d requests failed (5xx or transport error) and %d retries got a different answer", f, r.RetryMismatches)
	case f > 0:
		return fmt.Errorf("%d of %d requests failed (5xx or transport error)", f, r.Requests)
	case r.RetryMismatches > 0:
		return fmt.Errorf("%d retries with the same Idempotency-Key got a different answer", r.RetryMismatches)
	}
	return nil
}

func (r *report) writeText(w io.Writer) {
	pace := "as fast as possible (closed loop)"
	if r.TargetRate > 0 {
		pace = fmt.Sprintf("at %g req/s (open loop)", r.TargetRate)
	}
	what := r.Mode
	if r.BatchEvents > 0 {
		what = fmt.Sprintf("batches of %d events", r.BatchEvents)
	}
	if r.BatchInq > 0 {
		what = fmt.Sprintf("batches of %d inquiries", r.BatchInq)
	}
	fmt.Fprintf(w, "pista-load: %s to %s %s for %gs, concurrency %d\n", what, r.URL, pace, r.DurationS, r.Concurrency)
	notOK := r.Requests - r.OK - r.Canceled
	fmt.Fprintf(w, "requests    %d sent, %d ok (2xx), %d not ok", r.Requests, r.OK, notOK)
	if r.Canceled > 0 {
		fmt.Fprintf(w, ", %d canceled by the interrupt", r.Canceled)
	}
	fmt.Fprintln(w)
	if notOK > 0 {
		var parts []string
		for _, s := range slices.Sorted(maps.Keys(r.Errors)) {
			parts = append(parts, fmt.Sprintf("%d: %d", s, r.Errors[s]))
		}
		if r.TransportErrors > 0 {
			parts = append(parts, fmt.Sprintf("transport: %d", r.TransportErrors))
		}
		fmt.Fprintf(w, "errors      %s\n", strings.Join(parts, ", "))
	}
	if r.Mode == "inquiries" {
		fmt.Fprintf(w, "duplicates  %d inquiries re-sent an earlier email\n", r.Duplicates)
	}
	fmt.Fprintf(w, "retries     %d with the same Idempotency-Key, %d answered differently\n", r.Retries, r.RetryMismatches)
	fmt.Fprintf(w, "throughput  %.1f req/s", r.RequestsPerS)
	switch r.Mode {
	case "events":
		fmt.Fprintf(w, ", %.0f events/s", r.EventsPerS)
	case "inquiry batches":
		fmt.Fprintf(w, ", %.0f inquiries/s", r.EventsPerS)
	}
	fmt.Fprintf(w, " over %.2fs\n", r.ElapsedS)
	if r.RawCommitsPerS > 0 {
		fmt.Fprintf(w, "raw         %.0f one-row durable transactions/s into --raw-db, one at a time\n", r.RawCommitsPerS)
	}
	if r.RawError != "" {
		fmt.Fprintf(w, "raw         failed: %s\n", r.RawError)
	}
	if l := r.Latency; r.Requests-r.TransportErrors-r.Canceled > 0 {
		fmt.Fprintf(w, "latency     p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n", msText(l.P50), msText(l.P90), msText(l.P99), msText(l.P999), msText(l.Max))
	} else {
		fmt.Fprintln(w, "latency     no answers to measure")
	}
	if r.TargetRate > 0 {
		fmt.Fprintf(w, "schedule    requests started at most %s after their due time (included in latency)\n", msText(r.MaxLagMS))
	}
	for _, s := range r.SampleErrors {
		fmt.Fprintf(w, "  e.g.      %s\n", s)
	}
}

// msText prints milliseconds with three significant digits.
func msText(ms float64) string {
	switch {
	case ms >= 100:
		return fmt.Sprintf("%.0fms", ms)
	case ms >= 10:
		return fmt.Sprintf("%.1fms", ms)
	case ms >= 1:
		return fmt.Sprintf("%.2fms", ms)
	default:
		return fmt.Sprintf("%.3fms", ms)
	}
}
