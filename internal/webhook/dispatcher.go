package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/metrics"
	"github.com/pistahq/pista/internal/store"
)

// Config holds what New needs; only DB is required.
type Config struct {
	DB  *store.DB
	Log *slog.Logger
	// Metrics counts attempts by result; nil counts nothing.
	Metrics *metrics.Metrics
	// Now is the clock for claims, attempt times and backoff (tests drive
	// it); durations in the log are measured on the real clock.
	Now func() time.Time
	// Client sends the requests; by default one that never follows
	// redirects (a 3xx is not a delivery).
	Client *http.Client
	// Timeout bounds one attempt (default 10 s); a slower receiver counts
	// as failed and is retried.
	Timeout time.Duration
	// Poll is how often Run looks for due deliveries (default 1 s).
	Poll time.Duration
	// Batch is how many deliveries one claim takes (default 32), Workers
	// how many are sent at once (default 8).
	Batch, Workers int
	// Retention is how long finished deliveries and their log are kept
	// (default 30 days); Run prunes older ones hourly.
	Retention time.Duration
	// Jitter returns a number in [0, 1) that spreads retries so that a
	// receiver coming back up is not hit by every delivery at once
	// (default math/rand/v2).
	Jitter func() float64
}

// Dispatcher sends due deliveries. Several may run against one PostgreSQL
// database (one per server); each delivery is leased to one of them while
// it is sent.
type Dispatcher struct {
	db        *store.DB
	metrics   *metrics.Metrics
	log       *slog.Logger
	now       func() time.Time
	client    *http.Client
	timeout   time.Duration
	lease     time.Duration
	poll      time.Duration
	batch     int
	workers   int
	retention time.Duration
	jitter    func() float64
}

// New returns a dispatcher; call Run to start it.
func New(cfg Config) *Dispatcher {
	d := &Dispatcher{db: cfg.DB, metrics: cfg.Metrics, log: cfg.Log, now: cfg.Now, client: cfg.Client, timeout: cfg.Timeout, poll: cfg.Poll,
		batch: cfg.Batch, workers: cfg.Workers, retention: cfg.Retention, jitter: cfg.Jitter}
	if d.log == nil {
		d.log = slog.Default()
	}
	if d.now == nil {
		d.now = time.Now
	}
	if d.client == nil {
		d.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if d.timeout <= 0 {
		d.timeout = 10 * time.Second
	}
	if d.poll <= 0 {
		d.poll = time.Second
	}
	if d.batch <= 0 {
		d.batch = 32
	}
	if d.workers <= 0 {
		d.workers = 8
	}
	if d.retention <= 0 {
		d.retention = 30 * 24 * time.Hour
	}
	if d.jitter == nil {
		d.jitter = rand.Float64
	}
	// The lease outlives the longest attempt and the time to record it,
	// so it only runs out when a server dies or stalls.
	d.lease = d.timeout + 30*time.Second
	return d
}

// Run sends due deliveries until ctx is cancelled. Requests in flight then
// are abandoned and their deliveries released for another server (or the
// next start) to send.
func (d *Dispatcher) Run(ctx context.Context) {
	tick := time.NewTicker(d.poll)
	defer tick.Stop()
	var pruned time.Time
	for {
		if _, err := d.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			d.log.Error("webhooks: delivering", "err", err)
		}
		if now := d.now(); now.Sub(pruned) >= time.Hour && ctx.Err() == nil {
			pruned = now
			if err := d.Prune(ctx); err != nil && ctx.Err() == nil {
				d.log.Error("webhooks: pruning the delivery log", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// DeliverDue sends every delivery due now, a batch at a time, and returns
// how many attempts it made. Tests call it to drive delivery with an
// injected clock.
func (d *Dispatcher) DeliverDue(ctx context.Context) (int, error) {
	total := 0
	for ctx.Err() == nil {
		due, err := d.db.ClaimDeliveries(ctx, d.now(), d.lease, d.batch)
		if err != nil {
			return total, err
		}
		sem := make(chan struct{}, d.workers)
		var wg sync.WaitGroup
		for _, dd := range due {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				d.deliver(ctx, dd)
			})
		}
		wg.Wait()
		total += len(due)
		if len(due) < d.batch {
			break
		}
	}
	return total, nil
}

// Prune deletes finished deliveries older than the retention.
func (d *Dispatcher) Prune(ctx context.Context) error {
	before := d.now().Add(-d.retention)
	for {
		n, err := d.db.PruneWebhooks(ctx, before, 1000)
		if err != nil || n < 1000 {
			return err
		}
	}
}

// Backoff is the wait after the n-th failed attempt (n ≥ 1) before
// jitter: 30 s, doubling, at most 6 hours. Over the 72-hour window that
// is about 20 attempts, the last one at the end of the window.
func Backoff(n int) time.Duration {
	const first, most = 30 * time.Second, 6 * time.Hour
	if n < 1 {
		n = 1
	}
	if n > 20 {
		return most
	}
	return min(first<<(n-1), most)
}

// deliver makes one attempt and records its outcome.
func (d *Dispatcher) deliver(ctx context.Context, dd *store.DueDelivery) {
	at := d.now()
	start := time.Now()
	status, errText := d.send(ctx, dd, at)
	// Recording must not be cut short by shutdown: the receiver may
	// already have the event.
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if ctx.Err() != nil && status == 0 {
		if err := d.db.ReleaseDelivery(rec, dd); err != nil {
			d.log.Warn("webhooks: releasing a delivery at shutdown", "delivery", dd.ID, "err", err)
		}
		return
	}
	a := store.Attempt{At: at, Status: status, Error: errText, Duration: time.Since(start).Milliseconds()}
	state, next := store.DeliveryDelivered, time.Time{}
	if status < 200 || status > 299 {
		wait := Backoff(dd.Attempts + 1)
		next = at.Add(wait + time.Duration(d.jitter()*float64(wait)/4))
		state = store.DeliveryPending
		// The last try is at the end of the window, not a backoff before it.
		if next.After(dd.GiveUpAt) {
			next = dd.GiveUpAt
			if !at.Before(dd.GiveUpAt) {
				state = store.DeliveryFailed
			}
		}
	}
	kept, err := d.db.FinishDelivery(rec, dd, a, state, next)
	if err == nil {
		result := map[string]string{store.DeliveryDelivered: "delivered", store.DeliveryPending: "retried", store.DeliveryFailed: "failed"}[state]
		d.metrics.Webhook(result)
	}
	switch {
	case err != nil:
		d.log.Error("webhooks: recording an attempt", "delivery", dd.ID, "err", err)
	case !kept:
		d.log.Warn("webhooks: the lease on a delivery ran out before its attempt was recorded; it may be sent again", "delivery", dd.ID, "event", dd.EventID)
	case state == store.DeliveryFailed:
		d.log.Warn("webhooks: gave up on a delivery", "delivery", dd.ID, "event", dd.EventID, "url", dd.URL, "attempts", dd.Attempts+1, "last_error", errText)
	}
}

// send POSTs the event and returns the HTTP status (0 when there was no
// answer) and, unless it is 2xx, what went wrong.
func (d *Dispatcher) send(ctx context.Context, dd *store.DueDelivery, at time.Time) (int, string) {
	body, err := json.Marshal(Event{ID: dd.EventID, Type: dd.EventType, CreatedAt: dd.EventAt, LeadID: dd.LeadID, Data: dd.Data})
	if err != nil {
		return 0, "encoding the body: " + err.Error()
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dd.URL, bytes.NewReader(body))
	if err != nil {
		return 0, clip(err.Error())
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Pista-Webhooks/1")
	req.Header.Set(HeaderEventID, dd.EventID)
	req.Header.Set(HeaderEventType, dd.EventType)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(dd.Secret, at, body))
	res, err := d.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return 0, fmt.Sprintf("no answer within %s", d.timeout)
		}
		return 0, clip(err.Error())
	}
	defer res.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(res.Body, 512))
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // lets the connection be reused
	if res.StatusCode >= 200 && res.StatusCode <= 299 {
		return res.StatusCode, ""
	}
	msg := "HTTP " + strconv.Itoa(res.StatusCode)
	if loc := res.Header.Get("Location"); loc != "" && res.StatusCode/100 == 3 {
		msg += " (redirects are not followed; subscribe " + loc + " instead)"
	}
	if s := strings.TrimSpace(string(snippet)); s != "" {
		msg += ": " + s
	}
	return res.StatusCode, clip(msg)
}

// clip keeps an error short enough for the log.
func clip(s string) string {
	if len(s) <= 300 {
		return s
	}
	return strings.ToValidUTF8(s[:300], "") + "…"
}
