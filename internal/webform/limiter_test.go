package webform

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLimiterBurstAndRate(t *testing.T) {
	l := NewLimiter(10, 5, 100) // a token every 6s
	at := func(sec float64) time.Time { return testNow.Add(time.Duration(sec * float64(time.Second))) }
	steps := []struct {
		sec  float64
		want bool
	}{
		{0, true}, {0, true}, {0, true}, {0, true}, {0, true}, // burst of 5
		{0, false}, {5.9, false}, // empty until 6s
		{6, true}, {6, false},
		{12, true},
		{120, true}, {120, true}, {120, true}, {120, true}, {120, true}, {120, false}, // refilled to the burst, no more
	}
	for i, s := range steps {
		if got := l.Allow("203.0.113.7", at(s.sec)); got != s.want {
			t.Errorf("step %d at %vs: Allow = %v, want %v", i, s.sec, got, s.want)
		}
	}
}

func TestLimiterAddressesAreSeparate(t *testing.T) {
	tests := []struct {
		first, second string
		shared        bool
	}{
		{"203.0.113.7", "203.0.113.8", false},
		{"203.0.113.7", "203.0.113.7:51000", true},
		{"203.0.113.7", "::ffff:203.0.113.7", true},
		{"2001:db8:1:2::1", "2001:db8:1:2:ffff::9", true}, // same /64
		{"2001:db8:1:2::1", "2001:db8:1:3::1", false},
		{"[2001:db8::1]:443", "2001:db8::2", true},
		{"not an ip", "not an ip", true},
	}
	for _, tt := range tests {
		l := NewLimiter(1, 1, 10)
		l.Allow(tt.first, testNow)
		if got := !l.Allow(tt.second, testNow); got != tt.shared {
			t.Errorf("%s then %s: share a bucket = %v, want %v", tt.first, tt.second, got, tt.shared)
		}
	}
}

func TestLimiterEviction(t *testing.T) {
	l := NewLimiter(60, 3, 2) // refills fully in 3s
	l.Allow("10.0.0.1", testNow)
	l.Allow("10.0.0.2", testNow)
	if n := l.Len(); n != 2 {
		t.Fatalf("Len = %d, want 2", n)
	}
	// Full: a third address pushes out the least recently seen one.
	l.Allow("10.0.0.2", testNow.Add(time.Second))
	l.Allow("10.0.0.3", testNow.Add(time.Second))
	if n := l.Len(); n != 2 {
		t.Errorf("Len = %d after a third address, want at most 2", n)
	}
	if _, ok := l.buckets["10.0.0.1"]; ok {
		t.Error("10.0.0.1 (least recently seen) was kept, 10.0.0.2 dropped")
	}
	// Idle buckets go once refilled, and come back full.
	if !l.Allow("10.0.0.9", testNow.Add(10*time.Second)) {
		t.Error("a new address was denied")
	}
	if n := l.Len(); n != 1 {
		t.Errorf("Len = %d after everyone else idled, want 1", n)
	}
}

func TestLimiterEvictionDoesNotForgiveEarly(t *testing.T) {
	l := NewLimiter(60, 3, 10)
	for range 3 {
		l.Allow("10.0.0.1", testNow)
	}
	// 1s later one token is back, not three: the bucket must still be there.
	l.Allow("10.0.0.2", testNow.Add(time.Second))
	if !l.Allow("10.0.0.1", testNow.Add(time.Second)) || l.Allow("10.0.0.1", testNow.Add(time.Second)) {
		t.Error("want exactly one token after 1s")
	}
}

func TestLimiterClockBackwards(t *testing.T) {
	l := NewLimiter(60, 1, 10)
	l.Allow("10.0.0.1", testNow)
	if l.Allow("10.0.0.1", testNow.Add(-time.Hour)) {
		t.Error("a clock going back refilled the bucket")
	}
}

func TestLimiterBadArguments(t *testing.T) {
	l := NewLimiter(0, -1, 0)
	if !l.Allow("a", testNow) || l.Allow("a", testNow) || !l.Allow("b", testNow) {
		t.Error("want 1 a minute, burst 1, one address")
	}
}

func TestLimiterConcurrent(t *testing.T) {
	tests := []struct {
		name   string
		maxIPs int
	}{
		{"room for everyone", 1000}, // the one address is never evicted: exactly the burst
		{"under eviction pressure", 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLimiter(10, 5, tt.maxIPs)
			var allowed atomic.Int64
			var wg sync.WaitGroup
			for g := range 16 {
				wg.Go(func() {
					for i := range 200 {
						if l.Allow("198.51.100.1", testNow) {
							allowed.Add(1)
						}
						l.Allow(fmt.Sprintf("192.0.2.%d", (g*200+i)%250), testNow.Add(time.Duration(i)*time.Millisecond))
					}
				})
			}
			wg.Wait()
			if n := allowed.Load(); tt.maxIPs >= 251 && n != 5 {
				t.Errorf("%d allowed at one instant, want the burst of 5", n)
			}
			if n := l.Len(); n > tt.maxIPs {
				t.Errorf("tracking %d addresses, limit %d", n, tt.maxIPs)
			}
		})
	}
}
