package store_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestRollupsSummedOutsideTheWrite: a day's rollups are summed outside
// the write transaction (an intake write commits while the sum runs), and
// are not saved when a segment of the day changed meanwhile: the day keeps
// no rollups, so the next refresh sums it again, and then saves.
func TestRollupsSummedOutsideTheWrite(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := target.Open(t)
			at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			row := func(id int64, source string) *store.ReportLead {
				return &store.ReportLead{LeadID: id, InquiryAt: at, Source: source, Band: "A", Score: 50}
			}
			if err := db.SaveReportLeads(ctx, []*store.ReportLead{row(1, "api"), row(store.SegmentSize+1, "api")}, nil, 0, nil); err != nil {
				t.Fatal(err)
			}
			day := store.DayRef{Kind: store.SegCohort, Day: store.DayOf(at)}
			sums := func(rows []*store.ReportLead) map[string][]byte {
				b := []byte{byte(len(rows))}
				for _, r := range rows {
					b = append(b, r.Source[0])
				}
				return map[string][]byte{"": b}
			}
			stored := func() string {
				var got string
				if err := db.ReportRollups(ctx, day.Kind, "", "UTC", day.Day, day.Day, func(r *store.Rollup) error {
					got = string(r.Sums)
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				return got
			}
			// A write during the sum: it must commit (no transaction of the
			// sum holds the write lock), and it changes a segment of the day.
			saved, err := db.SaveReportRollups(ctx, day, "UTC", func(rows []*store.ReportLead) (map[string][]byte, error) {
				wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				defer cancel()
				if err := db.SaveReportLeads(wctx, []*store.ReportLead{row(store.SegmentSize+1, "web_form")}, nil, 0, nil); err != nil {
					t.Errorf("a write while the rollups are summed: %v", err)
				}
				return sums(rows), nil
			})
			if err != nil || saved {
				t.Fatalf("summed over a day that changed meanwhile: saved %v, %v", saved, err)
			}
			if got := stored(); got != "" {
				t.Fatalf("the day keeps stale rollups %q", got)
			}
			missing, err := db.ReportRollupsMissing(ctx, "UTC", day.Day+1, 10)
			if err != nil || len(missing) != 2 || missing[0] != day {
				t.Fatalf("missing rollups %v (%v), want %v and its flow day", missing, err, day)
			}
			// Nothing changes now: the second sum is saved, and sums both rows
			// as they are.
			saved, err = db.SaveReportRollups(ctx, day, "UTC", func(rows []*store.ReportLead) (map[string][]byte, error) {
				return sums(rows), nil
			})
			if err != nil || !saved {
				t.Fatalf("saved %v, %v", saved, err)
			}
			if got, want := stored(), "\x02aw"; got != want {
				t.Fatalf("rollup %q, want %q", got, want)
			}
			// Today and later are not listed.
			if missing, err := db.ReportRollupsMissing(ctx, "Europe/Lisbon", day.Day, 10); err != nil || len(missing) != 0 {
				t.Fatalf("days from before on listed: %v (%v)", missing, err)
			}
		})
	}
}

// TestSegmentsPackedAgainAfterMigration066: migration 066 changed the
// segments' span (8,192 lead IDs); it deletes the old segments and
// rollups, and the refresher packs them again from report_leads, a range
// of lead IDs per transaction, each lead on its segment, keeping what the
// refresher writes meanwhile.
func TestSegmentsPackedAgainAfterMigration066(t *testing.T) {
	ctx := context.Background()
	for _, target := range rawTargets(t) {
		t.Run(target.name, func(t *testing.T) {
			db := openMigrated(t, target.dsn)
			at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			ids := []int64{1, 8191, 8192, 65535, 65536, 200_000}
			var rows []*store.ReportLead
			for _, id := range ids {
				rows = append(rows, &store.ReportLead{LeadID: id, InquiryAt: at, Source: "api"})
			}
			if err := db.SaveReportLeads(ctx, rows, nil, 0, nil); err != nil {
				t.Fatal(err)
			}
			raw, err := sql.Open(target.driver, target.dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			// The database as before migration 066: segments numbered for
			// another span (made here by moving them), no version.
			for _, q := range []string{`UPDATE report_segments SET seg = seg + 1000`, `ALTER TABLE report_segments DROP COLUMN version`,
				`DELETE FROM schema_migrations WHERE version = 66`} {
				if _, err := raw.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			applied, err := db.Migrate(ctx)
			if err != nil || len(applied) != 1 {
				t.Fatalf("applied %v: %v", applied, err)
			}
			repacking, err := db.RebuildReportSegmentsIfEmpty(ctx)
			if err != nil || !repacking {
				t.Fatalf("repack started %v: %v", repacking, err)
			}
			// One range of lead IDs a transaction: the first packs the
			// leads below RepackChunk only.
			done, err := db.RepackReportSegments(ctx, 1)
			if err != nil || done {
				t.Fatalf("after one range: done %v, %v", done, err)
			}
			var want []int64
			for _, id := range ids {
				if id < store.RepackChunk {
					want = append(want, id)
				}
			}
			if got := segmentLeads(t, db); !slices.Equal(got, want) {
				t.Fatalf("after one range the segments hold %v, want %v", got, want)
			}
			// The refresher writes meanwhile, in a packed range and in one
			// not packed yet; the repack keeps both.
			if err := db.SaveReportLeads(ctx, []*store.ReportLead{{LeadID: 5, InquiryAt: at, Source: "web_form"},
				{LeadID: 200_001, InquiryAt: at, Source: "web_form"}}, nil, 0, nil); err != nil {
				t.Fatal(err)
			}
			if done, err := db.RepackReportSegments(ctx, 0); err != nil || !done {
				t.Fatalf("repack done %v: %v", done, err)
			}
			if got, want := segmentLeads(t, db), []int64{1, 5, 8191, 8192, 65535, 65536, 200_000, 200_001}; !slices.Equal(got, want) {
				t.Fatalf("the segments hold %v, want %v", got, want)
			}
			if repacking, err := db.RebuildReportSegmentsIfEmpty(ctx); err != nil || repacking {
				t.Fatalf("a repack still under way after it was done: %v, %v", repacking, err)
			}
		})
	}
}

// segmentLeads are the lead IDs the cohort segments hold, in order, each
// checked to be on its segment.
func segmentLeads(t *testing.T, db *store.DB) []int64 {
	t.Helper()
	var got []int64
	err := db.ReportSegments(context.Background(), store.SegCohort, 0, 1<<40, store.SegmentBlobs{Ranks: true, Times: true}, func(s *store.Segment) error {
		return store.DecodeSegment(s.Day, s.Keys, s.Ranks, s.Times, func(r *store.ReportLead) error {
			if r.LeadID/store.SegmentSize != s.Seg {
				t.Errorf("lead %d on segment %d", r.LeadID, s.Seg)
			}
			got = append(got, r.LeadID)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}
