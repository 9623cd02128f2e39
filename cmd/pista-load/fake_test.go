package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// fakePista stands in for the server: it checks what Pista's intake
// requires (token, JSON, a UUID Idempotency-Key), decodes the body
// strictly, and answers 201 with a JSON body, replaying the stored answer
// for a repeated key, like internal/intake does.
type fakePista struct {
	// fail, if set, makes request n (from 1) fail: a status, or -1 to
	// drop the connection without answering.
	fail func(n int) int
	// unstable answers a repeated key with a different body.
	unstable bool
	// delay is added to every answer.
	delay time.Duration

	mu         sync.Mutex
	requests   int
	arrivals   []time.Time
	byStatus   map[int]int
	dropped    int
	answers    map[string]stored
	replays    int
	badReplays int // same key, different body
	emails     map[string]int
	repeated   int // inquiries whose email was seen before
	events     int
	sent       []string // the e-mails of inquiry batches, in the order received
	problems   []string
}

type stored struct {
	body   []byte
	answer []byte
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func newFake() *fakePista {
	return &fakePista{byStatus: map[int]int{}, answers: map[string]stored{}, emails: map[string]int{}}
}

func (f *fakePista) problem(format string, args ...any) {
	if len(f.problems) < 10 {
		f.problems = append(f.problems, fmt.Sprintf(format, args...))
	}
}

func (f *fakePista) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	f.arrivals = append(f.arrivals, time.Now())
	n := f.requests
	key := r.Header.Get("Idempotency-Key")
	switch {
	case r.Method != http.MethodPost:
		f.problem("method %s", r.Method)
	case r.Header.Get("Authorization") != "Bearer secret":
		f.problem("Authorization %q", r.Header.Get("Authorization"))
	case r.Header.Get("Content-Type") != "application/json":
		f.problem("Content-Type %q", r.Header.Get("Content-Type"))
	case !uuidV4.MatchString(key):
		f.problem("Idempotency-Key %q", key)
	}
	if f.fail != nil {
		switch s := f.fail(n); {
		case s < 0:
			f.dropped++
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		case s > 0:
			f.byStatus[s]++
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(s)
			fmt.Fprintf(w, `{"status":%d,"title":"fake failure"}`, s)
			return
		}
	}
	if prev, ok := f.answers[key]; ok {
		if !bytes.Equal(prev.body, body) {
			f.badReplays++
			f.byStatus[422]++
			w.WriteHeader(422)
			return
		}
		f.replays++
		f.byStatus[201]++
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		answer := prev.answer
		if f.unstable {
			answer = fmt.Appendf(nil, `{"lead_id":%d,"created":true}`, n)
		}
		w.Write(answer)
		return
	}
	switch r.URL.Path {
	case "/api/v1/inquiries":
		f.inquiry(body)
	case "/api/v1/events":
		f.eventBatch(body)
	case "/api/v1/inquiries/batch":
		f.inquiryBatch(body)
	default:
		f.problem("path %s", r.URL.Path)
	}
	answer := fmt.Appendf(nil, `{"lead_id":%d,"created":true,"stage":"inquiry"}`, n)
	f.answers[key] = stored{body: body, answer: answer}
	f.byStatus[201]++
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(201)
	w.Write(answer)
}

// decode reads body strictly into v, as Pista's intake does; a body that
// does not fit is a problem named by what.
func (f *fakePista) decode(body []byte, v any, what string) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		f.problem("%s JSON: %v", what, err)
		return false
	}
	return true
}

func (f *fakePista) inquiry(body []byte) {
	var in inquiryBody
	if f.decode(body, &in, "inquiry") {
		f.check(in)
	}
}

// check counts one inquiry, of a single request or a batch.
func (f *fakePista) check(in inquiryBody) {
	if in.Person.Email == "" || in.Action.Type == "" || in.Action.At.IsZero() || in.Source.Format == "" {
		f.problem("incomplete inquiry %+v", in)
	}
	e := strings.ToLower(in.Person.Email)
	if f.emails[e] > 0 {
		f.repeated++
	}
	f.emails[e]++
}

func (f *fakePista) inquiryBatch(body []byte) {
	var in inquiryBatchBody
	if !f.decode(body, &in, "inquiry batch") {
		return
	}
	for _, q := range in.Inquiries {
		f.check(q)
		f.sent = append(f.sent, q.Person.Email)
	}
}

func (f *fakePista) eventBatch(body []byte) {
	var b eventsBody
	if !f.decode(body, &b, "events") {
		return
	}
	for _, e := range b.Events {
		if e.Email == "" || e.Type == "" || e.At.IsZero() {
			f.problem("incomplete event %+v", e)
		}
	}
	f.events += len(b.Events)
}
