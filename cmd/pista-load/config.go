package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"time"
)

// config is everything a run needs, from flags and PISTA_TOKEN.
type config struct {
	url          string
	token        string
	rate         float64 // requests per second; 0 = as fast as possible
	duration     time.Duration
	concurrency  int
	batchEvents  int // >0: POST event batches of this size instead of inquiries
	batchInq     int // >0: POST batches of this many inquiries to /api/v1/inquiries/batch
	seed         uint64
	duplicates   float64 // fraction of inquiries re-sending an earlier email
	retrySameKey float64 // fraction of requests repeating an earlier one, same key
	timeout      time.Duration
	json         bool
	rawDB        string // SQLite file for the raw single-row rate; "" = none
}

// errUsage marks errors in the command line (exit status 2).
var errUsage = errors.New("usage")

// usageError names the problem and wraps errUsage.
func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// maxBatch bounds --batch-events: one batch must stay a request, not a
// bulk import.
const maxBatch = 10_000

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("pista-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.url, "url", "http://127.0.0.1:8080", "base URL of the Pista server")
	fs.StringVar(&c.token, "token", "", "API token (default $PISTA_TOKEN)")
	fs.Float64Var(&c.rate, "rate", 0, "requests per second on an open-loop schedule; 0 = as fast as possible (closed loop)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long to send")
	fs.IntVar(&c.concurrency, "concurrency", 64, "requests in flight at most (and idle connections kept)")
	fs.IntVar(&c.batchEvents, "batch-events", 0, "if > 0, POST /api/v1/events batches of this many events instead of inquiries")
	fs.IntVar(&c.batchInq, "batch-inquiries", 0, "if > 0, POST /api/v1/inquiries/batch with this many inquiries per request (at most 1000)")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the demo data generator")
	fs.Float64Var(&c.duplicates, "duplicates", 0.05, "fraction of inquiries that re-send an earlier email")
	fs.Float64Var(&c.retrySameKey, "retry-same-key", 0.01, "fraction of requests repeated with the same Idempotency-Key and body")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "timeout of one request")
	fs.BoolVar(&c.json, "json", false, "print the report as one JSON object")
	fs.StringVar(&c.rawDB, "raw-db", "", "before the load, measure for 2s the raw rate of one-row durable transactions into this SQLite file (a scratch file next to the server's database)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return nil, usageError("unexpected argument %q", fs.Arg(0))
	}
	if c.token == "" {
		c.token = getenv("PISTA_TOKEN")
	}
	return c, c.check()
}

// check reports the first invalid setting, naming the flag.
func (c *config) check() error {
	u, err := url.Parse(c.url)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return usageError("--url %q: want http://host:port or https://host", c.url)
	case c.token == "":
		return usageError("no API token: pass --token or set PISTA_TOKEN")
	case c.rate < 0:
		return usageError("--rate %v: must be 0 (as fast as possible) or more", c.rate)
	case c.duration <= 0:
		return usageError("--duration %v: must be positive", c.duration)
	case c.concurrency < 1:
		return usageError("--concurrency %d: must be at least 1", c.concurrency)
	case c.batchEvents < 0 || c.batchEvents > maxBatch:
		return usageError("--batch-events %d: must be 0 (inquiries) to %d", c.batchEvents, maxBatch)
	case c.batchInq < 0 || c.batchInq > 1000:
		return usageError("--batch-inquiries %d: must be 0 (one per request) to 1000", c.batchInq)
	case c.batchInq > 0 && c.batchEvents > 0:
		return usageError("--batch-inquiries and --batch-events: choose one")
	case c.duplicates < 0 || c.duplicates > 1:
		return usageError("--duplicates %v: a fraction from 0 to 1", c.duplicates)
	case c.retrySameKey < 0 || c.retrySameKey > 1:
		return usageError("--retry-same-key %v: a fraction from 0 to 1", c.retrySameKey)
	case c.duplicates+c.retrySameKey > 1:
		return usageError("--duplicates plus --retry-same-key is %v: at most 1", c.duplicates+c.retrySameKey)
	case c.timeout <= 0:
		return usageError("--timeout %v: must be positive", c.timeout)
	}
	return nil
}

// endpoint is the URL requests go to.
func (c *config) endpoint() string {
	base := c.url
	for len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	if c.batchEvents > 0 {
		return base + "/api/v1/events"
	}
	if c.batchInq > 0 {
		return base + "/api/v1/inquiries/batch"
	}
	return base + "/api/v1/inquiries"
}
