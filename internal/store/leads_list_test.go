package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/lead"
	lstage "github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestSearchLeadsStage: the list's stage filter finds a lead by the stage
// it shows (stage.Effective of the evaluation's stage and the last human
// act), for every pair, after the lead is saved and after the waterfall
// changes its human stage.
func TestSearchLeadsStage(t *testing.T) {
	stages := []string{"", lstage.None, lstage.Inquiry, lstage.MQL, lstage.SAL, lstage.SQL, lstage.Opportunity, lstage.Won,
		lstage.Lost, lstage.Nurture, lstage.Disqualified, lstage.Recycled}
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			type pair struct{ engine, human string }
			byID := map[int64]pair{}
			for i, eng := range stages[1:] {
				for j, human := range stages {
					l := newLead(fmt.Sprintf("p%d.%d@acme.com", i, j), "", "", float64(i*100+j))
					l.Eval.Stage, l.HumanStage = eng, human
					// Half are saved with their human stage, half get it
					// from the waterfall afterwards.
					if j%2 == 1 {
						l.HumanStage = ""
					}
					err := db.InTx(ctx, func(tx *store.Tx) error {
						if err := tx.InsertLead(ctx, l); err != nil {
							return err
						}
						if l.HumanStage == human {
							return nil
						}
						l.HumanStage = human
						return tx.SaveFlow(ctx, l, t0)
					})
					if err != nil {
						t.Fatal(err)
					}
					byID[l.ID] = pair{eng, human}
				}
			}
			for _, st := range stages[1:] {
				got, err := db.SearchLeads(ctx, store.LeadQuery{Stage: st, Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				found := map[int64]bool{}
				for _, l := range got {
					found[l.ID] = true
					if l.Stage() != st {
						t.Errorf("stage %s: lead %d shows %s", st, l.ID, l.Stage())
					}
				}
				for id, p := range byID {
					if want := lstage.Effective(p.engine, p.human) == st; want != found[id] {
						t.Errorf("stage %s: engine %q, human %q: listed %v, stage.Effective says %v", st, p.engine, p.human, found[id], want)
					}
				}
			}
		})
	}
}

// TestSearchLeadsScope: a limited scope lists exactly the leads the user
// holds, their teams' unheld leads and their whole teams' leads, in each
// order and page after page, with filters; the same as filtering every
// lead by hand.
func TestSearchLeadsScope(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			teams := []string{"latam", "norte", "sur", ""}
			var all []*store.Lead
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for i := range 240 {
					l := newLead(fmt.Sprintf("s%d@acme.com", i), "", "", float64(i%37)) // equal scores, ordered by ID
					l.CreatedAt = t0.Add(time.Duration(i%53) * time.Minute)
					l.Eval.Team, l.Eval.Band = teams[i%4], []string{"A", "B"}[i%3%2]
					l.Data.Person = lead.Person{FirstName: []string{"Ana", "Luis", "Eva"}[i%3], LastName: "Gómez"}
					if err := tx.InsertLead(ctx, l); err != nil {
						return err
					}
					if i%5 < 2 { // held by user 1 or 2
						l.OwnerID = int64(1 + i%5)
						l.Owner = fmt.Sprintf("u%d@acme.com", l.OwnerID)
						if err := tx.SaveFlow(ctx, l, t0); err != nil {
							return err
						}
					}
					if i%17 == 0 { // merged: never listed
						l2 := *l
						l2.MergedInto, l2.Encoded = 1, nil
						if err := tx.UpdateLead(ctx, &l2); err != nil {
							return err
						}
						continue
					}
					all = append(all, l)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			scopes := []store.LeadScope{
				{Limited: true, User: 1, Teams: []string{"latam"}},
				{Limited: true, User: 2, Teams: []string{"latam", "sur"}},
				{Limited: true, User: 1, Whole: []string{"norte"}},
				{Limited: true, User: 2, Teams: []string{"latam"}, Whole: []string{"latam", "sur"}},
				{Limited: true, User: 9},
				{},
			}
			in := func(sc store.LeadScope, l *store.Lead) bool {
				return !sc.Limited || l.OwnerID == sc.User || (l.OwnerID == 0 && slices.Contains(sc.Teams, l.Eval.Team)) ||
					slices.Contains(sc.Whole, l.Eval.Team)
			}
			for si, sc := range scopes {
				for _, sort := range []string{"score", "newest", "oldest"} {
					for _, filter := range []store.LeadQuery{{}, {Band: "A"}, {Text: "eva"}, {Owner: "-"}} {
						var want []int64
						for _, l := range all {
							if in(sc, l) && (filter.Band == "" || l.Eval.Band == filter.Band) &&
								(filter.Text == "" || l.Data.Person.FirstName == "Eva") && (filter.Owner == "" || l.OwnerID == 0) {
								want = append(want, l.ID)
							}
						}
						byID := map[int64]*store.Lead{}
						for _, l := range all {
							byID[l.ID] = l
						}
						slices.SortFunc(want, func(a, b int64) int {
							la, lb := byID[a], byID[b]
							switch sort {
							case "newest":
								return cmp.Or(lb.CreatedAt.Compare(la.CreatedAt), cmp.Compare(b, a))
							case "oldest":
								return cmp.Or(la.CreatedAt.Compare(lb.CreatedAt), cmp.Compare(a, b))
							}
							return cmp.Or(cmp.Compare(lb.Eval.Total, la.Eval.Total), cmp.Compare(b, a))
						})
						q := filter
						q.Scope, q.Sort, q.Limit = sc, sort, 7
						var got []int64
						for page := 0; page < 100; page++ {
							leads, err := db.SearchLeads(ctx, q)
							if err != nil {
								t.Fatalf("scope %d, %s: %v", si, sort, err)
							}
							for _, l := range leads {
								got = append(got, l.ID)
							}
							if len(leads) < q.Limit {
								break
							}
							last := leads[len(leads)-1]
							q.AfterID, q.AfterValue = last.ID, last.Eval.Total
							if sort != "score" {
								q.AfterValue = float64(last.CreatedAt.UnixMilli())
							}
						}
						if !slices.Equal(got, want) {
							t.Errorf("scope %d, sort %s, filter %+v:\n got %v\nwant %v", si, sort, filter, got, want)
						}
					}
				}
			}
		})
	}
}

// TestSearchLeadsCampaign: the list's campaign filter finds the leads of
// a campaign however its name is spelt (a name that is also a packed
// fragment, LIKE's wildcards, characters JSON escapes), whether the lead
// was stored packed or, by an older version, as plain JSON.
func TestSearchLeadsCampaign(t *testing.T) {
	campaigns := []string{"feria-2026", "none", "50%_off", `Q2 <b>&"x"`, "Feria-2026"}
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			want := map[string][]int64{}
			for i, c := range campaigns {
				for j := range 2 {
					l := newLead(fmt.Sprintf("c%d.%d@acme.com", i, j), "", "", 1)
					l.Data.Source = lead.Source{Format: "web_form", Campaign: c}
					err := db.InTx(ctx, func(tx *store.Tx) error {
						if err := tx.InsertLead(ctx, l); err != nil || j == 0 {
							return err
						}
						// The second as an older version stored it.
						data, err := l.Data.AppendJSON(nil)
						if err != nil {
							return err
						}
						return tx.ExecForTest(ctx, `UPDATE leads SET data = ? WHERE id = ?`, string(data), l.ID)
					})
					if err != nil {
						t.Fatal(err)
					}
					want[c] = append(want[c], l.ID)
				}
			}
			for _, c := range append(campaigns, "feria", "50") {
				got, err := db.SearchLeads(ctx, store.LeadQuery{Campaign: c, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				var ids []int64
				for _, l := range got {
					ids = append(ids, l.ID)
				}
				slices.Sort(ids)
				if !slices.Equal(ids, want[c]) {
					t.Errorf("campaign %q: leads %v, want %v", c, ids, want[c])
				}
			}
		})
	}
}
