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

// TestTwoServersOnePostgres runs two intake services on one PostgreSQL
// database, as two `pista serve` processes would, both receiving the same
// people at the same time: each person must end up as exactly one lead,
// with every inquiry on it.
func TestTwoServersOnePostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	var services []*intake.Service
	for i := range 2 {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		s, err := intake.New(ctx, intake.Config{DB: db, MaxBatch: 32})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		if i == 0 {
			activate(t, s)
		} else if err := s.RefreshActive(ctx); err != nil {
			t.Fatal(err)
		}
		services = append(services, s)
	}
	const people, rounds = 40, 3
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for si, s := range services {
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range rounds {
					for p := w; p < people; p += 8 {
						in := laura()
						in.Person.Email = fmt.Sprintf("person%d@acme.com", p)
						in.Person.Phone = ""
						in.Action = lead.Action{Type: "contact_form", At: time.Date(2026, 11, 20, 10, si, r, p, time.UTC)}
						if _, err := s.Submit(ctx, in, nil); err != nil {
							errs <- err
							return
						}
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	db := services[0].DB()
	n, err := db.CountLiveLeads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != people {
		t.Fatalf("%d leads for %d people", n, people)
	}
	leads, err := db.ListLeads(ctx, store.ListFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range leads {
		if got := len(l.Data.Actions); got != 2*rounds {
			t.Errorf("lead %s has %d actions, want %d", l.Email, got, 2*rounds)
		}
	}
}
