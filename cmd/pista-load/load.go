package main

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"sync"
	"time"
)

// load runs the whole test and returns its report.
func load(ctx context.Context, cfg *config) *report {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        cfg.concurrency,
		MaxIdleConnsPerHost: cfg.concurrency,
		IdleConnTimeout:     90 * time.Second,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport: tr,
		// A redirect is an answer to report, not to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	workers := make([]*worker, cfg.concurrency)
	for i := range workers {
		workers[i] = newWorker(cfg, client, i)
	}
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			if err := w.prebuild(cfg.duration, len(workers)); err != nil {
				w.fail(fmt.Sprintf("building the requests: %v", err))
			}
		})
	}
	wg.Wait()

	start := time.Now()
	if cfg.rate > 0 {
		slots := make(chan time.Time, cfg.concurrency)
		for _, w := range workers {
			wg.Go(func() {
				for at := range slots {
					w.do(ctx, at)
				}
			})
		}
		schedule(ctx, start, cfg.rate, cfg.duration, slots)
		close(slots)
	} else {
		deadline := start.Add(cfg.duration)
		for _, w := range workers {
			wg.Go(func() {
				for ctx.Err() == nil && time.Now().Before(deadline) {
					w.do(ctx, time.Time{})
				}
			})
		}
	}
	wg.Wait()
	elapsed := time.Since(start)

	total := newTally()
	for _, w := range workers {
		total.add(&w.tally)
	}
	return newReport(cfg, &total, elapsed, ctx.Err() != nil)
}

// schedule is the open loop: slot i is due at start + i/rate whatever
// happened to earlier requests. When every worker is busy the send
// blocks, but the slots keep their due times, so the wait shows up in
// the latency instead of silently lowering the rate.
func schedule(ctx context.Context, start time.Time, rate float64, d time.Duration, slots chan<- time.Time) {
	n := int64(math.Round(d.Seconds() * rate))
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for i := range n {
		due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
		}
		select {
		case <-ctx.Done():
			return
		case slots <- due:
		}
	}
}
