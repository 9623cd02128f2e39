package main

import "time"

// tally is what workers count; merged into the report at the end.
type tally struct {
	hist       *histogram
	requests   int64
	ok         int64
	statuses   map[int]int64 // non-2xx answers by status
	transport  int64         // no answer: refused, reset, timed out
	canceled   int64         // cut short by an interrupt
	retries    int64
	mismatches int64 // retries answered differently from the first time
	duplicates int64
	events     int64 // events in successful batches
	maxLag     time.Duration
	samples    []string // the first few distinct errors
}

// maxSamples bounds the error messages kept per worker and reported.
const maxSamples = 5

func newTally() tally { return tally{hist: &histogram{}, statuses: map[int]int64{}} }

func (t *tally) sample(msg string) {
	if len(t.samples) >= maxSamples {
		return
	}
	for _, s := range t.samples {
		if s == msg {
			return
		}
	}
	t.samples = append(t.samples, msg)
}

// fail records a request that could not even be built.
func (t *tally) fail(msg string) {
	t.requests++
	t.transport++
	t.sample(msg)
}

func (t *tally) add(o *tally) {
	t.hist.merge(o.hist)
	t.requests += o.requests
	t.ok += o.ok
	for s, n := range o.statuses {
		t.statuses[s] += n
	}
	t.transport += o.transport
	t.canceled += o.canceled
	t.retries += o.retries
	t.mismatches += o.mismatches
	t.duplicates += o.duplicates
	t.events += o.events
	t.maxLag = max(t.maxLag, o.maxLag)
	for _, s := range o.samples {
		t.sample(s)
	}
}
