package access

import (
	"context"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// Limiter counts failed sign-ins in sliding windows. A key over its limit
// waits until its oldest failure leaves the window: never locked for
// good, and never for longer than the window.
//
// Three keys are counted for each failure: the account from one address
// (5 in 15 minutes: guessing one person's password), the address (30 in
// 15 minutes: trying many accounts), and the account from anywhere (100
// in an hour: a botnet). An attacker at another address therefore cannot
// keep a real user out with a handful of tries; a large distributed
// attack can delay them for at most an hour.
//
// With a database (NewStoredLimiter) the failures are kept there, so that
// the limits hold across the servers sharing it; sign-ins are rare, and a
// few indexed reads and writes each cost little even on SQLite.
type Limiter struct {
	mu    sync.Mutex
	fails map[string][]time.Time
	rules []limitRule
	db    *store.DB
}

type limitRule struct {
	prefix string
	max    int
	window time.Duration
}

// NewLimiter returns a sign-in limiter that counts in memory, for one
// server.
func NewLimiter() *Limiter {
	return &Limiter{fails: map[string][]time.Time{}, rules: []limitRule{
		{"account+ip:", 5, 15 * time.Minute},
		{"ip:", 30, 15 * time.Minute},
		{"account:", 100, time.Hour},
	}}
}

// NewStoredLimiter returns a sign-in limiter that counts in the database.
func NewStoredLimiter(db *store.DB) *Limiter {
	l := NewLimiter()
	l.db = db
	return l
}

// longest is the longest window of the rules.
func (l *Limiter) longest() time.Duration {
	var w time.Duration
	for _, r := range l.rules {
		w = max(w, r.window)
	}
	return w
}

func (l *Limiter) keys(account, ip string) []string {
	return []string{"account+ip:" + account + "|" + ip, "ip:" + ip, "account:" + account}
}

// Wait reports how long the sign-in of account from ip must wait; 0 means
// it may try now.
func (l *Limiter) Wait(ctx context.Context, account, ip string, now time.Time) (time.Duration, error) {
	var wait time.Duration
	for i, k := range l.keys(account, ip) {
		r := l.rules[i]
		var ts []time.Time // oldest first
		if l.db != nil {
			newest, err := l.db.SigninFailures(ctx, k, now.Add(-r.window), r.max)
			if err != nil {
				return 0, err
			}
			for j := len(newest) - 1; j >= 0; j-- {
				ts = append(ts, newest[j])
			}
		} else {
			l.mu.Lock()
			ts = append(ts, l.live(k, r.window, now)...)
			l.mu.Unlock()
		}
		if len(ts) >= r.max {
			if w := ts[len(ts)-r.max].Add(r.window).Sub(now); w > wait {
				wait = w
			}
		}
	}
	return wait, nil
}

// live drops a key's failures older than the window and returns the rest.
func (l *Limiter) live(k string, window time.Duration, now time.Time) []time.Time {
	ts := l.fails[k]
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-window)) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, k)
	} else {
		l.fails[k] = ts
	}
	return ts
}

// Fail records a failed sign-in.
func (l *Limiter) Fail(ctx context.Context, account, ip string, now time.Time) error {
	if l.db != nil {
		return l.db.AddSigninFailure(ctx, l.keys(account, ip), now, now.Add(-l.longest()))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > 200_000 {
		clear(l.fails) // a bound on memory under a flood of addresses
	}
	for i, k := range l.keys(account, ip) {
		ts := append(l.live(k, l.rules[i].window, now), now)
		if len(ts) > l.rules[i].max {
			ts = ts[len(ts)-l.rules[i].max:]
		}
		l.fails[k] = ts
	}
	return nil
}

// Succeed forgets the account's failures from that address.
func (l *Limiter) Succeed(ctx context.Context, account, ip string) error {
	key := l.keys(account, ip)[0]
	if l.db != nil {
		return l.db.ClearSigninFailures(ctx, key)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
	return nil
}
