package intake_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// raceLoad is what several servers receive at once: people who share
// companies (a handful of domains for all of them) and, two by two, a
// phone, sent as single inquiries and as batches, each person several
// times, some requests twice under one Idempotency-Key.
type raceLoad struct {
	people, rounds int
}

// inquiry is person p's inquiry of round r. Every inquiry carries the
// person's e-mail, so that which lead it lands on does not depend on
// which request a database sees first.
func (rl raceLoad) inquiry(p, r int) intake.Inquiry {
	in := laura()
	in.Person.Email = fmt.Sprintf("person%d@racer%d.com", p, p%5)
	in.Person.Phone = fmt.Sprintf("+1617555%04d", p/2)
	in.Company.Domain = fmt.Sprintf("racer%d.com", p%5)
	in.Action = lead.Action{Type: "contact_form", At: time.Date(2026, 11, 20, 10, r, p%60, 0, time.UTC)}
	return in
}

// send has server s of n send its share of the load: round r of person p
// goes to server (p+r) % n, so every person is written by every server.
// Odd people come in batches of up to ten, the rest one by one; every
// fourth request is also sent to the next server with the same key.
func (rl raceLoad) send(ctx context.Context, servers []*intake.Service, s int) error {
	n := len(servers)
	for r := range rl.rounds {
		var batch []intake.Inquiry
		first := 0 // the batch's first person, which names its key
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			key := &intake.Idem{TokenID: 1, Key: fmt.Sprintf("batch-%d-%d", first, r), Fingerprint: "f"}
			items, _, err := servers[s].SubmitBatch(ctx, batch, key)
			if err != nil {
				return err
			}
			for i, it := range items {
				if it.Outcome != intake.Created && it.Outcome != intake.Merged {
					return fmt.Errorf("batch item %d: outcome %d %v", i, it.Outcome, it.Problem)
				}
			}
			batch = nil
			return nil
		}
		for p := range rl.people {
			if (p+r)%n != s {
				continue
			}
			if p%2 == 1 {
				if len(batch) == 0 {
					first = p
				}
				batch = append(batch, rl.inquiry(p, r))
				if len(batch) == 10 {
					if err := flush(); err != nil {
						return err
					}
				}
				continue
			}
			key := &intake.Idem{TokenID: 1, Key: fmt.Sprintf("one-%d-%d", p, r), Fingerprint: "f"}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, target := range []int{s, (s + 1) % n} {
				if i == 1 && (p%4 != 0 || n == 1) {
					break
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					k := *key
					_, errs[i] = servers[target].Submit(ctx, rl.inquiry(p, r), &k)
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					return fmt.Errorf("person %d round %d: %w", p, r, err)
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
	}
	return nil
}

// outcome is what the load left in the database, in terms that do not
// depend on the order the servers wrote in: the two people who share a
// phone are one lead (the second is recognised by the phone), under the
// e-mail of whichever came first.
type outcome struct {
	leads, companies int64
	actions          map[string]int // per phone: actions on the lead with it
}

func outcomeOf(t *testing.T, db *store.DB) outcome {
	t.Helper()
	ctx := context.Background()
	leads, err := db.ListLeads(ctx, store.ListFilter{Limit: 501})
	if err != nil {
		t.Fatal(err)
	}
	o := outcome{leads: int64(len(leads)), actions: map[string]int{}}
	for _, l := range leads {
		o.actions[l.Phone] += len(l.Data.Actions)
	}
	if o.companies, err = db.CountCompanies(ctx); err != nil {
		t.Fatal(err)
	}
	return o
}

// startServers opens n intake services on one database URL, as n
// `pista serve` processes would.
func startServers(t *testing.T, url string, n int) []*intake.Service {
	t.Helper()
	ctx := context.Background()
	var out []*intake.Service
	for i := range n {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		s, err := intake.New(ctx, intake.Config{DB: db, MaxBatch: 64})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		if i == 0 {
			activate(t, s)
		} else if err := s.RefreshActive(ctx); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestServersRaceOnSamePeople runs one, two and three intake services on
// one PostgreSQL database, all receiving the same people, companies and
// phones at once, several requests in flight per server: no request may
// fail, nobody may be stored twice, and the outcome must be the one a
// single server gives.
func TestServersRaceOnSamePeople(t *testing.T) {
	rl := raceLoad{people: 120, rounds: 4}
	var want outcome
	for _, n := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("servers=%d", n), func(t *testing.T) {
			servers := startServers(t, storetest.PostgresURL(t), n)
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make(chan error, 4*n)
			for s := range n {
				// Four clients per server, each sending the whole share:
				// the same people arrive several times at once.
				for range 4 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if err := rl.send(ctx, servers, s); err != nil {
							errs <- err
						}
					}()
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			got := outcomeOf(t, servers[0].DB())
			if got.leads != int64(rl.people/2) {
				t.Errorf("%d live leads for %d pairs of people who share a phone", got.leads, rl.people/2)
			}
			for phone, n := range got.actions {
				if n != 2*rl.rounds {
					t.Errorf("the lead with phone %s has %d actions, want %d", phone, n, 2*rl.rounds)
				}
			}
			if got.companies != 5 {
				t.Errorf("%d companies, want 5", got.companies)
			}
			if n == 1 {
				want = got
				return
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%d servers left\n%v\none server left\n%v", n, got, want)
			}
		})
	}
}
