package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/pistahq/pista/internal/demo"
	"github.com/pistahq/pista/internal/lead"
)

// worker sends requests one at a time. Each has its own generator,
// histogram and counters, merged at the end, so workers share no locks.
type worker struct {
	cfg      *config
	endpoint string
	client   *http.Client
	rng      *rand.Rand     // request content: deterministic from --seed
	keys     *rand.ChaCha8  // Idempotency-Keys: unique across runs
	recent   [256]lead.Lead // earlier inquiries, for --duplicates
	nrecent  int
	people   []lead.Lead // whose events a batch reports
	// prebuilt are batches of new inquiries encoded before the clock
	// started (see prebuild), sent first.
	prebuilt [][]byte
	last     *sent // the latest successful request, for --retry-same-key
	tally
}

// sent is a request and the answer it got.
type sent struct {
	key    string
	body   []byte
	status int
	answer []byte
}

// request kinds.
const (
	kindNew = iota
	kindDuplicate
	kindRetry
)

// prepared is the next request to send.
type prepared struct {
	kind   int
	key    string
	body   []byte
	events int
	orig   *sent // for kindRetry
}

func newWorker(cfg *config, client *http.Client, id int) *worker {
	var seed [32]byte
	_, _ = crand.Read(seed[:]) // never fails (crypto/rand panics instead)
	w := &worker{
		cfg:      cfg,
		endpoint: cfg.endpoint(),
		client:   client,
		rng:      rand.New(rand.NewPCG(cfg.seed, uint64(id))),
		keys:     rand.NewChaCha8(seed),
		tally:    newTally(),
	}
	if cfg.batchEvents > 0 {
		w.people = make([]lead.Lead, 64)
		for i := range w.people {
			w.people[i] = demo.Inquiry(w.rng, time.Now())
		}
	}
	return w
}

// newKey is a random UUID (version 4) as an Idempotency-Key.
func (w *worker) newKey() string {
	var b [16]byte
	_, _ = w.keys.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// next decides what to send: a retry of the last success (same key and
// body), an inquiry re-sending an earlier email, or something new.
func (w *worker) next(now time.Time) (prepared, error) {
	x := w.rng.Float64()
	if x < w.cfg.retrySameKey && w.last != nil {
		return prepared{kind: kindRetry, key: w.last.key, body: w.last.body, orig: w.last}, nil
	}
	at := now.UTC().Truncate(time.Millisecond)
	if w.cfg.batchEvents > 0 {
		body, err := w.eventBatch(at)
		return prepared{kind: kindNew, key: w.newKey(), body: body, events: w.cfg.batchEvents}, err
	}
	if n := w.cfg.batchInq; n > 0 {
		if k := len(w.prebuilt); k > 0 {
			body := w.prebuilt[k-1]
			w.prebuilt = w.prebuilt[:k-1]
			return prepared{kind: kindNew, key: w.newKey(), body: body, events: n}, nil
		}
		body, err := w.inquiryBatch(at)
		return prepared{kind: kindNew, key: w.newKey(), body: body, events: n}, err
	}
	l := demo.Inquiry(w.rng, at)
	kind := kindNew
	if x < w.cfg.retrySameKey+w.cfg.duplicates && w.nrecent > 0 {
		// The same person again: their earlier details, a new action.
		earlier := &w.recent[w.rng.IntN(min(w.nrecent, len(w.recent)))]
		l.Person, l.Company = earlier.Person, earlier.Company
		kind = kindDuplicate
	} else {
		w.recent[w.nrecent%len(w.recent)] = l
		w.nrecent++
	}
	body, err := inquiryJSON(&l)
	return prepared{kind: kind, key: w.newKey(), body: body}, err
}

// inquiryBatch is a batch of --batch-inquiries new people's inquiries.
func (w *worker) inquiryBatch(at time.Time) ([]byte, error) {
	b := inquiryBatchBody{Inquiries: make([]inquiryBody, w.cfg.batchInq)}
	for i := range b.Inquiries {
		l := demo.Inquiry(w.rng, at)
		b.Inquiries[i] = inquiryBody{Person: l.Person, Company: l.Company, Source: l.Source, Action: l.Actions[0]}
	}
	return json.Marshal(b)
}

// prebuildRate is how many batches a second prebuild makes room for in
// all: 20,000 inquiries/s in batches of 100, more than this repo's
// figures reach on 2 processors. Past them, batches are built as sent.
const prebuildRate = 200

// prebuild encodes the worker's share of the batches of new inquiries a
// run of d may send, before the clock starts. Building them while sending
// took a tenth of a processor at 6,000 inquiries/s, taken from the server
// measured on the same machine, while a storage ceiling's client prepares
// its rows in advance; now both do.
func (w *worker) prebuild(d time.Duration, workers int) error {
	if w.cfg.batchInq <= 0 || w.cfg.batchEvents > 0 {
		return nil
	}
	n := int(math.Ceil(d.Seconds() * prebuildRate / float64(workers)))
	at := time.Now().UTC().Truncate(time.Millisecond)
	w.prebuilt = make([][]byte, 0, n)
	for range n {
		body, err := w.inquiryBatch(at)
		if err != nil {
			return err
		}
		w.prebuilt = append(w.prebuilt, body)
	}
	return nil
}

// eventBatch reports behaviour of a small, slowly changing crowd.
func (w *worker) eventBatch(at time.Time) ([]byte, error) {
	if w.rng.Float64() < 0.1 {
		w.people[w.rng.IntN(len(w.people))] = demo.Inquiry(w.rng, at)
	}
	b := eventsBody{Events: make([]eventJSON, w.cfg.batchEvents)}
	for i := range b.Events {
		p := &w.people[w.rng.IntN(len(w.people))]
		e := demo.Event(w.rng, p, at.Add(-time.Duration(w.rng.IntN(600_000))*time.Millisecond))
		b.Events[i] = eventJSON{Email: p.Person.Email, Type: e.Type, At: e.At, Props: e.Props}
	}
	return json.Marshal(b)
}

// do sends one request due at scheduled (zero in closed loop) and records
// the outcome. Latency runs from the scheduled time, so time spent
// waiting for a free worker counts: that is what a client of a slow
// server experiences (no coordinated omission).
func (w *worker) do(ctx context.Context, scheduled time.Time) {
	begin := time.Now()
	if scheduled.IsZero() {
		scheduled = begin
	} else {
		w.maxLag = max(w.maxLag, begin.Sub(scheduled))
	}
	p, err := w.next(begin)
	if err != nil {
		w.fail(fmt.Sprintf("building the request: %v", err))
		return
	}
	w.requests++
	switch p.kind {
	case kindRetry:
		w.retries++
	case kindDuplicate:
		w.duplicates++
	}
	status, answer, err := w.send(ctx, &p)
	if err != nil {
		if ctx.Err() != nil {
			w.canceled++
			return
		}
		w.transport++
		w.sample("transport: " + err.Error())
		return
	}
	w.hist.record(time.Since(scheduled))
	if status < 200 || status > 299 {
		w.statuses[status]++
		w.sample(fmt.Sprintf("%d: %s", status, clip(answer, 200)))
		return
	}
	w.ok++
	w.events += int64(p.events)
	switch {
	case p.kind == kindRetry:
		if status != p.orig.status || !bytes.Equal(answer, p.orig.answer) {
			w.mismatches++
			w.sample(fmt.Sprintf("retry of %s answered %d %s, first answer was %d %s",
				p.key, status, clip(answer, 120), p.orig.status, clip(p.orig.answer, 120)))
		}
	case w.cfg.retrySameKey > 0:
		w.last = &sent{key: p.key, body: p.body, status: status, answer: answer}
	}
}

// send POSTs one request and reads the whole answer (so the connection
// is reused).
func (w *worker) send(ctx context.Context, p *prepared) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.endpoint, bytes.NewReader(p.body))
	if err != nil {
		return 0, nil, err
	}
	// net/http silently re-sends a request carrying an Idempotency-Key
	// when a reused connection turns out closed. Without GetBody it
	// cannot, so every attempt is one counted request.
	req.GetBody = nil
	req.Header.Set("Authorization", "Bearer "+w.cfg.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", p.key)
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, nil, fmt.Errorf("reading the answer: %w", err)
	}
	return resp.StatusCode, answer, nil
}

// clip shortens an answer for an error sample.
func clip(b []byte, n int) string {
	b = bytes.TrimSpace(b)
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
