// Command pista-load drives a running Pista server over HTTP to measure
// intake throughput and latency: inquiries (POST /api/v1/inquiries) or
// event batches (POST /api/v1/events) from the demo generator, on an
// open-loop schedule so that a slow server cannot hide its slowness.
//
//	pista-load --url http://127.0.0.1:8080 --token $PISTA_TOKEN --rate 500 --duration 30s
//
// It exits non-zero when any request failed with a 5xx status or a
// transport error, or when a retried Idempotency-Key got a different
// answer; 4xx answers are counted and reported only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "pista-load:", err)
		os.Exit(1)
	}
}
