package report_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestBackgroundRefreshTakesTurns: Run's refresh gives the refresh lock
// back between turns of a few steps, before it has caught up, so a report
// request waits for one turn instead of the whole catch-up (35 s after a
// million-row import); a request in between answers; and the turns end
// with the rows and rollups a whole refresh makes.
func TestBackgroundRefreshTakesTurns(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			h := &history{t: t, db: db}
			randomHistories(t, h, rand.New(rand.NewPCG(7, 7)), 40)
			hi, err := db.TimelineHigh(ctx)
			if err != nil {
				t.Fatal(err)
			}
			bg := report.New(db, noDefinition)
			q := randomQuery(rand.New(rand.NewPCG(1, 2)))
			turns, behind, answered := 0, 0, 0
			err = bg.CatchUpForTest(ctx, 2, 10, func() {
				turns++
				wm, err := db.ReportWatermark(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if wm >= hi {
					return
				}
				behind++
				if behind == 2 {
					// The lock is free: a request takes it and answers (and
					// catches up itself, as a request does).
					if _, err := report.New(db, noDefinition).Funnel(ctx, q); err != nil {
						t.Fatal(err)
					}
					answered++
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if behind < 2 || answered != 1 || turns < 3 {
				t.Fatalf("%d turns, %d of them before catching up, %d requests answered between turns", turns, behind, answered)
			}
			if wm, err := db.ReportWatermark(ctx); err != nil || wm < hi {
				t.Fatalf("after the turns the watermark is %d (%v), want %d", wm, err, hi)
			}
			// The same answers as a whole refresh of a fresh reader.
			whole := report.NewWithoutRollups(db, noDefinition)
			if err := whole.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			a, err := bg.Funnel(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			b, err := whole.Funnel(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "funnel after the turns", a, b)
		})
	}
}
