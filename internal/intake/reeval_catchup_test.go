package intake

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// Two servers share one database. One activates a definition; the other
// learns of it only when it next asks (RefreshActive, every few seconds),
// and the leads it stores meanwhile, after the re-evaluation's bound, are
// evaluated with the definition before. The re-evaluation looks at the
// leads above its bound again a while after it finished and evaluates
// those with the new definition: none keeps the old one until it happens
// to change. (A second writer on PostgreSQL leaves the same kind of lead
// when its group, built with the definition before, commits just after the
// bound is read.)
func TestReevaluationCatchesUpLeadsAnotherServerStoredWithTheOldDefinition(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			a := knownService(t, db, clk.Now)
			a.catchUpAfter = 300 * time.Millisecond
			b, err := New(ctx, Config{DB: db, Now: clk.Now, MaxBatch: 64})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(b.Close)
			old := b.Active().ID

			before := knownInquiry("price_request")
			write(t, a, []Inquiry{before}, true, nil)

			// b keeps the old definition while a re-evaluates: a's
			// re-evaluation and its first look above the bound are done
			// before b stores anything.
			src, err := os.ReadFile("../../examples/definitions/bant-classic.yaml")
			if err != nil {
				t.Fatal(err)
			}
			res, err := a.AddDefinition(ctx, "bant-classic.yaml", src, true)
			if err != nil {
				t.Fatal(err)
			}
			a.bg.Wait()
			var later []Inquiry
			for _, email := range []string{"ana@helixbio.com", "beto@helixbio.com", "caro@helixbio.com"} {
				in := knownInquiry("webinar_attended")
				in.Person.Email, in.Person.Phone = email, ""
				later = append(later, in)
			}
			var ids []int64
			for _, sub := range write(t, b, later, true, nil) {
				if sub.fresh == nil || sub.fresh.DefinitionID != old {
					t.Fatalf("the other server did not store a new lead evaluated with the old definition, %d: %+v", old, sub.res)
				}
				ids = append(ids, sub.res.LeadID)
			}

			deadline := time.Now().Add(10 * time.Second)
			for _, id := range ids {
				for {
					l, err := db.Lead(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if l.DefinitionID == res.Definition.ID {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("lead %d, stored by the other server after the activation, kept definition %d; want %d", id, l.DefinitionID, res.Definition.ID)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			r, err := db.LatestReevaluation(ctx, res.Definition.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Total != 1 || r.Done != 1 {
				t.Errorf("re-evaluation: %d of %d leads done; want the one lead stored before the activation", r.Done, r.Total)
			}
		})
	}
}
