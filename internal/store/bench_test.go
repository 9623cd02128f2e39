package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// BenchmarkSingleInsertPerTransaction is the raw rate of the database when
// every write is its own durable transaction (full sync): the baseline
// group commit is measured against in docs/PERFORMANCE.md.
func BenchmarkSingleInsertPerTransaction(b *testing.B) {
	db := storetest.OpenSQLite(b)
	ctx := context.Background()
	now := time.Now()
	ev := []store.Event{{Email: "x@example.com", Event: lead.Event{Type: "page_view", At: now}}}
	start := time.Now()
	for b.Loop() {
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertEvents(ctx, ev) }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commits/s")
}
