package play_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/demo/play"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// end is a Friday afternoon in Bogotá.
var end = time.Date(2026, 11, 20, 20, 0, 0, 0, time.UTC)

// playOn plays leads people over four months up to end on db.
func playOn(t testing.TB, db *store.DB, leads int) *play.Summary {
	t.Helper()
	ctx := context.Background()
	start := end.AddDate(0, -4, 0).Truncate(24 * time.Hour)
	clk := testenv.NewClock(start)
	svc, err := intake.New(ctx, intake.Config{DB: db, Now: clk.Now, Log: testenv.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	src, err := os.ReadFile("../../../examples/definitions/instrumentos.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddDefinition(ctx, "instrumentos.yaml", src, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := play.Staff(ctx, svc, start); err != nil {
		t.Fatal(err)
	}
	sum, err := play.Run(ctx, play.Config{Intake: svc, Now: clk.Now, Set: clk.Set, Seed: 1, Leads: leads,
		Start: start, End: end.Truncate(24 * time.Hour).Add(24 * time.Hour), Until: end, Log: testenv.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestPlayStopsAtUntil: a small play leaves every kind of sales work
// done, none refused by the waterfall, and nothing dated after the end
// even though later work was planned.
func TestPlayStopsAtUntil(t *testing.T) {
	db := storetest.OpenSQLite(t)
	sum := playOn(t, db, 500)
	if sum.Refused > 0 {
		t.Errorf("%d acts refused; the first: %v", sum.Refused, sum.FirstRefusal)
	}
	if sum.Touches == 0 || sum.Won == 0 || sum.Reassigned == 0 || len(sum.Rejections) < 3 || sum.Pending == 0 || sum.Costs == 0 {
		t.Errorf("summary %+v: want touches, wins, reassignments, several rejection reasons, running clocks and costs", sum)
	}
	clocks, err := db.ClocksStarted(context.Background(), time.Unix(0, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	latest := map[int64]*store.Clock{}
	for _, c := range clocks {
		if c.StartedAt.After(end) || (c.TouchedAt != nil && c.TouchedAt.After(end)) {
			t.Fatalf("clock %+v: after the end %s", c, end)
		}
		if l := latest[c.LeadID]; l == nil || c.ID > l.ID {
			latest[c.LeadID] = c
		}
	}
	// No rep's queue keeps a first touch weeks overdue: managers give a
	// late lead away or have its owner call within days.
	for id, c := range latest {
		l, err := db.Lead(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if l.OwnerID == 0 || !stage.Open(l.Stage()) || c.TouchedAt != nil || c.Status == "cancelled" {
			continue
		}
		if c.DueAt.Before(end.AddDate(0, 0, -6)) {
			t.Errorf("lead %d (%s) is in a queue with its first touch due %s, untouched", id, l.Stage(), c.DueAt)
		}
	}
}
