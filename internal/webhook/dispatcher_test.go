package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
	"github.com/pistahq/pista/internal/webhook"
)

// The dispatcher tests run on every storetest target with a real HTTP
// receiver on loopback that checks every signature, and an injected clock
// that the test moves to each retry.

var t0 = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

const secret = "whsec_test_secret"

// received is one request as the receiver saw it.
type received struct {
	EventID, Type, Timestamp string
	Event                    webhook.Event
}

// receiver is a webhook endpoint. answer decides the status of the n-th
// request (from 1); a request with a bad signature fails the test.
type receiver struct {
	t      *testing.T
	clk    func() time.Time
	answer func(n int, r *http.Request) int
	URL    string

	mu  sync.Mutex
	got []received
}

func newReceiver(t *testing.T, clk func() time.Time, answer func(n int, r *http.Request) int) *receiver {
	rc := &receiver{t: t, clk: clk, answer: answer}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := webhook.Verify(secret, r.Header.Get(webhook.HeaderSignature), body, rc.clk(), 0); err != nil {
			t.Errorf("receiver: %v", err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		var ev webhook.Event
		if err := json.Unmarshal(body, &ev); err != nil || r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("receiver: %s %s %q: %v", r.Method, r.Header.Get("Content-Type"), body, err)
		}
		rc.mu.Lock()
		rc.got = append(rc.got, received{r.Header.Get(webhook.HeaderEventID), r.Header.Get(webhook.HeaderEventType), r.Header.Get(webhook.HeaderTimestamp), ev})
		n := len(rc.got)
		rc.mu.Unlock()
		w.WriteHeader(rc.answer(n, r))
	}))
	t.Cleanup(srv.Close)
	rc.URL = srv.URL + "/hooks/pista"
	return rc
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

func always(status int) func(int, *http.Request) int {
	return func(int, *http.Request) int { return status }
}

func subscribe(t *testing.T, db *store.DB, url string, types ...string) *store.Webhook {
	t.Helper()
	w := &store.Webhook{URL: url, Secret: secret, Types: types, Active: true, CreatedAt: t0, UpdatedAt: t0}
	if err := db.CreateWebhook(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	return w
}

func emit(t *testing.T, db *store.DB, typ string, lead int64, at time.Time, data any) {
	t.Helper()
	ctx := context.Background()
	err := db.InTx(ctx, func(tx *store.Tx) error {
		return tx.Emit(ctx, store.OutEvent{Type: typ, LeadID: lead, At: at, Data: data})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func deliveries(t *testing.T, db *store.DB, w *store.Webhook) []*store.WebhookDelivery {
	t.Helper()
	ds, err := db.WebhookDeliveries(context.Background(), w.ID, store.DeliveryFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func only(t *testing.T, db *store.DB, w *store.Webhook) *store.WebhookDelivery {
	t.Helper()
	ds := deliveries(t, db, w)
	if len(ds) != 1 {
		t.Fatalf("%d deliveries, want 1", len(ds))
	}
	return ds[0]
}

func deliverDue(t *testing.T, d *webhook.Dispatcher, want int) {
	t.Helper()
	n, err := d.DeliverDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("DeliverDue made %d attempts, want %d", n, want)
	}
}

// TestDeliverySigned checks the body and headers of a delivery and that
// only subscribed types are sent.
func TestDeliverySigned(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			db, clk := target.Open(t), testenv.NewClock(t0)
			rc := newReceiver(t, clk.Now, always(http.StatusNoContent))
			w := subscribe(t, db, rc.URL, "lead.created", "sla.breached")
			d := webhook.New(webhook.Config{DB: db, Now: clk.Now, Log: testenv.Logger()})

			emit(t, db, "lead.created", 42, t0, map[string]any{"stage": "mql", "score": 81.5})
			emit(t, db, "lead.touched", 42, t0, nil)
			clk.Set(t0.Add(2 * time.Second))
			deliverDue(t, d, 1)

			got := rc.requests()
			if len(got) != 1 {
				t.Fatalf("receiver got %d requests", len(got))
			}
			r := got[0]
			dl := only(t, db, w)
			if r.EventID != dl.EventID || r.Event.ID != dl.EventID || r.Type != "lead.created" || r.Event.Type != "lead.created" ||
				r.Event.LeadID != 42 || !r.Event.CreatedAt.Equal(t0) || r.Timestamp != strconv.FormatInt(t0.Unix()+2, 10) {
				t.Errorf("request %+v for delivery %+v", r, dl)
			}
			if string(r.Event.Data) != `{"score":81.5,"stage":"mql"}` {
				t.Errorf("data = %s", r.Event.Data)
			}
			if dl.Status != store.DeliveryDelivered || dl.Attempts != 1 || dl.DeliveredAt == nil || !dl.DeliveredAt.Equal(clk.Now()) ||
				dl.LastStatus != 204 || len(dl.Log) != 1 || dl.Log[0].Status != 204 || dl.NextAt != nil {
				t.Errorf("delivery after success: %+v", dl)
			}
			deliverDue(t, d, 0) // nothing left
		})
	}
}

// TestRetryBackoff: a receiver that fails twice, then accepts. The retries
// come 30 s and then 60 s later (plus the jitter, fixed here at 1/8), not
// earlier, with the same event ID each time.
func TestRetryBackoff(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			db, clk := target.Open(t), testenv.NewClock(t0)
			rc := newReceiver(t, clk.Now, func(n int, _ *http.Request) int {
				if n <= 2 {
					return http.StatusServiceUnavailable
				}
				return http.StatusOK
			})
			w := subscribe(t, db, rc.URL, "lead.assigned")
			d := webhook.New(webhook.Config{DB: db, Now: clk.Now, Log: testenv.Logger(), Jitter: func() float64 { return 0.5 }})
			emit(t, db, "lead.assigned", 7, t0, map[string]any{"user": "ana"})

			deliverDue(t, d, 1)
			first := t0.Add(30*time.Second + 3750*time.Millisecond) // 30 s + 0.5 × 30 s / 4
			if dl := only(t, db, w); dl.Status != store.DeliveryPending || dl.NextAt == nil || !dl.NextAt.Equal(first) ||
				dl.LastStatus != 503 || dl.LastError != "HTTP 503" {
				t.Fatalf("after the first failure: %+v (want next at %s)", dl, first)
			}
			clk.Set(first.Add(-time.Millisecond))
			deliverDue(t, d, 0)
			clk.Set(first)
			deliverDue(t, d, 1)
			second := first.Add(60*time.Second + 7500*time.Millisecond)
			if dl := only(t, db, w); dl.Status != store.DeliveryPending || !dl.NextAt.Equal(second) || dl.Attempts != 2 {
				t.Fatalf("after the second failure: %+v (want next at %s)", dl, second)
			}
			clk.Set(second)
			deliverDue(t, d, 1)

			dl := only(t, db, w)
			if dl.Status != store.DeliveryDelivered || dl.Attempts != 3 || !dl.DeliveredAt.Equal(second) {
				t.Errorf("after the third attempt: %+v", dl)
			}
			wantLog := []struct {
				at     time.Time
				status int
			}{{t0, 503}, {first, 503}, {second, 200}}
			if len(dl.Log) != len(wantLog) {
				t.Fatalf("log %+v", dl.Log)
			}
			for i, a := range dl.Log {
				if !a.At.Equal(wantLog[i].at) || a.Status != wantLog[i].status || (a.Status == 503) != (a.Error != "") {
					t.Errorf("attempt %d: %+v, want at %s status %d", i+1, a, wantLog[i].at, wantLog[i].status)
				}
			}
			for i, r := range rc.requests() {
				if r.EventID != dl.EventID || r.Event.ID != dl.EventID {
					t.Errorf("request %d has event ID %s/%s, want %s on every retry", i+1, r.EventID, r.Event.ID, dl.EventID)
				}
			}
		})
	}
}

// TestGiveUp: a receiver that never accepts is tried until 72 hours after
// the event (the last time exactly then), then the delivery is failed and
// never sent again.
func TestGiveUp(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			db, clk := target.Open(t), testenv.NewClock(t0)
			rc := newReceiver(t, clk.Now, always(http.StatusInternalServerError))
			w := subscribe(t, db, rc.URL, "sla.breached")
			d := webhook.New(webhook.Config{DB: db, Now: clk.Now, Log: testenv.Logger()})
			emit(t, db, "sla.breached", 9, t0, nil)

			var dl *store.WebhookDelivery
			for i := 0; i < 100; i++ {
				deliverDue(t, d, 1)
				if dl = only(t, db, w); dl.Status != store.DeliveryPending {
					break
				}
				clk.Set(*dl.NextAt)
			}
			last := dl.Log[len(dl.Log)-1].At
			if dl.Status != store.DeliveryFailed || !dl.GiveUpAt.Equal(t0.Add(72*time.Hour)) || !last.Equal(dl.GiveUpAt) {
				t.Fatalf("delivery %+v, last attempt at %s", dl, last)
			}
			if dl.Attempts != len(dl.Log) || dl.Attempts < 15 || dl.Attempts > 25 || len(rc.requests()) != dl.Attempts {
				t.Errorf("%d attempts, %d logged, %d received; want about 20 of each", dl.Attempts, len(dl.Log), len(rc.requests()))
			}
			for i := 1; i < len(dl.Log); i++ {
				gap, want := dl.Log[i].At.Sub(dl.Log[i-1].At), webhook.Backoff(i)
				if (gap < want && i < len(dl.Log)-1) || gap > want+want/4 { // the last one is at the end of the window
					t.Errorf("attempt %d came %s after the previous one, want %s to %s", i+1, gap, want, want+want/4)
				}
			}
			clk.Set(t0.Add(200 * time.Hour))
			deliverDue(t, d, 0)
			t.Logf("gave up after %d attempts; the last at +%s", dl.Attempts, last.Sub(t0))
		})
	}
}
