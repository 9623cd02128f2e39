package intake_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/testenv"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store/storetest"
)

// BenchmarkSubmit measures intake throughput through group commit on
// SQLite: many concurrent submitters, each inquiry cleaned, de-duplicated,
// evaluated and committed before it returns. Report: inquiries/s.
func BenchmarkSubmit(b *testing.B) {
	db := storetest.OpenSQLite(b)
	clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
	s, err := intake.New(context.Background(), intake.Config{DB: db, Now: clk.Now, MaxBatch: 512})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	activate(b, s)
	var n atomic.Int64
	b.SetParallelism(64)
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			in := laura()
			in.Person.Email = fmt.Sprintf("person%d@company%d.com", i, i%5000)
			in.Person.Phone = ""
			in.Action = lead.Action{Type: "contact_form"}
			if _, err := s.Submit(context.Background(), in, &intake.Idem{TokenID: 1, Key: fmt.Sprint(i), Fingerprint: "f"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "inquiries/s")
}

// BenchmarkReevaluate measures re-evaluating every lead after a definition
// change on SQLite. PISTA_BENCH_LEADS sets how many (default 20,000; the
// figure in docs/PERFORMANCE.md uses 1,000,000). Report: leads/s.
func BenchmarkReevaluate(b *testing.B) {
	n := 20_000
	if v := os.Getenv("PISTA_BENCH_LEADS"); v != "" {
		fmt.Sscan(v, &n)
	}
	db := storetest.OpenSQLite(b)
	ctx := context.Background()
	clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
	s, err := intake.New(ctx, intake.Config{DB: db, Now: clk.Now})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	activate(b, s)
	// Bulk-load leads (a third with a few events) straight into the store.
	base := laura()
	for start := 0; start < n; start += 10_000 {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var events []store.Event
			for i := start; i < min(start+10_000, n); i++ {
				l := &store.Lead{Email: fmt.Sprintf("p%d@c%d.com", i, i%997), CreatedAt: clk.Now(), UpdatedAt: clk.Now(),
					Data: lead.Lead{Person: base.Person, Company: base.Company, Source: base.Source, Actions: []lead.Action{{Type: "price_request", At: clk.Now()}}}}
				l.Data.Person.Email = l.Email
				if i%3 == 0 {
					l.Data.Company.Industry = "food"
				}
				if err := tx.InsertLead(ctx, l); err != nil {
					return err
				}
				if i%3 == 1 {
					for k := range 5 {
						events = append(events, store.Event{LeadID: l.ID, Event: lead.Event{Type: "page_view", At: clk.Now().Add(-time.Duration(k) * time.Hour), Props: map[string]any{"category": "product"}}})
					}
				}
			}
			return tx.InsertEvents(ctx, events)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	src, _ := os.ReadFile("../../examples/definitions/bant-classic.yaml")
	b.ResetTimer()
	for b.Loop() {
		res, err := s.AddDefinition(ctx, "bant-classic.yaml", src, false)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		out, err := s.ActivateDefinition(ctx, res.Definition.ID)
		if err != nil {
			b.Fatal(err)
		}
		for {
			r, err := db.LatestReevaluation(ctx, out.Definition.ID)
			if err != nil {
				b.Fatal(err)
			}
			if r.FinishedAt != nil {
				if r.Done != int64(n) || r.Error != "" {
					b.Fatalf("re-evaluated %d of %d: %s", r.Done, n, r.Error)
				}
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "leads/s")
	}
}

// BenchmarkAddEvents measures event intake in batches of 500 spread over
// 2,000 known people, on SQLite. Report: events/s.
func BenchmarkAddEvents(b *testing.B) {
	db := storetest.OpenSQLite(b)
	ctx := context.Background()
	clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
	s, err := intake.New(ctx, intake.Config{DB: db, Now: clk.Now, MaxBatch: 512})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	activate(b, s)
	const people = 2000
	for i := range people {
		in := laura()
		in.Person.Email, in.Person.Phone = fmt.Sprintf("p%d@acme.com", i), ""
		if _, err := s.Submit(ctx, in, nil); err != nil {
			b.Fatal(err)
		}
	}
	var n atomic.Int64
	b.SetParallelism(8)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		batch := make([]intake.EventIn, 500)
		for pb.Next() {
			base := n.Add(500)
			for i := range batch {
				batch[i] = intake.EventIn{Email: fmt.Sprintf("p%d@acme.com", (int(base)+i)%people), Type: "page_view",
					At: clk.Now().Add(-time.Minute), Props: map[string]any{"category": "product", "path": "/productos/hx-200"}}
			}
			if _, err := s.AddEvents(ctx, batch, nil); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "events/s")
}

// BenchmarkSubmitBatch measures batches of 100 inquiries from 16
// submitters on SQLite: new people, then the same people again (known,
// each inquiry merged into its lead). Report: inquiries/s.
func BenchmarkSubmitBatch(b *testing.B) {
	db := storetest.OpenSQLite(b)
	clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
	s, err := intake.New(context.Background(), intake.Config{DB: db, Now: clk.Now, MaxBatch: 512})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	activate(b, s)
	batch := func(i int64) []intake.Inquiry {
		ins := make([]intake.Inquiry, 100)
		for k := range ins {
			in := laura()
			in.Person.Email = fmt.Sprintf("person%d.%d@company%d.com", i, k, (int(i)*100+k)%5000)
			in.Person.Phone = ""
			in.Company.Domain = ""
			in.Action = lead.Action{Type: "contact_form"}
			ins[k] = in
		}
		return ins
	}
	for _, phase := range []string{"new", "known"} {
		b.Run(phase, func(b *testing.B) {
			var n atomic.Int64
			b.SetParallelism(8) // 16 submitters on 2 processors
			cpu0 := processCPU()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, _, err := s.SubmitBatch(context.Background(), batch(n.Add(1)), nil); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(n.Load()*100)/time.Since(start).Seconds(), "inquiries/s")
			// Processor time per inquiry moves less than the rate on a
			// machine others share.
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(n.Load()*100), "cpu-µs/inquiry")
		})
	}
}

// processCPU is the processor time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
