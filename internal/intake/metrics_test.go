package intake_test

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/metrics"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// TestMetricsCountOutcomes: inquiries and events are counted by how they
// ended, once each, and a replay is counted as a replay.
func TestMetricsCountOutcomes(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenSQLite(t)
	clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
	m := metrics.New()
	s, err := intake.New(ctx, intake.Config{DB: db, Now: clk.Now, MaxBatch: 64, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	activate(t, s)
	in := intake.Inquiry{Person: lead.Person{Email: "ana@acme.com", FirstName: "Ana", LastName: "Gómez"},
		Source: lead.Source{Format: "api"}, Action: lead.Action{Type: "contact_form"}}
	idem := func() *intake.Idem { return &intake.Idem{TokenID: 1, Key: "k1", Fingerprint: "f1"} }
	if _, err := s.Submit(ctx, in, idem()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(ctx, in, idem()); err != nil { // the same key again: a replay
		t.Fatal(err)
	}
	if _, err := s.Submit(ctx, in, nil); err != nil { // the same person: merged
		t.Fatal(err)
	}
	if _, err := s.AddEvents(ctx, []intake.EventIn{{Email: "ana@acme.com", Type: "page_view"}, {Email: "ana@acme.com", Type: "page_view"}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddEvents(ctx, []intake.EventIn{{Email: "ana@acme.com"}}, nil); err == nil {
		t.Fatal("an event without a type was accepted")
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`pista_inquiries_total{outcome="created"} 1`,
		`pista_inquiries_total{outcome="replayed"} 1`,
		`pista_inquiries_total{outcome="merged"} 1`,
		`pista_events_total{outcome="accepted"} 2`,
		`pista_events_total{outcome="refused"} 1`,
		`pista_commit_group_writes_count 4`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the scrape lacks %q", want)
		}
	}
}
