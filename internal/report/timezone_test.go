package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestMonthsAndWeeksInTheOrganisationsZone: a lead that came on Sunday 29
// November 2026 at 20:00 in Bogotá (Monday 01:00 UTC) and one on Monday
// 30 November at 21:00 (Tuesday 1 December UTC) fall in ISO weeks 48 and
// 49 (weeks start on Monday) and both in November for an organisation in
// Bogotá; in UTC both in week 49, one in November and one in December.
// Changing the setting rebuilds nothing.
func TestMonthsAndWeeksInTheOrganisationsZone(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := target.Open(t)
			h := &history{t: t, db: db}
			h.lead(person{at: time.Date(2026, 11, 29, 20, 0, 0, 0, bogota), source: "web_form", band: "A", version: "v1"})
			h.lead(person{at: time.Date(2026, 11, 30, 21, 0, 0, 0, bogota), source: "web_form", band: "A", version: "v1"})
			rep := report.New(db, noDefinition)
			for _, tc := range []struct {
				tz            string
				months, weeks map[string]int64
			}{
				{"America/Bogota", map[string]int64{"2026-11": 2}, map[string]int64{"2026-W48": 1, "2026-W49": 1}},
				{"UTC", map[string]int64{"2026-11": 1, "2026-12": 1}, map[string]int64{"2026-W49": 2}},
			} {
				if err := db.PutSetting(ctx, report.TimezoneSetting, tc.tz, time.Now()); err != nil {
					t.Fatal(err)
				}
				for dim, want := range map[string]map[string]int64{"month": tc.months, "week": tc.weeks} {
					fun, err := rep.Funnel(ctx, report.Query{From: allTime[0], To: allTime[1], GroupBy: []string{dim}})
					if err != nil {
						t.Fatal(err)
					}
					got := map[string]int64{}
					for _, g := range fun.Groups {
						got[g.Key] = g.Counts["inquiry"]
					}
					if len(got) != len(want) {
						t.Errorf("%s by %s: %v, want %v", tc.tz, dim, got, want)
					}
					for k, n := range want {
						if got[k] != n {
							t.Errorf("%s by %s: %v, want %v", tc.tz, dim, got, want)
						}
					}
					// A filter on the month or week uses the same zone.
					for k, n := range want {
						fun, err := rep.Funnel(ctx, report.Query{From: allTime[0], To: allTime[1], Filters: map[string][]string{dim: {k}}})
						if err != nil {
							t.Fatal(err)
						}
						if fun.Total.Counts["inquiry"] != n {
							t.Errorf("%s filtered to %s %s: %d leads, want %d", tc.tz, dim, k, fun.Total.Counts["inquiry"], n)
						}
					}
				}
			}
			loc, err := rep.Location(ctx)
			if err != nil || loc.String() != "UTC" {
				t.Errorf("location %v %v", loc, err)
			}
		})
	}
}
