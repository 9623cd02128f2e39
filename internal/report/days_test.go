package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestDaysAgreeWithRows: the packed segments (report_segments) give exactly the
// answers of report_leads read row by row, while random histories grow
// between refreshes: stage changes, rejections and recycling, later
// inquiries, re-evaluations (band, score, definition), reassignments,
// merges and undone merges. Every report is compared whole, over random
// periods (cut days, whole days, all time), groupings, filters and both views, in
// UTC and in a time zone whose days are not UTC's.
func TestDaysAgreeWithRows(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			for seed := uint64(1); seed <= 3; seed++ {
				db := target.Open(t)
				rng := rand.New(rand.NewPCG(seed, 26))
				h := &history{t: t, db: db}
				days := report.New(db, noDefinition)
				rows := report.NewRowByRow(db, noDefinition)
				var ids []int64
				for round := range 6 {
					randomHistories(t, h, rng, 25)
					ids = leadIDs(t, db, ids)
					randomChanges(h, rng, ids, 15)
					if round%2 == 0 { // the days are kept in step by refreshes of any size
						if err := days.Refresh(ctx); err != nil {
							t.Fatal(err)
						}
					}
					for _, tz := range []string{"UTC", "America/Bogota", "Asia/Kolkata"} {
						if err := db.PutSetting(ctx, report.TimezoneSetting, tz, time.Now()); err != nil {
							t.Fatal(err)
						}
						for range 8 {
							q := randomQuery(rng)
							a, err := days.Funnel(ctx, q)
							if err != nil {
								t.Fatal(err)
							}
							b, err := rows.Funnel(ctx, q)
							if err != nil {
								t.Fatal(err)
							}
							same(t, fmt.Sprintf("seed %d round %d %s funnel %+v", seed, round, tz, q), a, b)
							q.Flow = false
							ba, err := days.Bands(ctx, q)
							if err != nil {
								t.Fatal(err)
							}
							bb, err := rows.Bands(ctx, q)
							if err != nil {
								t.Fatal(err)
							}
							same(t, fmt.Sprintf("seed %d round %d %s bands %+v", seed, round, tz, q), ba, bb)
						}
					}
				}
			}
		})
	}
}

// randomChanges makes n changes without a timeline entry to random
// leads: band, score, owner, team, merges and undone merges.
func randomChanges(h *history, rng *rand.Rand, ids []int64, n int) {
	for range n {
		id := ids[rng.IntN(len(ids))]
		switch rng.IntN(6) {
		case 0:
			h.update(id, func(l *store.Lead) { l.Eval.Band = []string{"A", "B", "C"}[rng.IntN(3)] })
		case 1:
			h.update(id, func(l *store.Lead) { l.Eval.Total = float64(rng.IntN(100)) })
		case 2:
			h.update(id, func(l *store.Lead) { l.Owner = []string{"ana@x", "beto@x", "caro@x"}[rng.IntN(3)] })
		case 3:
			into := ids[rng.IntN(len(ids))]
			if into != id {
				h.update(id, func(l *store.Lead) { l.MergedInto = into })
			}
		case 4:
			h.update(id, func(l *store.Lead) { l.MergedInto = 0 })
		case 5:
			h.update(id, func(l *store.Lead) { l.Eval.Team = []string{"ventas", "norte"}[rng.IntN(2)] })
		}
	}
}

// leadIDs lists the leads written so far (IDs after the ones known).
func leadIDs(t *testing.T, db *store.DB, known []int64) []int64 {
	t.Helper()
	next := int64(1)
	if len(known) > 0 {
		next = known[len(known)-1] + 1
	}
	for ; ; next++ {
		if _, err := db.Lead(context.Background(), next); err != nil {
			return known
		}
		known = append(known, next)
	}
}

func randomQuery(rng *rand.Rand) report.Query {
	dims := store.ReportDimensions
	start := time.Date(2026, 8, 20, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(120*24*60)) * time.Minute)
	q := report.Query{From: start, To: start.Add(time.Duration(1+rng.IntN(90*24*60)) * time.Minute), Flow: rng.IntN(2) == 0,
		Filters: map[string][]string{}}
	// Periods cut days in two (above), or start and end at a midnight of
	// UTC or of a time zone, so whole days are read by their keys alone.
	switch rng.IntN(6) {
	case 0:
		q.From, q.To = allTime[0], allTime[1]
	case 1, 2:
		shift := []time.Duration{0, 5 * time.Hour, -330 * time.Minute}[rng.IntN(3)]
		q.From = q.From.Truncate(24 * time.Hour).Add(shift)
		q.To = q.To.Truncate(24 * time.Hour).Add(24*time.Hour + shift)
		if rng.IntN(2) == 0 { // one end cut
			q.To = q.To.Add(time.Duration(rng.IntN(24*60)) * time.Minute)
		}
	}
	for range rng.IntN(3) {
		q.GroupBy = append(q.GroupBy, dims[rng.IntN(len(dims))])
	}
	if len(q.GroupBy) == 2 && q.GroupBy[0] == q.GroupBy[1] {
		q.GroupBy = q.GroupBy[:1]
	}
	values := map[string][]string{"source": {"web_form", "api", "webinar_list"}, "band": {"A", "B", "C"}, "owner": {"ana@x", "beto@x"},
		"campaign": {"ca", "cb", "later"}, "definition_version": {"v1", "v2", ""}}
	for name, vals := range values {
		if rng.IntN(5) == 0 {
			q.Filters[name] = vals[:1+rng.IntN(len(vals)-1)]
		}
	}
	return q
}

func same(t *testing.T, what string, a, b any) {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatalf("%s: the days say\n%s\nthe rows say\n%s", what, ja, jb)
	}
}
