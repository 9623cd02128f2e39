package report_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store/storetest"
)

// randomHistories writes n leads whose lives take random legal paths:
// forward through the funnel, skipping stages, rejected, nurtured and
// recycled, lost, merged inquiries, won with amounts.
func randomHistories(t *testing.T, h *history, rng *rand.Rand, n int) {
	sources := []string{"web_form", "api", "webinar_list"}
	bands := []string{"A", "B", "C"}
	start := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	forward := map[string][]string{"inquiry": {"mql", "sql", "nurture"}, "mql": {"sal", "nurture", "disqualified", "sql"},
		"sal": {"sql", "lost", "nurture"}, "sql": {"opportunity", "lost"}, "opportunity": {"won", "lost"}}
	for range n {
		at := start.Add(time.Duration(rng.IntN(90*24)) * time.Hour)
		first := []string{"inquiry", "inquiry", "mql", "nurture"}[rng.IntN(4)]
		id := h.lead(person{at: at, source: sources[rng.IntN(3)], campaign: "c" + string(rune('a'+rng.IntN(3))), country: "US",
			band: bands[rng.IntN(3)], team: "ventas", owner: "ana@x", score: float64(rng.IntN(100)), stage: first, version: "v1"})
		cur := first
		for step := 0; step < 6; step++ {
			at = at.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
			if cur == "nurture" {
				if rng.IntN(2) == 0 {
					break
				}
				h.recycle(id, at, "inquiry")
				cur = "inquiry"
				continue
			}
			next := forward[cur]
			if len(next) == 0 {
				break
			}
			to := next[rng.IntN(len(next))]
			switch {
			case to == "nurture" || to == "disqualified":
				h.reject(id, at, []string{"not_a_fit", "no_budget", "bad_timing"}[rng.IntN(3)], cur, to)
			default:
				h.move(id, at, cur, to, []string{"", "v1", "v2"}[rng.IntN(3)])
			}
			if rng.IntN(8) == 0 {
				h.inquiryAgain(id, at, sources[rng.IntN(3)], "later")
			}
			cur = to
		}
		if cur == "won" {
			h.won(id, float64(100*(1+rng.IntN(50))), []string{"USD", "COP"}[rng.IntN(2)])
		}
	}
}

func TestFunnelProperties(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			for seed := uint64(1); seed <= 3; seed++ {
				db := target.Open(t)
				rng := rand.New(rand.NewPCG(seed, 15))
				h := &history{t: t, db: db}
				randomHistories(t, h, rng, 60)
				rep := report.New(db, noDefinition)
				for _, groupBy := range [][]string{{"source"}, {"band", "month"}, {"definition_version"}, {"week"}} {
					for _, flow := range []bool{false, true} {
						fun, err := rep.Funnel(ctx, report.Query{From: allTime[0], To: allTime[1], GroupBy: groupBy, Flow: flow})
						if err != nil {
							t.Fatal(err)
						}
						checkMonotone(t, "total", fun.Total)
						sum := map[string]int64{}
						var rejected, recycled int64
						for _, g := range fun.Groups {
							if !flow {
								checkMonotone(t, g.Key, g)
							}
							for s, n := range g.Counts {
								sum[s] += n
							}
							rejected += g.Rejected.Count
							recycled += g.Recycled.Count
						}
						for _, s := range report.Stages {
							if sum[s] != fun.Total.Counts[s] {
								t.Errorf("seed %d %v flow=%v: groups add up to %d %s, total says %d", seed, groupBy, flow, sum[s], s, fun.Total.Counts[s])
							}
						}
						if rejected != fun.Total.Rejected.Count || recycled != fun.Total.Recycled.Count {
							t.Errorf("seed %d %v: rejected %d/%d recycled %d/%d", seed, groupBy, rejected, fun.Total.Rejected.Count, recycled, fun.Total.Recycled.Count)
						}
					}
				}
				cohort, err := rep.Funnel(ctx, report.Query{From: allTime[0], To: allTime[1]})
				if err != nil {
					t.Fatal(err)
				}
				flow, err := rep.Funnel(ctx, report.Query{From: allTime[0], To: allTime[1], Flow: true})
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range report.Stages {
					if cohort.Total.Counts[s] != flow.Total.Counts[s] {
						t.Errorf("seed %d: over all time the cohort has %d %s, the flow %d", seed, cohort.Total.Counts[s], s, flow.Total.Counts[s])
					}
				}
				if cohort.Total.Counts["inquiry"] != 60 {
					t.Errorf("seed %d: %d inquiries, want 60 (one per person, merged inquiries included)", seed, cohort.Total.Counts["inquiry"])
				}
				// Month by month, the flow's entries add up to all time's.
				months := map[string]int64{}
				for m := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC); m.Before(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, 1, 0) {
					fl, err := rep.Funnel(ctx, report.Query{From: m, To: m.AddDate(0, 1, 0), Flow: true})
					if err != nil {
						t.Fatal(err)
					}
					for s, n := range fl.Total.Counts {
						months[s] += n
					}
				}
				for _, s := range report.Stages {
					if months[s] != flow.Total.Counts[s] {
						t.Errorf("seed %d: months' flow of %s adds up to %d, all time %d", seed, s, months[s], flow.Total.Counts[s])
					}
				}
			}
		})
	}
}

// checkMonotone: a cohort's counts never grow from one stage to the next,
// and its time percentiles are ordered.
func checkMonotone(t *testing.T, what string, l report.Line) {
	t.Helper()
	for i := 1; i < len(report.Stages); i++ {
		a, b := report.Stages[i-1], report.Stages[i]
		if l.Counts[b] > l.Counts[a] {
			t.Errorf("%s: %d %s but %d %s", what, l.Counts[b], b, l.Counts[a], a)
		}
		if m, p := l.MedianHours[b], l.P90Hours[b]; (m == nil) != (p == nil) || (m != nil && *m > *p) {
			t.Errorf("%s: median %v p90 %v of %s", what, show(m), show(p), b)
		}
	}
}
