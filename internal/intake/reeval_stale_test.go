package intake

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// Two servers share one database. One activates a definition and
// re-evaluates every lead; the other learns of it only when it next asks
// (RefreshActive, every few seconds), and meanwhile stores new leads and
// merges an inquiry into a lead the re-evaluation has already done, all
// evaluated with the definition before. Those leads are flagged as they
// commit, so that either server's background work evaluates them with the
// new definition, also when the server that stored them stopped right
// after: none keeps the old one until it happens to change.
func TestLeadsStoredWithADefinitionNoLongerActiveAreEvaluatedAgain(t *testing.T) {
	cases := []struct {
		name string
		// laggingStops: the server that stored them stops, and the
		// other evaluates them.
		laggingStops bool
	}{
		{"by the server that stored them", false},
		{"by the other server, after that one stopped", true},
	}
	for _, target := range storetest.Targets() {
		for _, c := range cases {
			t.Run(target.Name+"/"+c.name, func(t *testing.T) {
				ctx := context.Background()
				db, a, lagging := twoServers(t, target.Name)
				old := lagging.Active().ID

				known := submitOne(t, a, knownInquiry("price_request"))

				res := activateAndReevaluate(t, a) // done before the other server stores anything
				if l := storedLead(t, db, known); l.DefinitionID != res.Definition.ID {
					t.Fatalf("the re-evaluation left lead %d with definition %d", known, l.DefinitionID)
				}

				ids := []int64{submitOne(t, lagging, knownInquiry("webinar_attended"))}
				if ids[0] != known {
					t.Fatalf("the known person's inquiry went to lead %d, not %d", ids[0], known)
				}
				for _, email := range []string{"ana@helixbio.com", "beto@helixbio.com", "caro@helixbio.com"} {
					in := knownInquiry("webinar_attended")
					in.Person.Email, in.Person.Phone = email, ""
					ids = append(ids, submitOne(t, lagging, in))
				}
				for _, id := range ids {
					if l := storedLead(t, db, id); l.DefinitionID != old {
						t.Fatalf("the lagging server stored lead %d with definition %d; the test needs the old one, %d", id, l.DefinitionID, old)
					}
				}
				flagged, err := db.LeadsNeedingEval(ctx, 100)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(flagged, ids) {
					t.Fatalf("leads flagged for evaluation: %v; want those stored with the old definition, %v", flagged, ids)
				}

				by := lagging
				if c.laggingStops {
					lagging.Close()
					by = a
				}
				if err := by.EvaluatePending(ctx); err != nil {
					t.Fatal(err)
				}
				for _, id := range ids {
					if l := storedLead(t, db, id); l.DefinitionID != res.Definition.ID {
						t.Errorf("lead %d kept definition %d; want %d", id, l.DefinitionID, res.Definition.ID)
					}
				}
				if got := by.Active().ID; got != res.Definition.ID {
					t.Errorf("the server evaluating them has definition %d active; want %d", got, res.Definition.ID)
				}
				if flagged, err := db.LeadsNeedingEval(ctx, 100); err != nil || len(flagged) > 0 {
					t.Errorf("leads still flagged: %v (%v)", flagged, err)
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
}

// pista import runs no background work that would notice an activation
// elsewhere: the first group it stores with the definition before, flagged,
// makes it take up the new one, and the next groups are evaluated with it.
func TestImportTakesUpADefinitionActivatedElsewhere(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db, server, importing := twoServers(t, target.Name)
			old := importing.Active().ID
			res := activateAndReevaluate(t, server)

			importRow := func(email string) int64 {
				in := knownInquiry("list_import")
				in.Person.Email, in.Person.Phone = email, ""
				rows, err := importing.ImportBatch(ctx, []ImportItem{{Inquiry: in, Key: email}})
				if err != nil || rows[0].Status != RowCreated {
					t.Fatalf("import %s: %+v, %v", email, rows, err)
				}
				return rows[0].LeadID
			}
			first := importRow("ana@helixbio.com")
			if l := storedLead(t, db, first); l.DefinitionID != old {
				t.Fatalf("the first row's lead has definition %d; the test needs the one before, %d", l.DefinitionID, old)
			}
			if got := importing.Active().ID; got != res.Definition.ID {
				t.Fatalf("after a group stored with the definition before, the import has %d active; want %d", got, res.Definition.ID)
			}
			second := importRow("beto@helixbio.com")
			if l := storedLead(t, db, second); l.DefinitionID != res.Definition.ID {
				t.Errorf("the next row's lead has definition %d; want %d", l.DefinitionID, res.Definition.ID)
			}
			if flagged, err := db.LeadsNeedingEval(ctx, 10); err != nil || !slices.Equal(flagged, []int64{first}) {
				t.Errorf("flagged %v (%v); want the first row's lead alone, %d", flagged, err, first)
			}
		})
	}
}

// Two servers share a database; one stores inquiries without pause, new
// people and people it saw before, and asks for the active definition only
// now and then, while the other activates definitions back and forth, and
// last a third one that the first server has not asked about when the load
// stops. Once the background work has run, every live lead is evaluated
// with the definition active then: none kept one that an activation had
// replaced, whatever the order of commits around it.
func TestNoLeadKeepsAReplacedDefinitionWhileActivationsComeAndGo(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db, activating, lagging := twoServers(t, target.Name)
			first := activating.Active().ID
			second := activateAndReevaluate(t, activating).Definition.ID
			if err := lagging.RefreshActive(ctx); err != nil {
				t.Fatal(err)
			}

			stop, stopAsking := make(chan struct{}), make(chan struct{})
			var wg, asking sync.WaitGroup
			errs := make(chan error, 8)
			loopUntil := func(stop chan struct{}, wg *sync.WaitGroup, every time.Duration, fn func() error) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						select {
						case <-stop:
							return
						case <-time.After(every):
						}
						if err := fn(); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			loop := func(every time.Duration, fn func() error) { loopUntil(stop, &wg, every, fn) }
			sent := 0
			loop(time.Millisecond, func() error {
				var batch []Inquiry
				for i := range 8 {
					in := knownInquiry("webinar_attended")
					// Every third one a person sent before.
					n := sent + i
					if n%3 == 2 {
						n = n / 2
					}
					in.Person.Email, in.Person.Phone = fmt.Sprintf("p%d@helixbio.com", n), ""
					batch = append(batch, in)
				}
				sent += len(batch)
				_, _, err := lagging.SubmitBatch(ctx, batch, nil)
				return err
			})
			loopUntil(stopAsking, &asking, 400*time.Millisecond, func() error { return lagging.RefreshActive(ctx) })
			loop(100*time.Millisecond, func() error { return activating.EvaluatePending(ctx) })
			for i := range 6 {
				time.Sleep(150 * time.Millisecond)
				id := []int64{first, second}[i%2]
				if _, err := activating.ActivateDefinition(ctx, id); err != nil {
					t.Fatal(err)
				}
			}
			close(stopAsking)
			asking.Wait()
			src, err := os.ReadFile("../../examples/definitions/escola-b2c.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := activating.AddDefinition(ctx, "escola-b2c.yaml", src, true); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond)
			close(stop)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			activating.bg.Wait()

			active := activating.Active().ID
			for range 20 {
				for _, s := range []*Service{lagging, activating} {
					if err := s.EvaluatePending(ctx); err != nil {
						t.Fatal(err)
					}
				}
				if flagged, err := db.LeadsNeedingEval(ctx, 1); err != nil || len(flagged) == 0 {
					break
				}
			}
			last, err := db.MaxLeadID(ctx)
			if err != nil {
				t.Fatal(err)
			}
			stale := 0
			for id := int64(1); id <= last; id++ {
				l, err := db.Lead(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if l.MergedInto == 0 && l.DefinitionID != active {
					stale++
				}
			}
			t.Logf("%d inquiries sent, %d leads", sent, last)
			if sent < 100 || stale > 0 {
				t.Errorf("%d of %d leads kept a definition other than the active one, %d (%d inquiries sent)", stale, last, active, sent)
			}
		})
	}
}

// activateAndReevaluate stores and activates another definition on s and
// waits for its re-evaluation to finish.
func activateAndReevaluate(t *testing.T, s *Service) *DefinitionResult {
	t.Helper()
	src, err := os.ReadFile("../../examples/definitions/bant-classic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.AddDefinition(context.Background(), "bant-classic.yaml", src, true)
	if err != nil {
		t.Fatal(err)
	}
	s.bg.Wait()
	return res
}

// twoServers opens two services on one new database of the target, as two
// servers sharing it would: the first activates the instrument maker's
// definition (knownService), the second starts with it active. db is the
// first's handle, for reading what they stored.
func twoServers(t *testing.T, target string) (db *store.DB, first, second *Service) {
	t.Helper()
	var dbs []*store.DB
	if target == "sqlite" {
		dbs = storetest.OpenAt(t, filepath.Join(t.TempDir(), "pista.db"), 2)
	} else {
		dbs = storetest.OpenServers(t, 2)
	}
	now := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)).Now
	first = knownService(t, dbs[0], now)
	second, err := New(context.Background(), Config{DB: dbs[1], Now: now, MaxBatch: 64})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(second.Close)
	return dbs[0], first, second
}

// submitOne submits an inquiry alone and returns its lead's ID.
func submitOne(t *testing.T, s *Service, in Inquiry) int64 {
	t.Helper()
	ans, err := s.Submit(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ans.Result.LeadID
}

func storedLead(t *testing.T, db *store.DB, id int64) *store.Lead {
	t.Helper()
	l, err := db.Lead(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
