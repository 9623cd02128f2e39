package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
	"github.com/pistahq/pista/internal/webhook"
)

// TestRedeliver: a manual redelivery sends a delivered or failed delivery
// again now, with the same event ID and a fresh retry window.
func TestRedeliver(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db, clk := target.Open(t), testenv.NewClock(t0)
			var mu sync.Mutex
			status := http.StatusOK
			rc := newReceiver(t, clk.Now, func(int, *http.Request) int { mu.Lock(); defer mu.Unlock(); return status })
			w := subscribe(t, db, rc.URL, "lead.rejected")
			d := webhook.New(webhook.Config{DB: db, Now: clk.Now, Log: testenv.Logger()})
			emit(t, db, "lead.rejected", 3, t0, map[string]any{"reason": "no_budget"})
			deliverDue(t, d, 1)
			dl := only(t, db, w)

			clk.Set(t0.Add(time.Hour))
			if err := db.Redeliver(ctx, w.ID, dl.ID, clk.Now()); err != nil {
				t.Fatal(err)
			}
			if again := only(t, db, w); again.Status != store.DeliveryPending || !again.NextAt.Equal(clk.Now()) {
				t.Fatalf("after redeliver: %+v", again)
			}
			deliverDue(t, d, 1)
			got := rc.requests()
			if len(got) != 2 || got[1].EventID != dl.EventID || got[1].Timestamp == got[0].Timestamp {
				t.Errorf("requests %+v; want the same event twice, signed at different times", got)
			}

			// A failed delivery, redelivered days later, gets another 72 hours.
			mu.Lock()
			status = http.StatusBadGateway
			mu.Unlock()
			emit(t, db, "lead.rejected", 4, clk.Now(), nil)
			for i := 0; i < 100; i++ {
				deliverDue(t, d, 1)
				if dl = deliveries(t, db, w)[0]; dl.Status != store.DeliveryPending {
					break
				}
				clk.Set(*dl.NextAt)
			}
			if dl.Status != store.DeliveryFailed {
				t.Fatalf("%+v", dl)
			}
			clk.Set(clk.Now().Add(96 * time.Hour))
			if err := db.Redeliver(ctx, w.ID, dl.ID, clk.Now()); err != nil {
				t.Fatal(err)
			}
			deliverDue(t, d, 1) // still failing: retried later, not failed at once
			if again := deliveries(t, db, w)[0]; again.Status != store.DeliveryPending || !again.GiveUpAt.Equal(clk.Now().Add(72*time.Hour)) ||
				again.Attempts != dl.Attempts+1 {
				t.Errorf("redelivered failure: %+v", again)
			}

			if err := db.Redeliver(ctx, w.ID+1, dl.ID, clk.Now()); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("redeliver through another webhook: %v, want not found", err)
			}
		})
	}
}

// TestLeaseExpires: a dispatcher that claims a delivery and dies holds it
// only until its lease runs out; meanwhile nobody sends it, and it cannot
// be redelivered.
func TestLeaseExpires(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db, clk := target.Open(t), testenv.NewClock(t0)
			rc := newReceiver(t, clk.Now, always(http.StatusOK))
			w := subscribe(t, db, rc.URL, "lead.recycled")
			d := webhook.New(webhook.Config{DB: db, Now: clk.Now, Log: testenv.Logger(), Timeout: 5 * time.Second}) // lease: 35 s
			emit(t, db, "lead.recycled", 5, t0, nil)

			crashed, err := db.ClaimDeliveries(ctx, t0, 35*time.Second, 10)
			if err != nil || len(crashed) != 1 {
				t.Fatalf("claim: %v, %d", err, len(crashed))
			}
			if err := db.Redeliver(ctx, w.ID, crashed[0].ID, t0); !errors.Is(err, store.ErrDeliveryInFlight) {
				t.Errorf("redeliver while leased: %v, want ErrDeliveryInFlight", err)
			}
			clk.Set(t0.Add(34 * time.Second))
			deliverDue(t, d, 0)
			clk.Set(t0.Add(35 * time.Second))
			deliverDue(t, d, 1)
			if dl := only(t, db, w); dl.Status != store.DeliveryDelivered {
				t.Fatalf("%+v", dl)
			}
			// The dead dispatcher wakes up: its outcome is logged but does
			// not change the delivery.
			kept, err := db.FinishDelivery(ctx, crashed[0], store.Attempt{At: t0.Add(time.Minute), Error: "late"}, store.DeliveryPending, t0.Add(2*time.Minute))
			if err != nil || kept {
				t.Errorf("FinishDelivery with a lost lease: kept %v, %v", kept, err)
			}
			if dl := only(t, db, w); dl.Status != store.DeliveryDelivered || dl.Attempts != 1 || len(dl.Log) != 2 {
				t.Errorf("after the late finish: %+v", dl)
			}
		})
	}
}

// openTwice opens one database twice, as two servers would.
func openTwice(t *testing.T, target storetest.Target) (*store.DB, *store.DB) {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "pista.db")
	if target.Name == "postgres" {
		dsn = storetest.PostgresURL(t)
	}
	dbs := storetest.OpenAt(t, dsn, 2)
	return dbs[0], dbs[1]
}

// TestTwoDispatchers: two servers on one database deliver every event
// exactly once when the receiver accepts them all: a delivery leased to
// one is never sent by the other at the same time, or again.
func TestTwoDispatchers(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			a, b := openTwice(t, target)
			var (
				mu       sync.Mutex
				inFlight = map[string]bool{}
				count    = map[string]int{}
				overlap  int
			)
			rc := newReceiver(t, time.Now, func(_ int, r *http.Request) int {
				id := r.Header.Get(webhook.HeaderEventID)
				mu.Lock()
				if inFlight[id] {
					overlap++
				}
				inFlight[id] = true
				count[id]++
				mu.Unlock()
				time.Sleep(2 * time.Millisecond)
				mu.Lock()
				inFlight[id] = false
				mu.Unlock()
				return http.StatusOK
			})
			w := subscribe(t, a, rc.URL, "lead.created")
			const events = 300
			for i := range events {
				emit(t, a, "lead.created", int64(i+1), time.Now(), nil)
			}
			var (
				wg   sync.WaitGroup
				made [2]int
			)
			for i, db := range []*store.DB{a, b} {
				d := webhook.New(webhook.Config{DB: db, Log: testenv.Logger(), Batch: 8, Workers: 4})
				wg.Go(func() {
					for {
						n, err := d.DeliverDue(context.Background())
						if err != nil {
							t.Error(err)
							return
						}
						if n == 0 {
							return
						}
						made[i] += n
					}
				})
			}
			wg.Wait()
			if len(count) != events || overlap > 0 {
				t.Errorf("%d of %d events received, %d times while already in flight", len(count), events, overlap)
			}
			for id, n := range count {
				if n != 1 {
					t.Errorf("event %s received %d times", id, n)
				}
			}
			for _, dl := range deliveries(t, a, w) {
				if dl.Status != store.DeliveryDelivered || dl.Attempts != 1 {
					t.Errorf("delivery %+v", dl)
				}
			}
			t.Logf("dispatcher A sent %d, B sent %d", made[0], made[1])
		})
	}
}

// TestFailures: no answer in time, no server, a redirect, and a shutdown
// in the middle of a request.
func TestFailures(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db, clk := target.Open(t), testenv.NewClock(t0)
			arrived := make(chan struct{}, 1)
			slow := newReceiver(t, clk.Now, func(_ int, r *http.Request) int {
				select {
				case arrived <- struct{}{}:
				default:
				}
				<-r.Context().Done()
				return http.StatusOK
			})
			redirect := newReceiver(t, clk.Now, func(_ int, r *http.Request) int { return http.StatusFound })
			cases := []struct {
				url, types, want string
			}{
				{slow.URL, "lead.touched", "no answer within 100ms"},
				{"http://127.0.0.1:1/gone", "lead.merged", "connection refused"},
				{redirect.URL, "lead.qualified", "HTTP 302"},
			}
			d := webhook.New(webhook.Config{DB: db, Now: clk.Now, Log: testenv.Logger(), Timeout: 100 * time.Millisecond})
			for _, c := range cases {
				w := subscribe(t, db, c.url, c.types)
				emit(t, db, c.types, 1, t0, nil)
				deliverDue(t, d, 1)
				dl := only(t, db, w)
				if dl.Status != store.DeliveryPending || dl.LastStatus != 0 && c.types != "lead.qualified" || !strings.Contains(dl.LastError, c.want) || len(dl.Log) != 1 {
					t.Errorf("%s: %+v, want an error with %q", c.url, dl, c.want)
				}
			}

			// Shutdown while a request waits: the delivery goes back to
			// the queue without an attempt, for the next server to send.
			w := subscribe(t, db, slow.URL, "lead.reassigned")
			emit(t, db, "lead.reassigned", 1, t0, nil)
			long := webhook.New(webhook.Config{DB: db, Now: clk.Now, Log: testenv.Logger(), Timeout: time.Minute})
			select {
			case <-arrived: // the timeout case's request
			default:
			}
			runCtx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); long.Run(runCtx) }()
			select {
			case <-arrived:
			case <-time.After(10 * time.Second):
				t.Fatal("the request never arrived")
			}
			cancel()
			<-done
			if dl := only(t, db, w); dl.Status != store.DeliveryPending || dl.Attempts != 0 || len(dl.Log) != 0 {
				t.Errorf("after shutdown: %+v", dl)
			}
			due, err := db.ClaimDeliveries(ctx, t0, time.Minute, 10)
			if ids := fmt.Sprint(len(due)); err != nil || ids != "1" {
				t.Errorf("claim after shutdown: %v, %s due, want the released delivery", err, ids)
			}
		})
	}
}

// TestPrune: finished deliveries older than the retention go, with their
// events; pending ones stay.
func TestPrune(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			db, clk := target.Open(t), testenv.NewClock(t0)
			ok := newReceiver(t, clk.Now, always(http.StatusOK))
			down := newReceiver(t, clk.Now, always(http.StatusServiceUnavailable))
			wOK, wDown := subscribe(t, db, ok.URL, "lead.stage_changed"), subscribe(t, db, down.URL, "lead.stage_changed")
			d := webhook.New(webhook.Config{DB: db, Now: clk.Now, Log: testenv.Logger(), Retention: 24 * time.Hour})
			emit(t, db, "lead.stage_changed", 1, t0, nil)
			deliverDue(t, d, 2)
			clk.Set(t0.Add(25 * time.Hour))
			if err := d.Prune(context.Background()); err != nil {
				t.Fatal(err)
			}
			if n, m := len(deliveries(t, db, wOK)), len(deliveries(t, db, wDown)); n != 0 || m != 1 {
				t.Errorf("after pruning: %d delivered and %d pending deliveries, want 0 and 1", n, m)
			}
		})
	}
}
