package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/pistahq/pista/internal/store"
)

// benchConfig is `pista-load bench`: PostgreSQL scale-out measured
// against its own ceiling in one command.
type benchConfig struct {
	db          string // postgres:// URL; each figure gets a fresh schema in it
	pista       string // the pista binary to start
	instances   []int
	runs        int
	duration    time.Duration
	concurrency int
	batch       int
	gomaxprocs  int  // GOMAXPROCS of each instance; 0 = the Go default
	split       bool // GOMAXPROCS of each of n instances: the processors / n
	pin         bool // pin instance i to processor i % processors (taskset)
	writers     int  // --pg-writers of each instance; 0 = its default
	json        bool
}

func parseBench(args []string, stderr io.Writer) (*benchConfig, error) {
	c := &benchConfig{}
	fs := flag.NewFlagSet("pista-load bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.db, "db", "", "PostgreSQL URL (postgres://...); every figure is taken on a fresh schema in it, dropped afterwards")
	fs.StringVar(&c.pista, "pista", "pista", "the pista binary whose `serve` is measured")
	instances := fs.String("instances", "1,2,3", "numbers of `pista serve` instances to measure, comma-separated")
	fs.IntVar(&c.runs, "runs", 3, "runs of every figure; the report gives each run and the median")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long each figure is measured")
	fs.IntVar(&c.concurrency, "concurrency", 16, "requests in flight in all, split between the instances")
	fs.IntVar(&c.batch, "batch-inquiries", 100, "inquiries per POST /api/v1/inquiries/batch, and rows per INSERT of the ceiling")
	fs.IntVar(&c.gomaxprocs, "gomaxprocs", 0, "GOMAXPROCS of each instance (0: all processors)")
	fs.BoolVar(&c.split, "split-processors", false,
		"give each of n instances GOMAXPROCS = processors / n (at least 1), as a container CPU limit of that share would")
	fs.BoolVar(&c.pin, "pin", false, "pin instance i to processor i modulo the processors (taskset -c)")
	fs.IntVar(&c.writers, "pg-writers", 0, "group-commit transactions at once in each instance (0: its default)")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	for _, f := range strings.Split(*instances, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 16 {
			return nil, usageError("--instances %q: numbers from 1 to 16, comma-separated", *instances)
		}
		c.instances = append(c.instances, n)
	}
	switch {
	case c.split && c.gomaxprocs != 0:
		return nil, usageError("--split-processors sets each instance's GOMAXPROCS; leave out --gomaxprocs")
	case !store.IsPostgresURL(c.db):
		return nil, usageError("--db %q: want a postgres:// URL", c.db)
	case c.runs < 1:
		return nil, usageError("--runs %d: at least 1", c.runs)
	case c.duration <= 0:
		return nil, usageError("--duration %v: must be positive", c.duration)
	case c.concurrency < 1:
		return nil, usageError("--concurrency %d: at least 1", c.concurrency)
	case c.batch < 1 || c.batch > 1000:
		return nil, usageError("--batch-inquiries %d: 1 to 1000", c.batch)
	}
	return c, nil
}

// benchFigure is one measured figure of one run.
type benchFigure struct {
	Setup     string  `json:"setup"` // "ceiling" or "N instances"
	Instances int     `json:"instances,omitempty"`
	PerS      float64 `json:"per_s"` // inquiries, or rows for the ceiling
	// Failed counts requests answered 5xx or not at all, and retries
	// with the same Idempotency-Key answered differently from the first
	// time.
	Failed int64 `json:"failed"`
	// CPU seconds per thousand inquiries: the instances', and the
	// database server's (every postgres process on this machine).
	PistaCPU float64 `json:"pista_cpu_s_per_1k,omitempty"`
	PGCPU    float64 `json:"postgres_cpu_s_per_1k,omitempty"`
}

// bench runs every figure runs times, interleaved so that a slow moment of
// a shared machine falls on all of them alike, and reports the medians
// and their ratios.
func bench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseBench(args, stderr)
	if err != nil {
		return err
	}
	admin, err := sql.Open("pgx", c.db)
	if err != nil {
		return err
	}
	defer admin.Close()
	vacuumCatalog(ctx, admin) // what earlier runs left
	var figures [][]benchFigure
	failed := int64(0)
	for run := range c.runs {
		var row []benchFigure
		for _, n := range c.instances {
			f, rows, err := c.pistaFigure(ctx, admin, n, run)
			if err != nil {
				return err
			}
			failed += f.Failed
			row = append(row, f)
			if n == c.instances[0] {
				ceil, err := c.ceiling(ctx, admin, rows)
				if err != nil {
					return err
				}
				row = append(row, ceil)
			}
			fmt.Fprintf(stderr, "run %d: %s: %.0f/s, %d failed\n", run+1, f.Setup, f.PerS, f.Failed)
		}
		fmt.Fprintf(stderr, "run %d: ceiling: %.0f rows/s\n", run+1, row[1].PerS)
		figures = append(figures, row)
	}
	writeBench(stdout, c, figures)
	if failed > 0 {
		return fmt.Errorf("%d requests failed", failed)
	}
	return nil
}

// pistaFigure starts n instances on a fresh schema, loads them together
// for the duration, and returns the figure and the leads they stored
// (for the ceiling).
func (c *benchConfig) pistaFigure(ctx context.Context, admin *sql.DB, n, run int) (benchFigure, *store.CeilingSet, error) {
	f := benchFigure{Setup: fmt.Sprintf("%d instance(s)", n), Instances: n}
	dbURL, drop, err := migratedSchema(ctx, admin, c.db, c.pista)
	if err != nil {
		return f, nil, err
	}
	defer drop()
	var tokenOut bytes.Buffer
	tok := exec.CommandContext(ctx, c.pista, "token", "create", "--name", "bench", "--role", "admin", "--db", dbURL)
	tok.Stdout = &tokenOut
	if err := tok.Run(); err != nil {
		return f, nil, fmt.Errorf("pista token create: %v", err)
	}
	token := strings.TrimSpace(tokenOut.String())
	var procs []*exec.Cmd
	defer func() {
		for _, p := range procs {
			p.Process.Signal(syscall.SIGTERM)
			p.Wait()
		}
	}()
	var urls []string
	for i := range n {
		p, u, err := c.startInstance(ctx, dbURL, i, n)
		if err != nil {
			return f, nil, err
		}
		procs = append(procs, p)
		urls = append(urls, u)
	}
	pids := make([]int, len(procs))
	for i, p := range procs {
		pids[i] = p.Process.Pid
	}
	pista0, pg0 := cpuOf(pids), postgresNow()
	reports := make([]*report, n)
	var wg sync.WaitGroup
	for i, u := range urls {
		cfg := &config{url: u, token: token, duration: c.duration, concurrency: max(c.concurrency/n, 1),
			batchInq: c.batch, seed: uint64(run*100 + i + 1), duplicates: 0.05, retrySameKey: 0.01, timeout: 60 * time.Second}
		wg.Go(func() { reports[i] = load(ctx, cfg) })
	}
	wg.Wait()
	pistaCPU, pgCPU := cpuOf(pids)-pista0, pg0.since()
	var items float64
	for _, r := range reports {
		items += r.EventsPerS
		f.Failed += r.failed() + r.RetryMismatches
	}
	f.PerS = items
	if total := items * c.duration.Seconds(); total > 0 {
		f.PistaCPU, f.PGCPU = pistaCPU/total*1000, pgCPU/total*1000
	}
	if n != c.instances[0] {
		return f, nil, nil
	}
	rows, err := ceilingRows(ctx, dbURL, false, math.MaxInt32)
	return f, rows, err
}

// procsOf is the GOMAXPROCS of each of n instances, 0 for Go's default.
func (c *benchConfig) procsOf(n int) int {
	if c.split {
		return max(runtimeCPUs()/n, 1)
	}
	return c.gomaxprocs
}

// startInstance starts instance i of n, `pista serve` on a free port, and
// waits until it answers.
func (c *benchConfig) startInstance(ctx context.Context, dbURL string, i, n int) (*exec.Cmd, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr := l.Addr().String()
	l.Close()
	args := []string{"serve", "--db", dbURL, "--addr", addr, "--form-key", "bench-form-key-shared-by-all-instances",
		"--token-rate", "0"} // the ceiling is measured, not the per-token limit
	if c.writers > 0 {
		args = append(args, "--pg-writers", strconv.Itoa(c.writers))
	}
	name := c.pista
	if c.pin {
		procs := max(runtimeCPUs(), 1)
		args = append([]string{"-c", strconv.Itoa(i % procs), c.pista}, args...)
		name = "taskset"
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = os.Environ()
	if procs := c.procsOf(n); procs > 0 {
		cmd.Env = append(cmd.Env, "GOMAXPROCS="+strconv.Itoa(procs))
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	base := "http://" + addr
	if healthy(base, 30*time.Second) {
		return cmd, base, nil
	}
	cmd.Process.Kill()
	cmd.Wait()
	return nil, "", fmt.Errorf("instance %d did not answer on %s within 30 s", i+1, addr)
}

// freshSchema creates an empty schema and returns its name and a URL that
// uses it.
func freshSchema(ctx context.Context, admin *sql.DB, base string) (string, string, error) {
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", "", fmt.Errorf("create schema: %w", err)
	}
	u, err := schemaURL(base, schema)
	return schema, u, err
}

// schemaURL is the PostgreSQL URL base with its search_path set to schema.
func schemaURL(base, schema string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// median of the figures of one column.
func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// healthy waits up to within for a server at base to answer /healthz
// with 200.
func healthy(base string, within time.Duration) bool {
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
	}
	return false
}
