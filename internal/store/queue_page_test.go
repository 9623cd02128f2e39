package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestQueuePage: a rep's queue and their teams' unassigned leads, page
// after page, are every lead of the queue exactly once, in the queue's
// order (the first touch awaited and due first on top, by the latest
// clock of each lead; then paused; then the rest by score), with the
// counts the page shows: the total, how many come before the page, the
// first touches due today and the next one due after today; with the
// band and stage filters; on both databases.
func TestQueuePage(t *testing.T) {
	ctx := context.Background()
	dayEnd := t0.Add(2 * time.Hour)
	type fixture struct {
		id            int64
		owner         int64
		team          string // the open unheld assignment's team, "" for none
		stage, band   string
		score         float64
		status        string // the latest clock's status, "" for none
		due           time.Time
		merged, ended bool
	}
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			db := target.Open(t)
			var reps []int64
			for _, name := range []string{"rita", "rui"} {
				u := &store.User{Name: name, Email: name + "@acme.com", Role: "rep", Language: "es", Active: true, CreatedAt: t0, UpdatedAt: t0}
				if err := db.InsertUser(ctx, u); err != nil {
					t.Fatal(err)
				}
				reps = append(reps, u.ID)
			}
			rita, rui := reps[0], reps[1]
			var all []*fixture
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for i := range 90 {
					f := &fixture{stage: []string{"mql", "sal", "sql"}[i/4%3], band: []string{"A", "B"}[i/2%2],
						score: float64(i % 4 * 10), team: []string{"norte", "sur", "este"}[i/2%3]}
					if i%11 == 0 {
						f.stage = "won"
					}
					switch i % 3 {
					case 0:
						f.owner, f.team = rita, ""
					case 1:
						f.owner, f.team = rui, ""
					}
					l := newLead(fmt.Sprintf("q%d@acme.com", i), "", "", f.score)
					l.Eval.Stage, l.Eval.Band = f.stage, f.band
					if err := tx.InsertLead(ctx, l); err != nil {
						return err
					}
					f.id = l.ID
					if f.owner != 0 {
						l.OwnerID, l.Owner = f.owner, fmt.Sprintf("u%d@acme.com", f.owner)
						if err := tx.SaveFlow(ctx, l, t0); err != nil {
							return err
						}
					}
					team := cmp.Or(f.team, "norte")
					a := &store.Assignment{LeadID: l.ID, Team: team, UserID: f.owner, At: t0.Add(-time.Duration(i) * time.Minute),
						Actor: "routing", Reason: []byte(`{}`), Status: store.AssignOpen}
					if err := tx.InsertAssignment(ctx, a); err != nil {
						return err
					}
					if f.owner == 0 && i%13 == 5 {
						// Taken away: no longer waiting in the queue.
						now := t0
						a.EndedAt, a.Status, f.ended = &now, store.AssignReassigned, true
						if err := tx.UpdateAssignment(ctx, a); err != nil {
							return err
						}
					}
					clock := func(status string, due time.Time) error {
						c := &store.Clock{LeadID: l.ID, AssignmentID: a.ID, Team: team, UserID: f.owner, Policy: "p", StartedAt: t0,
							DueAt: due, Status: status}
						f.status, f.due = status, due
						return tx.InsertClock(ctx, c)
					}
					// Due times repeat so that ties are broken by score
					// and ID.
					due := t0.Add(time.Duration(i%7-3) * 4 * time.Hour)
					switch i / 3 % 6 {
					case 1:
						err := clock(store.ClockPending, due)
						if err != nil {
							return err
						}
					case 2:
						if err := clock(store.ClockBreached, t0.Add(-time.Duration(i%5)*time.Hour)); err != nil {
							return err
						}
					case 3:
						if err := clock(store.ClockPaused, due); err != nil {
							return err
						}
					case 4:
						if err := clock(store.ClockMet, due); err != nil {
							return err
						}
					case 5:
						// The latest clock counts: an older one met, a
						// newer one pending.
						if err := clock(store.ClockMet, t0.Add(-100*time.Hour)); err != nil {
							return err
						}
						if err := clock(store.ClockPending, due.Add(time.Hour)); err != nil {
							return err
						}
					}
					if i%17 == 9 {
						f.merged = true
					}
					all = append(all, f)
				}
				for _, f := range all {
					if f.merged {
						if err := tx.ExecForTest(ctx, `UPDATE leads SET merged_into = ? WHERE id = ?`, all[0].id, f.id); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			key := func(f *fixture) store.QueueKey {
				k := store.QueueKey{Rank: 2, Score: f.score, ID: f.id}
				switch f.status {
				case store.ClockPending, store.ClockBreached:
					k.Rank, k.Due = 0, f.due.UnixMilli()
				case store.ClockPaused:
					k.Rank = 1
				}
				return k
			}
			less := func(a, b store.QueueKey) int {
				return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.Due, b.Due), -cmp.Compare(a.Score, b.Score), -cmp.Compare(a.ID, b.ID))
			}
			open := []string{"mql", "sal", "sql"}
			for _, q := range []store.QueueQuery{
				{Owner: rita, Stages: open},
				{Owner: rui, Stages: open, Band: "B"},
				{Owner: rita, Stages: []string{"sal"}},
				{Owner: rui},
				{Owner: rui + 1000, Stages: open},
				{Teams: []string{"norte", "sur"}},
				{Teams: []string{"este"}, Stages: []string{"mql", "sql"}, Band: "A"},
				{Teams: []string{"nadie"}},
				{},
			} {
				t.Run(fmt.Sprintf("owner %d teams %v stages %v band %q", q.Owner, q.Teams, q.Stages, q.Band), func(t *testing.T) {
					var want []*fixture
					wantDue, wantNext := 0, time.Time{}
					for _, f := range all {
						in := !f.merged && (len(q.Stages) == 0 || slices.Contains(q.Stages, f.stage)) && (q.Band == "" || f.band == q.Band)
						if q.Owner != 0 {
							in = in && f.owner == q.Owner
						} else {
							in = in && f.owner == 0 && !f.ended && slices.Contains(q.Teams, f.team) && len(q.Teams) > 0
						}
						if !in {
							continue
						}
						want = append(want, f)
						if k := key(f); k.Rank == 0 {
							if f.status == store.ClockBreached || f.due.Before(dayEnd) {
								wantDue++
							} else if wantNext.IsZero() || f.due.Before(wantNext) {
								wantNext = f.due
							}
						}
					}
					slices.SortFunc(want, func(a, b *fixture) int { return less(key(a), key(b)) })
					q.Limit, q.DayEnd = 4, dayEnd
					var got []*store.Lead
					var teams []string
					for page := 0; ; page++ {
						res, err := db.QueuePage(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						if page == 0 && q.Owner == rita && len(q.Stages) == 3 && (wantNext.IsZero() || wantDue == 0) {
							t.Fatalf("the fixture has no first touch due after today, or none today")
						}
						if res.Total != len(want) || res.Before != len(got) || res.DueToday != wantDue || !res.NextDue.Equal(wantNext) {
							t.Fatalf("page %d: total %d, before %d, due today %d, next due %v; want %d, %d, %d, %v",
								page, res.Total, res.Before, res.DueToday, res.NextDue, len(want), len(got), wantDue, wantNext)
						}
						if len(res.Leads) > q.Limit || len(res.Keys) != len(res.Leads) {
							t.Fatalf("page %d: %d leads, %d keys", page, len(res.Leads), len(res.Keys))
						}
						got, teams = append(got, res.Leads...), append(teams, res.Teams...)
						if res.More != (len(got) < len(want)) {
							t.Fatalf("page %d: more %v with %d of %d read", page, res.More, len(got), len(want))
						}
						if !res.More {
							break
						}
						q.After = res.Keys[len(res.Keys)-1]
					}
					if len(got) != len(want) {
						t.Fatalf("%d leads, want %d", len(got), len(want))
					}
					for i, f := range want {
						if got[i].ID != f.id {
							t.Fatalf("lead %d: %d, want %d (%+v)", i, got[i].ID, f.id, key(f))
						}
						if q.Owner == 0 && teams[i] != f.team {
							t.Errorf("lead %d: team %q, want %q", f.id, teams[i], f.team)
						}
					}
				})
			}
		})
	}
}
