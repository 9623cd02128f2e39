package main

import (
	"context"
	"fmt"
	"time"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
)

// rawRate is the baseline group commit is measured against: how many
// durable transactions of one row each (full sync, as the server's) the
// SQLite database at path takes per second, one after the other, for d.
// The load tool runs it before the load, on the same disk as the server's
// database, so both figures come from the same run.
func rawRate(ctx context.Context, path string, d time.Duration) (float64, error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return 0, fmt.Errorf("--raw-db %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return 0, fmt.Errorf("--raw-db %s: %w", path, err)
	}
	ev := []store.Event{{Email: "raw@example.com", Event: lead.Event{Type: "page_view", At: time.Now()}}}
	n, start := 0, time.Now()
	for time.Since(start) < d {
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertEvents(ctx, ev) }); err != nil {
			return 0, fmt.Errorf("--raw-db %s: %w", path, err)
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
