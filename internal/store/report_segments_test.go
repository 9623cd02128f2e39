package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestReportSegmentsFollowRows: after any mix of new, changed, unchanged
// and removed report rows, with lead IDs spread over several segments
// of a day, every row is kept on exactly the segments it belongs on, once
// in its inquiry's cohort day and once on each day it entered a stage,
// and reads back whole.
func TestReportSegmentsFollowRows(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := target.Open(t)
			rng := rand.New(rand.NewPCG(40, 1))
			day0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			current := map[int64]*store.ReportLead{}
			randomRow := func(id int64) *store.ReportLead {
				r := &store.ReportLead{LeadID: id, InquiryAt: day0.Add(time.Duration(rng.IntN(10*24*3600)) * time.Second),
					Source: []string{"api", "web_form"}[rng.IntN(2)], Owner: []string{"", "ana@x"}[rng.IntN(2)],
					Band: []string{"A", "B"}[rng.IntN(2)], Score: rng.Float64() * 100, DefinitionID: int64(rng.IntN(3)),
					Recycled: rng.IntN(4) == 0, Rejected: []string{"", "", "no_budget"}[rng.IntN(3)]}
				at := r.InquiryAt
				for s := range rng.IntN(6) {
					at = at.Add(time.Duration(rng.IntN(60*3600)) * time.Second)
					v := at
					r.Reached[s], r.Hours[s] = &v, float64(rng.IntN(500))/10
				}
				if r.Reached[4] != nil {
					r.WonAmount, r.WonCurrency = 1234.5, "USD"
				}
				return r
			}
			for round := range 5 {
				var rows []*store.ReportLead
				var gone []int64
				for range 60 {
					id := int64(1 + rng.IntN(3)*(store.SegmentSize+100) + rng.IntN(40)) // three segments
					switch {
					case current[id] != nil && rng.IntN(4) == 0:
						gone = append(gone, id)
						delete(current, id)
					case current[id] != nil && rng.IntN(3) == 0: // unchanged
						rows = append(rows, current[id])
					default:
						r := randomRow(id)
						rows = append(rows, r)
						current[id] = r
					}
				}
				// one ID once per call
				seen := map[int64]bool{}
				var uniq []*store.ReportLead
				for _, r := range rows {
					if !seen[r.LeadID] && current[r.LeadID] != nil {
						seen[r.LeadID] = true
						uniq = append(uniq, current[r.LeadID])
					}
				}
				var goneUniq []int64
				for _, id := range gone {
					if !seen[id] && current[id] == nil {
						seen[id] = true
						goneUniq = append(goneUniq, id)
					}
				}
				if err := db.SaveReportLeads(ctx, uniq, goneUniq, 0, nil); err != nil {
					t.Fatal(err)
				}
				want, got := []string{}, []string{}
				for _, r := range current {
					want = append(want, describe(store.SegCohort, store.DayOf(r.InquiryAt), r))
					days := map[int64]bool{store.DayOf(r.InquiryAt): true}
					for _, at := range r.Reached {
						if at != nil {
							days[store.DayOf(*at)] = true
						}
					}
					for d := range days {
						want = append(want, describe(store.SegFlow, d, r))
					}
				}
				for _, kind := range []string{store.SegCohort, store.SegFlow} {
					err := db.ReportSegments(ctx, kind, 0, 1<<40, store.SegmentBlobs{Ranks: true, Times: true}, func(s *store.Segment) error {
						return store.DecodeSegment(s.Day, s.Keys, s.Ranks, s.Times, func(r *store.ReportLead) error {
							if r.LeadID/store.SegmentSize != s.Seg {
								t.Errorf("lead %d kept on segment %d", r.LeadID, s.Seg)
							}
							got = append(got, describe(kind, s.Day, r))
							return nil
						})
					})
					if err != nil {
						t.Fatal(err)
					}
				}
				sort.Strings(want)
				sort.Strings(got)
				if !reflect.DeepEqual(want, got) {
					t.Fatalf("round %d: the segments hold\n%s\nthat they should not, and miss\n%s", round, strings.Join(minus(got, want), "\n"), strings.Join(minus(want, got), "\n"))
				}
			}
		})
	}
}

func describe(kind string, day int64, r *store.ReportLead) string {
	s := fmt.Sprintf("%s %d #%d %d %s %s %s %s %v %d %s %v %v %v %v %s", kind, day, r.LeadID, r.InquiryAt.UnixMilli(), r.Source, r.Owner, r.Band,
		r.Rejected, r.Score, r.DefinitionID, r.Version, r.Recycled, r.CameBack, r.Converted, r.WonAmount, r.WonCurrency)
	for i, at := range r.Reached {
		if at != nil {
			s += fmt.Sprintf(" %d:%d/%v", i, at.UnixMilli(), r.Hours[i])
		}
	}
	return s
}

// minus is what a holds beyond b (both sorted).
func minus(a, b []string) []string {
	count := map[string]int{}
	for _, s := range b {
		count[s]++
	}
	var out []string
	for _, s := range a {
		if count[s] > 0 {
			count[s]--
			continue
		}
		out = append(out, s)
	}
	return out
}
