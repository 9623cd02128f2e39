package engine_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
)

// benchLead is a realistic lead for the instrument maker with n website
// events spread over the last 90 days (reproducible: fixed seed).
func benchLead(n int, now time.Time) (*lead.Lead, []lead.Event, *lead.Qualification) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []struct {
		typ   string
		props map[string]any
	}{
		{"page_view", map[string]any{"category": "product", "path": "/productos/hx-200"}},
		{"page_view", map[string]any{"category": "blog", "path": "/blog/humedad"}},
		{"page_view", map[string]any{"category": "pricing", "path": "/precios"}},
		{"content_download", map[string]any{"tier": "high", "asset": "libro-blanco"}},
		{"content_download", map[string]any{"tier": "low", "asset": "infografia"}},
		{"email_click", map[string]any{"campaign": "nov"}},
		{"email_open", map[string]any{"campaign": "nov"}},
	}
	events := make([]lead.Event, n)
	for i := range events {
		k := kinds[rng.IntN(len(kinds))]
		events[i] = lead.Event{Type: k.typ, At: now.Add(-time.Duration(rng.IntN(90*24*60)) * time.Minute), Props: k.props}
	}
	l := &lead.Lead{
		ID: "BENCH-1",
		Person: lead.Person{Email: "laura.chen@helixbio.com", FirstName: "Laura", LastName: "Chen", Title: "VP Quality",
			Seniority: "vp", Country: "US", Phone: "+1 617 555 0142"},
		Company: lead.Company{Name: "Helix Biosciences", Domain: "helixbio.com", Industry: "life_sciences", Employees: 12000,
			Revenue: lead.Money{Amount: 4.2e9, Currency: "USD"}, Country: "US", Rankings: []string{"fortune_500"}},
		Source:  lead.Source{Format: "web_form", Channel: "organic"},
		Actions: []lead.Action{{Type: "price_request", At: now.Add(-time.Hour)}},
	}
	months := 0.8
	q := &lead.Qualification{Budget: &lead.Budget{Min: 20000, Max: 40000, Currency: "USD"}, Authority: "decision_maker",
		Need: "confirmed", TimingMonths: &months, By: "bdr@example.com", Method: "call"}
	return l, events, q
}

// BenchmarkEvaluate is the engine's headline figure (docs/PERFORMANCE.md):
// the instrument maker's definition, one lead with 200 events.
func BenchmarkEvaluate(b *testing.B) {
	d, err := definition.Load("../../examples/definitions/instrumentos.yaml")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	for _, n := range []int{0, 200, 2000} {
		l, events, q := benchLead(n, now)
		e := engine.New(d)
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := e.Evaluate(l, events, q, now)
				if r.Stage == "" {
					b.Fatal("no stage")
				}
			}
		})
	}
}

// BenchmarkEvaluateParallel shows the evaluator scales across cores.
func BenchmarkEvaluateParallel(b *testing.B) {
	d, err := definition.Load("../../examples/definitions/instrumentos.yaml")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	l, events, q := benchLead(200, now)
	e := engine.New(d)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e.Evaluate(l, events, q, now)
		}
	})
}

func BenchmarkLoadDefinition(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := definition.Load("../../examples/definitions/instrumentos.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResultJSON: encoding an evaluation to store it, by reflection
// (json.Marshal) and with Result.AppendJSON; the instrument maker's
// definition, one lead with 200 events.
func BenchmarkResultJSON(b *testing.B) {
	d, err := definition.Load("../../examples/definitions/instrumentos.yaml")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	l, events, q := benchLead(200, now)
	r := engine.New(d).Evaluate(l, events, q, now)
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(&r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.AppendJSON(make([]byte, 0, 1536)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
