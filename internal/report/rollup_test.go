package report_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestRollupsAgreeWithSegments: reports that add up the daily rollups
// (report_rollups) answer exactly what the same reports read from the
// segments say, on random histories that keep growing (so some days
// have rollups and others, changed since the last whole refresh, do
// not), over the queries the rollups answer: no dimension or one (grouped,
// filtered or both), a cohort's month or week beside it, a manager's
// teams; periods that cut days, whole days of several zones, all time;
// both views; three time zones, switched between refreshes (rollups of
// another zone are not used). The same for the bands report, whose score
// deciles come from the days' score histograms, over leads of several
// definitions with tied, fractional, zero and negative scores.
func TestRollupsAgreeWithSegments(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			for seed := uint64(1); seed <= 2; seed++ {
				db := target.Open(t)
				rng := rand.New(rand.NewPCG(seed, 41))
				h := &history{t: t, db: db}
				rolled := report.New(db, noDefinition)
				segs := report.NewWithoutRollups(db, noDefinition)
				var ids []int64
				for round := range 5 {
					randomHistories(t, h, rng, 30)
					ids = leadIDs(t, db, ids)
					randomChanges(h, rng, ids, 10)
					scoreChanges(h, rng, ids, 15)
					tz := []string{"UTC", "America/Bogota", "Asia/Kolkata"}[round%3]
					if err := db.PutSetting(ctx, report.TimezoneSetting, tz, time.Now()); err != nil {
						t.Fatal(err)
					}
					if round < 4 { // the last round reads rollups of another zone
						if err := rolled.Refresh(ctx); err != nil {
							t.Fatal(err)
						}
						missing, err := db.ReportRollupsMissing(ctx, tz, store.DayOf(time.Now()), 10)
						if err != nil {
							t.Fatal(err)
						}
						if len(missing) > 0 {
							t.Fatalf("round %d: a whole refresh left days without rollups: %v", round, missing)
						}
					}
					// Changes since the refresh: their days lose their rollups.
					randomHistories(t, h, rng, 5)
					for range 40 {
						q := rollupQuery(rng)
						a, err := rolled.Funnel(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						b, err := segs.Funnel(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						same(t, fmt.Sprintf("seed %d round %d %s funnel %+v", seed, round, tz, q), a, b)
					}
					for range 15 {
						q := bandsQuery(rng)
						a, err := rolled.Bands(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						b, err := segs.Bands(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						same(t, fmt.Sprintf("seed %d round %d %s bands %+v", seed, round, tz, q), a, b)
					}
				}
			}
		})
	}
}

// rollupQuery is a random query the rollups answer.
func rollupQuery(rng *rand.Rand) report.Query {
	q := randomQuery(rng)
	q.GroupBy, q.Filters = nil, map[string][]string{}
	dims := store.ReportDimensions
	values := map[string][]string{"source": {"web_form", "api", "webinar_list"}, "band": {"A", "B", "C"}, "owner": {"ana@x", "beto@x"},
		"campaign": {"ca", "cb", "later"}, "definition_version": {"v1", "v2", ""}, "team": {"ventas", "norte"}, "country": {"US", "CO"},
		"month": {"2026-09", "2026-10"}, "week": {"2026-W37", "2026-W40", "2026-W41"}, "form": {""}}
	if rng.IntN(5) > 0 {
		dim := dims[rng.IntN(len(dims))]
		if rng.IntN(3) > 0 {
			q.GroupBy = []string{dim}
		}
		if len(q.GroupBy) == 0 || rng.IntN(3) == 0 {
			vals := values[dim]
			q.Filters[dim] = vals[:1+rng.IntN(len(vals))]
		}
		if !q.Flow && dim != "month" && dim != "week" && rng.IntN(2) == 0 {
			label := []string{"month", "week"}[rng.IntN(2)]
			if rng.IntN(2) == 0 {
				q.GroupBy = append([]string{label}, q.GroupBy...)
			} else {
				q.GroupBy = append(q.GroupBy, label)
			}
		}
	}
	if rng.IntN(6) == 0 && (len(q.GroupBy) == 0 || q.GroupBy[0] == "team") && len(q.Filters) == 0 {
		q.Scope = report.Scope{Limited: true, Teams: []string{"norte"}}
	}
	return q
}

// scoreChanges gives some leads another definition and scores the
// histograms must place: ties, fractions, zero, negative zero, negatives.
func scoreChanges(h *history, rng *rand.Rand, ids []int64, n int) {
	scores := []float64{0, math.Copysign(0, -1), -12.5, 40, 40, 40, 0.1 + 0.2, 1e-12, 250.75}
	for range n {
		id := ids[rng.IntN(len(ids))]
		h.update(id, func(l *store.Lead) {
			l.DefinitionID = int64(1 + rng.IntN(2))
			if rng.IntN(3) > 0 {
				l.Eval.Total = scores[rng.IntN(len(scores))]
			}
		})
	}
}

// bandsQuery is a random bands report: mostly what the score rollups
// answer (no filter, any definition or one), some with filters or a
// manager's teams (read from the segments).
func bandsQuery(rng *rand.Rand) report.Query {
	q := randomQuery(rng)
	q.Flow, q.GroupBy, q.Filters = false, nil, map[string][]string{}
	q.DefinitionID = []int64{0, 0, 1, 2, 9}[rng.IntN(5)]
	switch rng.IntN(6) {
	case 0:
		q.Filters["source"] = []string{"web_form", "api"}
	case 1:
		q.Scope = report.Scope{Limited: true, Teams: []string{"norte"}}
	}
	return q
}
