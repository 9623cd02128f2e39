package store

import (
	"context"
	"sync"
	"time"
)

// On SQLite one transaction writes at a time. Intake's group commit (the
// Writer) answers people waiting; the other writers (timers, webhook and
// e-mail claims, report refreshes, sales' acts) can wait a little. Left to
// SQLite, whoever asks while another writes sleeps in its busy handler in
// steps of up to 100 ms, and a background claim that slips in between two
// group commits makes intake sleep so. Instead, the two kinds give way to
// each other in the process, on a signal rather than a sleep:
//
//   - a background transaction waits until no group commit is running or
//     waiting (at most yieldBackground, so that timers still fire under a
//     steady load);
//   - a group commit waits until the background transaction running now
//     has ended (at most yieldIntake; after that SQLite's own wait applies),
//     and then starts at once.
//
// The waits are bounded, so a transaction that waits for another in a way
// this cannot see (another process, a nested call) is delayed, never stuck.
// PostgreSQL writes rows concurrently and needs none of this.
const (
	yieldBackground = 100 * time.Millisecond
	yieldIntake     = 2 * time.Second
)

// txGauge counts transactions of one kind in progress and tells waiters
// when there are none.
type txGauge struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while n is 0
}

func newTxGauge() *txGauge {
	g := &txGauge{idle: make(chan struct{})}
	close(g.idle)
	return g
}

func (g *txGauge) enter() {
	g.mu.Lock()
	if g.n == 0 {
		g.idle = make(chan struct{})
	}
	g.n++
	g.mu.Unlock()
}

func (g *txGauge) leave() {
	g.mu.Lock()
	g.n--
	if g.n == 0 {
		close(g.idle)
	}
	g.mu.Unlock()
}

// wait returns when no transaction of the kind is in progress, after at
// most max, or when ctx ends.
func (g *txGauge) wait(ctx context.Context, max time.Duration) {
	g.mu.Lock()
	idle, n := g.idle, g.n
	g.mu.Unlock()
	if n == 0 {
		return
	}
	t := time.NewTimer(max)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
	case <-ctx.Done():
	}
}
