package intake_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store/storetest"
)

// BenchmarkSubmit measures intake throughput through group commit on
// SQLite: many concurrent submitters, each inquiry cleaned, de-duplicated,
// evaluated and committed before it returns. Report: inquiries/s.
func BenchmarkSubmit(b *testing.B) {
	db := storetest.OpenSQLite(b)
	clk := &clock{t: time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)}
	s, err := intake.New(context.Background(), intake.Config{DB: db, Now: clk.now, MaxBatch: 512})
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
			if _, _, err := s.Submit(context.Background(), in, &intake.Idem{TokenID: 1, Key: fmt.Sprint(i), Fingerprint: "f"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "inquiries/s")
}
