package webform

import (
	"container/list"
	"net/netip"
	"sync"
	"time"
)

// Limiter is a token bucket per client address with bounded memory. Each
// address may send burst submissions at once and perMinute a minute after
// that. A denied submission should still be stored, flagged RateLimited:
// a busy office behind one address is not a bot.
//
// Memory: at most maxIPs buckets. A bucket idle long enough to have
// refilled is dropped, which changes nothing (a new bucket starts full);
// when all maxIPs are busy the least recently seen is dropped, which only
// forgives that address early.
type Limiter struct {
	mu      sync.Mutex
	rate    float64       // tokens a second
	burst   float64       // bucket size
	refill  time.Duration // time for an empty bucket to fill up
	maxIPs  int
	buckets map[string]*list.Element
	lru     list.List // of *bucket, most recently seen first
}

type bucket struct {
	key    string
	tokens float64
	last   time.Time
}

// NewLimiter returns a Limiter allowing perMinute submissions a minute per
// address after a burst of burst, tracking at most maxIPs addresses.
// Values below 1 are taken as 1.
func NewLimiter(perMinute, burst, maxIPs int) *Limiter {
	perMinute, burst, maxIPs = max(perMinute, 1), max(burst, 1), max(maxIPs, 1)
	rate := float64(perMinute) / 60
	return &Limiter{
		rate:    rate,
		burst:   float64(burst),
		refill:  time.Duration(float64(burst) / rate * float64(time.Second)),
		maxIPs:  maxIPs,
		buckets: make(map[string]*list.Element, min(maxIPs, 1024)),
	}
}

// Allow takes a token for ip at now and reports whether there was one. ip
// is the client address as the handler trusts it (RemoteAddr, or the proxy
// header it configured); a port is ignored, and IPv6 addresses count per
// /64 because one household or server gets a whole /64. A key that is not
// an address (a token's id) counts as itself.
func (l *Limiter) Allow(ip string, now time.Time) bool {
	ok, _ := l.Take(ip, now)
	return ok
}

// Take is Allow that also says, when there is no token, how long until
// there is one (for a Retry-After).
func (l *Limiter) Take(ip string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(ip, now)
	if b.tokens < 1 {
		return false, l.wait(b)
	}
	b.tokens--
	return true, 0
}

// Wait is how long until ip has a token, without taking it: 0 when it
// has one now.
func (l *Limiter) Wait(ip string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.bucket(ip, now); b.tokens < 1 {
		return l.wait(b)
	}
	return 0
}

func (l *Limiter) wait(b *bucket) time.Duration {
	return time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// bucket finds or makes ip's bucket, refilled up to now; l.mu is held.
func (l *Limiter) bucket(ip string, now time.Time) *bucket {
	key := limitKey(ip)
	l.evictIdle(now)
	e, ok := l.buckets[key]
	if ok {
		l.lru.MoveToFront(e)
	} else {
		if len(l.buckets) >= l.maxIPs {
			l.remove(l.lru.Back())
		}
		e = l.lru.PushFront(&bucket{key: key, tokens: l.burst, last: now})
		l.buckets[key] = e
	}
	b := e.Value.(*bucket)
	if now.After(b.last) { // a clock that goes back refills nothing
		b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
		b.last = now
	}
	return b
}

// Len is how many addresses the Limiter is tracking.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// evictIdle drops buckets from the least recently seen end while they have
// had time to refill: they would behave exactly like new ones.
func (l *Limiter) evictIdle(now time.Time) {
	for e := l.lru.Back(); e != nil; e = l.lru.Back() {
		if now.Sub(e.Value.(*bucket).last) < l.refill {
			return
		}
		l.remove(e)
	}
}

func (l *Limiter) remove(e *list.Element) {
	delete(l.buckets, e.Value.(*bucket).key)
	l.lru.Remove(e)
}

// limitKey is the bucket key for a client address.
func limitKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		ap, err2 := netip.ParseAddrPort(ip)
		if err2 != nil {
			return ip
		}
		a = ap.Addr()
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
