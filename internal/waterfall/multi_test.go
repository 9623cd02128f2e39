package waterfall_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/waterfall"
)

// TestTwoServersRouteFairly runs two servers (intake and waterfall each,
// their own connection pools) on one PostgreSQL database, as two
// `pista serve` processes would, with intake on both at once. Every lead
// must be assigned exactly once, and the rotation must stay exact: with
// weights 2:1:1, 400 leads go 200/100/100.
func TestTwoServersRouteFairly(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var dbs []*store.DB
	for range 2 {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		dbs = append(dbs, db)
	}
	users := salesTeam(t, dbs[0], 2, 1, 1)
	var wg sync.WaitGroup
	var ids sync.Map
	const leads = 400
	for i, db := range dbs {
		in := newIntake(t, db, time.Now, i == 0)
		wf := waterfall.New(waterfall.Config{Intake: in})
		wf.Tick, wf.Batch = 5*time.Millisecond, 2
		done := make(chan struct{})
		go func() { defer close(done); wf.Run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := i*leads/2 + w; n < (i+1)*leads/2; n += 4 {
					ids.Store(priceRequest(t, in, n), true)
				}
			}()
		}
	}
	wg.Wait()
	perUser := map[int64]int{}
	// Generous: the poll ends as soon as every lead is assigned, and a
	// shared machine under heavy load routes 400 leads slowly.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		clear(perUser)
		assigned, twice := 0, 0
		ids.Range(func(k, _ any) bool {
			as, err := dbs[1].Assignments(ctx, k.(int64))
			if err != nil {
				t.Fatal(err)
			}
			if len(as) > 0 {
				assigned++
				perUser[as[0].UserID]++
			}
			if len(as) > 1 {
				twice++
			}
			return true
		})
		if twice > 0 {
			t.Fatalf("%d leads assigned more than once", twice)
		}
		if assigned == leads {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d leads assigned", assigned, leads)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Smooth weighted round-robin keeps the credits summing to zero; a
	// rotation advanced twice from the same state (a lost update) would not.
	team, err := dbs[0].Team(ctx, "sales")
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, m := range team.Members {
		sum += m.Credit
	}
	if sum > 1e-9 || sum < -1e-9 {
		t.Errorf("rotation credits sum to %v, want 0: %+v", sum, team.Members)
	}
	want := []int{200, 100, 100}
	for i, u := range users {
		if perUser[u.ID] != want[i] {
			t.Errorf("rep %d (weight %v) got %d leads, want %d (all: %v)", i+1, []float64{2, 1, 1}[i], perUser[u.ID], want[i], perUser)
		}
	}
}
