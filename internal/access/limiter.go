package access

import (
	"sync"
	"time"
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
type Limiter struct {
	mu    sync.Mutex
	fails map[string][]time.Time
	rules []limitRule
}

type limitRule struct {
	prefix string
	max    int
	window time.Duration
}

// NewLimiter returns the sign-in limiter.
func NewLimiter() *Limiter {
	return &Limiter{fails: map[string][]time.Time{}, rules: []limitRule{
		{"account+ip:", 5, 15 * time.Minute},
		{"ip:", 30, 15 * time.Minute},
		{"account:", 100, time.Hour},
	}}
}

func (l *Limiter) keys(account, ip string) []string {
	return []string{"account+ip:" + account + "|" + ip, "ip:" + ip, "account:" + account}
}

// Wait reports how long the sign-in of account from ip must wait; 0 means
// it may try now.
func (l *Limiter) Wait(account, ip string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for i, k := range l.keys(account, ip) {
		r := l.rules[i]
		ts := l.live(k, r.window, now)
		if len(ts) >= r.max {
			if w := ts[len(ts)-r.max].Add(r.window).Sub(now); w > wait {
				wait = w
			}
		}
	}
	return wait
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
func (l *Limiter) Fail(account, ip string, now time.Time) {
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
}

// Succeed forgets the account's failures from that address.
func (l *Limiter) Succeed(account, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, "account+ip:"+account+"|"+ip)
}
