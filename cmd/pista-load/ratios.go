package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// ratiosConfig is `pista-load ratios`: intake measured against its own
// ceilings, figure after figure in one run (issue 18), on SQLite or, with
// --db, on PostgreSQL.
type ratiosConfig struct {
	pista      string // the pista binary
	dir        string // scratch databases and files
	pg         string // PostgreSQL URL; "" measures SQLite
	admin      *sql.DB
	runs       int
	duration   time.Duration
	clients    int // single POSTs in flight
	batch      int // inquiries per batch
	batchConc  int // batches in flight
	perTx      int // rows per transaction of the storage ceiling
	allRows    bool
	bigLeads   int // leads of the large database
	importRows int // rows of the import figure
	only       map[string]bool
	json       bool
}

// The figures, by the name --only takes.
var ratioFigures = []string{"single", "p99", "batch", "known", "big", "big-import", "import"}

func parseRatios(args []string, stderr io.Writer) (*ratiosConfig, error) {
	c := &ratiosConfig{}
	fs := flag.NewFlagSet("pista-load ratios", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.pista, "pista", "pista", "the pista binary whose serve and import are measured")
	fs.StringVar(&c.pg, "db", "", "a PostgreSQL URL (postgres://...) to measure PostgreSQL instead of SQLite: every figure on a fresh schema in it, dropped afterwards (the large database is kept as schema ratios_big_N)")
	fs.StringVar(&c.dir, "dir", filepath.Join(os.TempDir(), "pista-ratios"), "directory for the scratch databases (on the disk to measure); the large database is kept there for the next run")
	fs.IntVar(&c.runs, "runs", 3, "runs of every figure; the report gives each run's ratio and the median")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long each load figure is measured")
	fs.IntVar(&c.clients, "concurrency", 64, "single POST /api/v1/inquiries requests in flight")
	fs.IntVar(&c.batch, "batch-inquiries", 100, "inquiries per POST /api/v1/inquiries/batch")
	fs.IntVar(&c.batchConc, "batch-concurrency", 16, "batches in flight")
	fs.IntVar(&c.perTx, "rows-per-tx", 1000, "rows per durable transaction of the storage ceiling")
	fs.BoolVar(&c.allRows, "all-rows", true, "with the batch figure, also the ceiling of every row it stored (each lead with its company, timeline, timers, answered mark and idempotency records), --rows-per-tx leads per transaction; not one of the issue's targets")
	fs.IntVar(&c.bigLeads, "big-leads", 1_000_000, "leads in the large database (built with pista import and kept in --dir for the next run; the big-import figure builds it again)")
	fs.IntVar(&c.importRows, "import-rows", 50_000, "rows of the pista import figure")
	only := fs.String("only", strings.Join(ratioFigures, ","), "figures to measure, comma-separated: "+strings.Join(ratioFigures, ", ")+" (single also measures its bound, bare HTTP storing each lead row before answering; p99 and known need single and batch; big-import builds the large database again, once, timing it)")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	c.only = map[string]bool{}
	for _, f := range strings.Split(*only, ",") {
		f = strings.TrimSpace(f)
		if !containsString(ratioFigures, f) {
			return nil, usageError("--only %q: figures are %s", *only, strings.Join(ratioFigures, ", "))
		}
		c.only[f] = true
	}
	switch {
	case c.only["p99"] && !c.only["single"]:
		return nil, usageError("--only: p99 needs single (its rates are fractions of the single-request maximum)")
	case c.only["known"] && !c.only["batch"]:
		return nil, usageError("--only: known needs batch (it sends the batch figure's people again)")
	case c.pg != "" && !store.IsPostgresURL(c.pg):
		return nil, usageError("--db %q: want a postgres:// URL (SQLite is measured without --db, in --dir)", c.pg)
	case c.runs < 1:
		return nil, usageError("--runs %d: at least 1", c.runs)
	case c.duration <= 0:
		return nil, usageError("--duration %v: must be positive", c.duration)
	case c.clients < 1 || c.batchConc < 1:
		return nil, usageError("--concurrency and --batch-concurrency: at least 1")
	case c.batch < 1 || c.batch > 1000:
		return nil, usageError("--batch-inquiries %d: 1 to 1000", c.batch)
	case c.perTx < 1:
		return nil, usageError("--rows-per-tx %d: at least 1", c.perTx)
	case c.bigLeads < 1 || c.importRows < 1:
		return nil, usageError("--big-leads and --import-rows: at least 1")
	}
	return c, nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// measure is one figure of one run: items per second, and the processor
// time its process spent per item, which a busy shared machine moves less.
type measure struct {
	PerS float64 `json:"per_s"`
	CPU  float64 `json:"cpu_us_per_item"`
}

// ratioRun is one run's figures: Pista's and its ceilings'.
type ratioRun struct {
	Single measure `json:"single"`    // single POSTs, Pista
	Bare   measure `json:"bare_http"` // the same against bare net/http
	// The same against bare net/http that stores each inquiry's lead row
	// before answering (bare-http --store): the most any
	// durable intake reaches, so the bound of the single target.
	Stored     measure    `json:"stored_bound,omitzero"`
	P99        [3]float64 `json:"p99_ms"`                   // at 25, 50, 75 % of Single
	Batch      measure    `json:"batch"`                    // inquiries in batches, empty database
	Storage    measure    `json:"storage"`                  // the storage ceiling, the same rows (PostgreSQL: COPY)
	StorageIns measure    `json:"storage_insert,omitempty"` // PostgreSQL: the same rows as multi-row INSERTs
	// The ceiling of every row the figure stored: each lead with its
	// company, timeline entries, timers, answered mark and share of
	// idempotency records (not one of the targets; see
	// store.CeilingRowsAll). AllRows is those rows per lead.
	StorageAll    measure `json:"storage_all_rows"`
	StorageAllIns measure `json:"storage_all_rows_insert,omitempty"`
	AllRows       float64 `json:"all_rows_per_lead,omitempty"`
	Known         measure `json:"known"` // the same people again
	// The same people a third time, from an integration's token, whose
	// inquiries fill blanks only (intake.Inquiry.Untrusted).
	KnownIntegration measure `json:"known_integration"`
	BigWarm          measure `json:"big_warm"`                    // batches on the large database, warmed up
	BigRestart       measure `json:"big_restart"`                 // the same right after a restart
	Import           measure `json:"import"`                      // pista import
	RawImport        measure `json:"raw_import"`                  // the same rows through the storage ceiling
	RawImpIns        measure `json:"raw_import_insert,omitempty"` // PostgreSQL: as multi-row INSERTs
	Failed           int64   `json:"failed"`
}

// ratios measures every figure runs times, each run's figures one after
// the other, so that a slow moment of a shared machine falls on a figure
// and its ceiling alike, and prints each ratio's runs and median.
func ratios(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseRatios(args, stderr)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	if c.pg != "" {
		if c.admin, err = sql.Open("pgx", c.pg); err != nil {
			return err
		}
		defer c.admin.Close()
		vacuumCatalog(ctx, c.admin) // what earlier runs left
	}
	load0 := loadAverage()
	var (
		big   string
		built *importRun
	)
	if c.only["big"] || c.only["big-import"] {
		if big, built, err = c.bigDB(ctx, stderr, c.only["big-import"]); err != nil {
			return err
		}
	}
	var runs []ratioRun
	for i := range c.runs {
		r, err := c.run(ctx, i, big, stderr)
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	writeRatios(stdout, c, runs, built, load0, loadAverage())
	var failed int64
	for _, r := range runs {
		failed += r.Failed
	}
	if failed > 0 {
		return fmt.Errorf("%d requests failed", failed)
	}
	return nil
}

// run takes every figure once.
func (c *ratiosConfig) run(ctx context.Context, i int, big string, log io.Writer) (ratioRun, error) {
	var r ratioRun
	seed := uint64(time.Now().UnixNano()) // new people in every run, also on the large database
	step := func(format string, args ...any) {
		fmt.Fprintf(log, "run %d: %s\n", i+1, fmt.Sprintf(format, args...))
	}
	// measured loads the process pid with cfg and counts what failed.
	measured := func(pid int, cfg *config) (*report, measure) {
		rep, m := loadOn(ctx, c.cpu(pid), cfg)
		r.Failed += rep.failed() + rep.RetryMismatches
		return rep, m
	}
	if c.only["single"] {
		path, drop, err := c.fresh(ctx)
		if err != nil {
			return r, err
		}
		err = c.withServer(ctx, path, func(url, token string, pid int) error {
			_, r.Single = measured(pid, c.single(url, token, seed, 0))
			step("single POST, %d clients: %.0f/s, %.0f µs of processor each", c.clients, r.Single.PerS, r.Single.CPU)
			if !c.only["p99"] {
				return nil
			}
			for k, f := range []float64{0.25, 0.5, 0.75} {
				rep, _ := measured(pid, c.single(url, token, seed+uint64(k)+1, f*r.Single.PerS))
				r.P99[k] = rep.Latency.P99
				step("p99 at %.0f/s (%.0f%%): %.1f ms", f*r.Single.PerS, f*100, r.P99[k])
			}
			return nil
		})
		if err == nil {
			// The server has stopped: its leads are the bound's rows.
			r.Stored, err = c.storedBound(ctx, path, seed, measured)
			if err == nil {
				step("bare HTTP storing each lead row before answering, %d clients: %.0f/s, %.0f µs each", c.clients, r.Stored.PerS, r.Stored.CPU)
			}
		}
		drop()
		if err != nil {
			return r, err
		}
		bare, base, err := c.startBare(ctx)
		if err != nil {
			return r, err
		}
		_, r.Bare = loadOn(ctx, processCPU(bare.Process.Pid), c.single(base, "bare", seed, 0))
		stop(bare)
		step("bare HTTP, %d clients: %.0f/s, %.0f µs each", c.clients, r.Bare.PerS, r.Bare.CPU)
	}
	if c.only["batch"] {
		path, drop, err := c.fresh(ctx)
		if err != nil {
			return r, err
		}
		var all *store.CeilingSet
		err = c.withServer(ctx, path, func(url, token string, pid int) error {
			_, r.Batch = measured(pid, c.batches(url, token, seed))
			step("batches of %d, %d clients, empty database: %.0f inquiries/s, %.0f µs each", c.batch, c.batchConc, r.Batch.PerS, r.Batch.CPU)
			if c.allRows {
				// Read before the known people add their entries
				// to the same leads.
				var err error
				if all, err = ceilingRows(ctx, path, true, max(int(r.Batch.PerS*c.duration.Seconds()), 1)); err != nil {
					return err
				}
			}
			if c.only["known"] {
				_, r.Known = measured(pid, c.batches(url, token, seed))
				step("the same people again: %.0f inquiries/s, %.0f µs each", r.Known.PerS, r.Known.CPU)
				integration, err := c.token(ctx, path, "integration")
				if err != nil {
					return err
				}
				_, r.KnownIntegration = measured(pid, c.batches(url, integration, seed))
				step("the same people from an integration's token: %.0f inquiries/s, %.0f µs each", r.KnownIntegration.PerS, r.KnownIntegration.CPU)
			}
			return nil
		})
		total := int(r.Batch.PerS * c.duration.Seconds())
		if err == nil {
			r.Storage, r.StorageIns, err = c.storageCeiling(ctx, path, false, total, 0)
		}
		if err == nil && all != nil && all.Leads > 0 {
			r.AllRows = float64(all.Rows()) / float64(all.Leads)
			r.StorageAll, r.StorageAllIns, err = c.ceilingOf(ctx, all, 0)
		}
		drop()
		if err != nil {
			return r, err
		}
		step("%s, %d rows per transaction: %.0f rows/s, %.0f µs each", c.storageName(), c.perTx, r.Storage.PerS, r.Storage.CPU)
		if c.pg != "" {
			step("multi-row INSERT, %d rows per transaction: %.0f rows/s, %.0f µs each", c.perTx, r.StorageIns.PerS, r.StorageIns.CPU)
		}
		if c.allRows {
			step("every row stored (%.2f a lead), %s, %d leads per transaction: %.0f leads/s, %.0f µs each",
				r.AllRows, c.storageName(), c.perTx, r.StorageAll.PerS, r.StorageAll.CPU)
			if c.pg != "" {
				step("every row stored, multi-row INSERT, %d leads per transaction: %.0f leads/s, %.0f µs each", c.perTx, r.StorageAllIns.PerS, r.StorageAllIns.CPU)
			}
		}
	}
	if c.only["big"] && c.pg == "" {
		// Each run on a copy of the large database as it was built: the
		// figures add tens of thousands of leads, and a database grown by
		// earlier runs measured lower every run.
		work := strings.TrimSuffix(big, ".db") + ".run.db"
		if err := copyDB(big, work); err != nil {
			return r, err
		}
		defer removeDB(work)
		big = work
	}
	if c.only["big"] {
		warm := c.batches("", "", seed+10)
		warm.duration = min(c.duration/2, 5*time.Second)
		err := c.reportsCurrent(ctx, big, log)
		if err == nil {
			err = c.withServer(ctx, big, func(url, token string, pid int) error {
				warm.url, warm.token = url, token
				measured(pid, warm)
				_, r.BigWarm = measured(pid, c.batches(url, token, seed+11))
				step("%d leads stored, warm: %.0f inquiries/s, %.0f µs each", c.bigLeads, r.BigWarm.PerS, r.BigWarm.CPU)
				return nil
			})
		}
		if err == nil {
			err = c.reportsCurrent(ctx, big, log)
		}
		if err == nil {
			err = c.withServer(ctx, big, func(url, token string, pid int) error {
				_, r.BigRestart = measured(pid, c.batches(url, token, seed+12))
				step("%d leads stored, right after a restart: %.0f inquiries/s, %.0f µs each", c.bigLeads, r.BigRestart.PerS, r.BigRestart.CPU)
				return nil
			})
		}
		if err != nil {
			return r, err
		}
	}
	if c.only["import"] {
		csv, err := c.importFile(c.importRows)
		if err != nil {
			return r, err
		}
		path, drop, err := c.fresh(ctx)
		if err != nil {
			return r, err
		}
		if c.pg == "" {
			// Migrated before the clock, as the ceiling's file and the
			// PostgreSQL schemas are: both figures go from a migrated
			// database to a closed one.
			err = c.migrate(ctx, path)
		}
		if err == nil {
			r.Import, err = c.pistaImport(ctx, path, csv, c.importRows)
		}
		if err == nil {
			r.RawImport, r.RawImpIns, err = c.storageCeiling(ctx, path, false, c.importRows, c.importRows)
		}
		drop()
		if err != nil {
			return r, err
		}
		step("pista import of %d rows: %.0f rows/s, %.0f µs each; the same rows inserted (%s): %.0f rows/s, %.0f µs each",
			c.importRows, r.Import.PerS, r.Import.CPU, c.storageName(), r.RawImport.PerS, r.RawImport.CPU)
		if c.pg != "" {
			step("the same rows as multi-row INSERTs: %.0f rows/s, %.0f µs each", r.RawImpIns.PerS, r.RawImpIns.CPU)
		}
	}
	return r, nil
}

// A cpuMeter starts counting processor time; the function it returns
// gives the seconds used since.
type cpuMeter func() func() float64

// processCPU counts the processor time of the process pid.
func processCPU(pid int) cpuMeter {
	return func() func() float64 {
		cpu0 := procCPU(pid)
		return func() float64 { return procCPU(pid) - cpu0 }
	}
}

// loadOn runs a load and measures it: requests (single POSTs) or
// inquiries (batches) per second, and the processor time cpu counts per
// one.
func loadOn(ctx context.Context, cpu cpuMeter, cfg *config) (*report, measure) {
	used0 := cpu()
	rep := load(ctx, cfg)
	used := used0()
	m, items := measure{PerS: rep.RequestsPerS}, float64(rep.OK)
	if cfg.batchInq > 0 {
		m.PerS, items = rep.EventsPerS, float64(rep.Events)
	}
	if items > 0 {
		m.CPU = used / items * 1e6
	}
	return rep, m
}

// selfCPU is this process's processor time in seconds.
func selfCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// single is the load of single POSTs: as fast as the clients go (rate 0),
// or open loop at rate with enough clients to keep the schedule.
func (c *ratiosConfig) single(url, token string, seed uint64, rate float64) *config {
	cfg := &config{url: url, token: token, duration: c.duration, concurrency: c.clients, seed: seed,
		duplicates: 0.05, retrySameKey: 0.01, timeout: 60 * time.Second, rate: rate}
	if rate > 0 {
		cfg.concurrency = max(c.clients, 256)
	}
	return cfg
}

func (c *ratiosConfig) batches(url, token string, seed uint64) *config {
	return &config{url: url, token: token, duration: c.duration, concurrency: c.batchConc, batchInq: c.batch,
		seed: seed, timeout: 60 * time.Second}
}

// cpu counts the processor time of the process pid and, on PostgreSQL,
// of every postgres process on this machine: the work of the database
// server counts as Pista's (or the ceiling's).
func (c *ratiosConfig) cpu(pid int) cpuMeter {
	if c.pg == "" {
		return processCPU(pid)
	}
	return func() func() float64 {
		pid0, pg0 := procCPU(pid), postgresNow()
		return func() float64 { return procCPU(pid) - pid0 + pg0.since() }
	}
}

// fresh makes a new empty database: a file in --dir on SQLite (created
// by the first pista command on it), a schema migrated by pista migrate
// on PostgreSQL. drop removes it.
func (c *ratiosConfig) fresh(ctx context.Context) (target string, drop func(), err error) {
	if c.pg != "" {
		return migratedSchema(ctx, c.admin, c.pg, c.pista)
	}
	path := filepath.Join(c.dir, fmt.Sprintf("fresh-%d.db", rand.Uint32()))
	return path, func() { removeDB(path) }, nil
}

// withServer runs fn against `pista serve` on the database at target (a
// file or a PostgreSQL URL).
func (c *ratiosConfig) withServer(ctx context.Context, target string, fn func(url, token string, pid int) error) error {
	token, err := c.token(ctx, target, "admin")
	if err != nil {
		return err
	}
	// No per-token rate limit: the most the server takes is measured. The
	// form key is kept beside a SQLite file; PostgreSQL has no file.
	env := []string{"PISTA_TOKEN_RATE=0"}
	if c.pg != "" {
		env = append(env, "PISTA_FORM_KEY=ratios-form-key")
	}
	cmd, base, err := startProcess(ctx, c.pista, []string{"serve", "--db", target}, env)
	if err != nil {
		return err
	}
	defer stop(cmd)
	return fn(base, token, cmd.Process.Pid)
}

// reportsCurrent runs `pista serve`, idle, on the database at target
// until its reports have counted every timeline entry and dirty lead:
// the big figures measure intake into a large database, not the report
// refresher catching up on the inquiries of the build (a million-row
// import) or of the figure before, which a server started afterwards
// counts first (half a minute of both cores after the import).
func (c *ratiosConfig) reportsCurrent(ctx context.Context, target string, log io.Writer) error {
	db, err := store.Open(ctx, target)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	return c.withServer(ctx, target, func(string, string, int) error {
		for {
			hi, err := db.TimelineHigh(ctx)
			if err != nil {
				return err
			}
			wm, err := db.ReportWatermark(ctx)
			if err != nil {
				return err
			}
			dirty, _, err := db.ReportDirty(ctx, 1)
			if err != nil {
				return err
			}
			if wm >= hi && len(dirty) == 0 {
				fmt.Fprintf(log, "reports current after %.1f s\n", time.Since(start).Seconds())
				return nil
			}
			if time.Since(start) > 30*time.Minute {
				return fmt.Errorf("reports still behind after 30 minutes: watermark %d of %d", wm, hi)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Second):
			}
		}
	})
}

// token creates an API token with a role in the database at target
// (creating and migrating a new SQLite file).
func (c *ratiosConfig) token(ctx context.Context, target, role string) (string, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, c.pista, "token", "create", "--name", "load-"+role, "--role", role, "--db", target)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("pista token create: %v: %s", err, errOut.Bytes())
	}
	return strings.TrimSpace(out.String()), nil
}

// storedBound measures `pista-load bare-http --store` as the single
// figure measures Pista: the leads Pista stored at from written again,
// one per request, into a freshly migrated database (on PostgreSQL a
// fresh schema, its processor time counted with the bound's).
func (c *ratiosConfig) storedBound(ctx context.Context, from string, seed uint64,
	measured func(pid int, cfg *config) (*report, measure)) (measure, error) {
	into := filepath.Join(c.dir, "stored-bound.db")
	if c.pg != "" {
		url, drop, err := migratedSchema(ctx, c.admin, c.pg, c.pista)
		if err != nil {
			return measure{}, err
		}
		defer drop()
		into = url
	} else {
		removeDB(into)
		defer removeDB(into)
		if err := migrateFile(ctx, into); err != nil {
			return measure{}, err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return measure{}, err
	}
	cmd, base, err := startProcess(ctx, self, []string{"bare-http", "--store", into, "--store-from", from}, nil)
	if err != nil {
		return measure{}, err
	}
	defer stop(cmd)
	_, m := measured(cmd.Process.Pid, c.single(base, "stored", seed, 0))
	return m, nil
}

// startBare starts this program's bare-http server.
func (c *ratiosConfig) startBare(ctx context.Context) (*exec.Cmd, string, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, "", err
	}
	return startProcess(ctx, self, []string{"bare-http"}, nil)
}

// startProcess starts name with args and --addr on a free port, and waits
// until its /healthz answers.
func startProcess(ctx context.Context, name string, args, env []string) (*exec.Cmd, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.CommandContext(ctx, name, append(args, "--addr", addr)...)
	cmd.Env = append(os.Environ(), env...)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	base := "http://" + addr
	if healthy(base, 2*time.Minute) {
		return cmd, base, nil
	}
	cmd.Process.Kill()
	cmd.Wait()
	return nil, "", fmt.Errorf("%s %s did not answer on %s: %s", name, args[0], addr, errOut.Bytes())
}

// stop ends a process started by startProcess, as an operator would.
func stop(cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
}

// copyDB copies the SQLite database at src, with its write-ahead log
// and form key when it has them, to dst.
func copyDB(src, dst string) error {
	removeDB(dst)
	for _, suffix := range []string{"", "-wal", ".formkey"} {
		in, err := os.Open(src + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			return err
		}
		out, err := os.OpenFile(dst+suffix, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err == nil {
			_, err = io.Copy(out, in)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		in.Close()
		if err != nil {
			return fmt.Errorf("copy the large database: %w", err)
		}
	}
	return nil
}

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", ".formkey", ".lock"} {
		os.Remove(path + suffix)
	}
}

// storageName is what the storage ceiling is.
func (c *ratiosConfig) storageName() string {
	if c.pg != "" {
		return "COPY"
	}
	return "storage ceiling"
}

// storageCeiling inserts the first rows leads of the database at from
// into a freshly migrated database, --rows-per-tx per durable transaction,
// for the duration or, with total > 0, total rows: on SQLite one prepared
// single-row INSERT per row (store.Ceiling); on PostgreSQL as COPY, then
// again as multi-row INSERTs (ins).
func (c *ratiosConfig) storageCeiling(ctx context.Context, from string, all bool, rows, total int) (m, ins measure, err error) {
	set, err := ceilingRows(ctx, from, all, max(rows, 1))
	if err != nil {
		return m, ins, err
	}
	return c.ceilingOf(ctx, set, total)
}

// ceilingOf runs the storage ceiling on the set's rows: on SQLite once,
// on PostgreSQL as COPY (m) and as multi-row INSERTs (ins).
func (c *ratiosConfig) ceilingOf(ctx context.Context, set *store.CeilingSet, total int) (m, ins measure, err error) {
	if c.pg == "" {
		path := filepath.Join(c.dir, "ceiling.db")
		removeDB(path)
		defer removeDB(path)
		if err := migrateFile(ctx, path); err != nil {
			return m, ins, err
		}
		cpu0 := selfCPU()
		run, err := ceilingInto(ctx, path, set, c.perTx, c.duration, total)
		if err != nil || run.Rows == 0 {
			return m, ins, err
		}
		return measure{PerS: run.PerS(), CPU: (selfCPU() - cpu0) / float64(run.Rows) * 1e6}, ins, nil
	}
	one := func(way pgWay) (measure, error) {
		dbURL, drop, err := migratedSchema(ctx, c.admin, c.pg, c.pista)
		if err != nil {
			return measure{}, err
		}
		defer drop()
		cpu0, pg0 := selfCPU(), postgresNow()
		run, err := pgCeiling(ctx, dbURL, set, way, c.perTx, c.duration, total)
		if err != nil || run.Rows == 0 {
			return measure{}, err
		}
		return measure{PerS: run.PerS(), CPU: (selfCPU() - cpu0 + pg0.since()) / float64(run.Rows) * 1e6}, nil
	}
	if m, err = one(pgCopy); err != nil {
		return m, ins, err
	}
	ins, err = one(pgInsert)
	return m, ins, err
}

// ceilingRows reads up to limit leads of the database at target (a file
// or a PostgreSQL URL) as the ceilings insert them again; all: with every
// other row stored with them (store.CeilingRowsAll).
func ceilingRows(ctx context.Context, target string, all bool, limit int) (*store.CeilingSet, error) {
	src, err := store.Open(ctx, target)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if all {
		return src.CeilingRowsAll(ctx, limit)
	}
	return src.CeilingRows(ctx, limit)
}

// ceilingInto runs the storage ceiling on the migrated database at path.
// With total rows (pista import's figure) its time is the whole
// program's, as pista import's is: from opening the database to closing
// it, which copies the write-ahead log into the file. Otherwise it is
// the inserting alone, as a server's rate is measured while it runs.
func ceilingInto(ctx context.Context, path string, set *store.CeilingSet, perTx int, d time.Duration, total int) (store.CeilingRun, error) {
	start := time.Now()
	db, err := store.Open(ctx, path)
	if err != nil {
		return store.CeilingRun{}, err
	}
	run, err := db.Ceiling(ctx, set, perTx, d, total)
	if cerr := db.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close: %w", cerr)
	}
	if total > 0 {
		run.Elapsed = time.Since(start)
	}
	return run, err
}

// migrateFile creates the SQLite database at path with Pista's schema.
func migrateFile(ctx context.Context, path string) error {
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	_, err = db.Migrate(ctx)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// migrate migrates the SQLite database at path with the pista measured,
// creating it.
func (c *ratiosConfig) migrate(ctx context.Context, path string) error {
	if out, err := exec.CommandContext(ctx, c.pista, "migrate", "--db", path).CombinedOutput(); err != nil {
		return fmt.Errorf("pista migrate: %v: %s", err, out)
	}
	return nil
}

// pistaImport imports the file's rows into a new database and measures
// it: rows per second from start to exit, and its processor time per row
// (with PostgreSQL's).
func (c *ratiosConfig) pistaImport(ctx context.Context, db, csv string, rows int) (measure, error) {
	m, _, err := c.pistaImportRun(ctx, db, csv, rows)
	return m, err
}

// importRun is one pista import of many rows: its time, start to exit,
// and the most memory its process held (the targets for 1,000,000
// rows: 60 s and 256 MB).
type importRun struct {
	Rows     int     `json:"rows"`
	Seconds  float64 `json:"seconds"`
	PerS     float64 `json:"per_s"`
	MaxRSSMB float64 `json:"max_rss_mb"`
}

// pistaImportRun is pistaImport, also giving the run's time and peak
// memory.
func (c *ratiosConfig) pistaImportRun(ctx context.Context, db, csv string, rows int) (measure, importRun, error) {
	pg0 := postgresNow()
	start := time.Now()
	cmd := exec.CommandContext(ctx, c.pista, "import", "--db", db, "--quiet", "--format", "purchased_list",
		"--action", "list_import", csv)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return measure{}, importRun{}, fmt.Errorf("pista import: %v", err)
	}
	peak := watchPeakMemory(cmd.Process.Pid)
	err := cmd.Wait()
	took := time.Since(start).Seconds()
	maxRSS := peak()
	if err != nil {
		return measure{}, importRun{}, fmt.Errorf("pista import: %v: %s", err, out.Bytes())
	}
	cpu := (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	if c.pg != "" {
		cpu += pg0.since()
	}
	run := importRun{Rows: rows, Seconds: took, PerS: float64(rows) / took, MaxRSSMB: float64(maxRSS) / (1 << 20)}
	return measure{PerS: run.PerS, CPU: cpu / float64(rows) * 1e6}, run, nil
}

// watchPeakMemory reads the process's peak resident memory (VmHWM in
// /proc/PID/status) every 20 ms until the function it returns is called,
// which gives the last reading, in bytes (0 where /proc has none). The
// rusage of a child that os/exec started is no measure: Linux starts its
// peak at the parent's, whose memory the child shared until it ran the
// program (this process builds a million-row file in memory).
func watchPeakMemory(pid int) func() int64 {
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	var peak atomic.Int64
	read := func() {
		b, err := os.ReadFile(path)
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				if err == nil && kb*1024 > peak.Load() {
					peak.Store(kb * 1024)
				}
			}
		}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			read()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(done)
		<-stopped
		return peak.Load()
	}
}

// bigDB returns the large database, built with pista import the first
// time, or again when rebuild is set: a file in --dir, or on PostgreSQL
// the schema ratios_big_N. built is the import, when it ran.
func (c *ratiosConfig) bigDB(ctx context.Context, log io.Writer, rebuild bool) (target string, built *importRun, err error) {
	if c.pg != "" {
		return c.bigSchema(ctx, log, rebuild)
	}
	path := filepath.Join(c.dir, fmt.Sprintf("big-%d.db", c.bigLeads))
	if _, err := os.Stat(path); err == nil && !rebuild {
		return path, nil, nil
	}
	tmp := path + ".building"
	removeDB(tmp)
	if built, err = c.buildBig(ctx, tmp, log); err != nil {
		return "", nil, err
	}
	removeDB(path)
	for _, suffix := range []string{"", "-wal", ".formkey"} {
		if err := os.Rename(tmp+suffix, path+suffix); err != nil && !(suffix != "" && errors.Is(err, os.ErrNotExist)) {
			return "", nil, err
		}
	}
	removeDB(tmp)
	return path, built, nil
}

// bigSchema is bigDB on PostgreSQL: the schema is built under another
// name and renamed once the import is done.
func (c *ratiosConfig) bigSchema(ctx context.Context, log io.Writer, rebuild bool) (string, *importRun, error) {
	schema := fmt.Sprintf("ratios_big_%d", c.bigLeads)
	var exists bool
	if err := c.admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&exists); err != nil {
		return "", nil, err
	}
	target, err := schemaURL(c.pg, schema)
	if err != nil || (exists && !rebuild) {
		return target, nil, err
	}
	tmp := schema + "_building"
	if _, err := c.admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+tmp+` CASCADE`); err != nil {
		return "", nil, err
	}
	if _, err := c.admin.ExecContext(ctx, `CREATE SCHEMA `+tmp); err != nil {
		return "", nil, err
	}
	tmpURL, err := schemaURL(c.pg, tmp)
	if err != nil {
		return "", nil, err
	}
	if out, err := exec.CommandContext(ctx, c.pista, "migrate", "--db", tmpURL).CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("pista migrate: %v: %s", err, out)
	}
	built, err := c.buildBig(ctx, tmpURL, log)
	if err != nil {
		return "", nil, err
	}
	if _, err := c.admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`); err != nil {
		return "", nil, err
	}
	_, err = c.admin.ExecContext(ctx, `ALTER SCHEMA `+tmp+` RENAME TO `+schema)
	return target, built, err
}

// buildBig imports --big-leads new people into the database at target.
func (c *ratiosConfig) buildBig(ctx context.Context, target string, log io.Writer) (*importRun, error) {
	csv, err := c.importFile(c.bigLeads)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "building the %d-lead database (pista import)...\n", c.bigLeads)
	_, run, err := c.pistaImportRun(ctx, target, csv, c.bigLeads)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "built in %.1f s (%.0f rows/s), at most %.0f MB of memory\n", run.Seconds, run.PerS, run.MaxRSSMB)
	return &run, os.Remove(csv)
}

// importFile writes (once) a CSV of n rows like a purchased list: Spanish
// headers, new people, 5,000 companies.
func (c *ratiosConfig) importFile(n int) (string, error) {
	path := filepath.Join(c.dir, fmt.Sprintf("import-%d.csv", n))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	var b bytes.Buffer
	b.WriteString("Nombre,Apellido,Correo,Empresa,Cargo,País,Teléfono,Industria,Empleados,Ciudad,Fecha,Notas\n")
	first := []string{"Ana", "Luis", "María", "João", "Camila", "Jorge", "Lucía", "Pedro", "Sofía", "Mateus", "Laura", "Diego"}
	last := []string{"Gómez", "Pérez", "Silva", "Souza", "Rodríguez", "Martínez", "Costa", "López", "Oliveira", "Fernández"}
	cos := []string{"Acme", "Andina", "Logisur", "Helix", "Nord", "Mercurio", "Atlas", "Sol"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		fn, ln := first[r.IntN(len(first))], last[r.IntN(len(last))]
		fmt.Fprintf(&b, "%s,%s,%s.%s%d@empresa%d.com.co,%s %d,Gerente,Colombia,,manufacturing,%d,Bogotá,2026-10-%02d,\n",
			fn, ln, strings.ToLower(fn), strings.ToLower(ln), i, i%5000, cos[r.IntN(len(cos))], i%5000, 5+r.IntN(4996), 1+i%28)
	}
	return path, os.WriteFile(path, b.Bytes(), 0o644)
}

// loadAverage is the machine's 1-minute load average ("" if unknown).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	return strings.Fields(string(b))[0]
}

// ratioLine is one line of the table: Pista's figure and its ceiling's
// (medians over the runs), and in each run the ratio of their rates
// (Pista / ceiling) and of their processor time per item (ceiling /
// Pista: the rate ratio if both had the same processors).
type ratioLine struct {
	Figure   string    `json:"figure"`
	Against  string    `json:"against"` // what the ceiling is
	Pista    measure   `json:"pista"`
	Ceiling  measure   `json:"ceiling"`
	Runs     []float64 `json:"ratios"`
	Ratio    float64   `json:"ratio"` // median of Runs
	CPURuns  []float64 `json:"cpu_ratios"`
	CPURatio float64   `json:"cpu_ratio"` // median of CPURuns
	Target   float64   `json:"target"`
	// Remark says what a line without a target is for.
	Remark string `json:"remark,omitempty"`
}

func ratioLines(c *ratiosConfig, runs []ratioRun) []ratioLine {
	var out []ratioLine
	// add adds a line if a run measured both its figures, and returns it.
	add := func(figure, against string, target float64, pista, ceil func(r *ratioRun) measure) *ratioLine {
		l := ratioLine{Figure: figure, Against: against, Target: target}
		var ps, pc, cs, cc []float64
		for i := range runs {
			p, q := pista(&runs[i]), ceil(&runs[i])
			ps, pc, cs, cc = append(ps, p.PerS), append(pc, p.CPU), append(cs, q.PerS), append(cc, q.CPU)
			if q.PerS > 0 && p.PerS > 0 {
				l.Runs = append(l.Runs, p.PerS/q.PerS)
			}
			if q.CPU > 0 && p.CPU > 0 {
				l.CPURuns = append(l.CPURuns, q.CPU/p.CPU)
			}
		}
		l.Pista, l.Ceiling = measure{median(ps), median(pc)}, measure{median(cs), median(cc)}
		l.Ratio, l.CPURatio = median(l.Runs), median(l.CPURuns)
		if len(l.Runs) == 0 {
			return nil
		}
		out = append(out, l)
		return &out[len(out)-1]
	}
	remark := func(l *ratioLine, text string) {
		if l != nil {
			l.Remark = text
		}
	}
	add(fmt.Sprintf("single POST /inquiries, %d clients", c.clients), "bare net/http JSON decode", 0.5,
		func(r *ratioRun) measure { return r.Single }, func(r *ratioRun) measure { return r.Bare })
	// The single target's bound: bare net/http that answers only once the
	// lead row is stored. Pista's ratio to bare net/http can be no higher.
	remark(add(fmt.Sprintf("bound: bare net/http storing each lead row before answering, %d clients", c.clients), "bare net/http JSON decode", 0,
		func(r *ratioRun) measure { return r.Stored }, func(r *ratioRun) measure { return r.Bare }),
		"(none: the most single POSTs can reach)")
	remark(add(fmt.Sprintf("single POST /inquiries, %d clients", c.clients), "the bound above", 0,
		func(r *ratioRun) measure { return r.Single }, func(r *ratioRun) measure { return r.Stored }),
		"(none: Pista against the bound)")
	storage := "storage"
	if c.pg != "" {
		storage = "COPY"
	}
	add(fmt.Sprintf("batches of %d, %d clients", c.batch, c.batchConc), fmt.Sprintf("%s, %d rows/transaction", storage, c.perTx), 0.7,
		func(r *ratioRun) measure { return r.Batch }, func(r *ratioRun) measure { return r.Storage })
	add(fmt.Sprintf("batches of %d, %d clients", c.batch, c.batchConc), fmt.Sprintf("multi-row INSERT, %d rows/transaction", c.perTx), 0.7,
		func(r *ratioRun) measure { return r.Batch }, func(r *ratioRun) measure { return r.StorageIns })
	allRows := func(r *ratioRun) float64 { return r.AllRows }
	add(fmt.Sprintf("batches of %d, %d clients", c.batch, c.batchConc),
		fmt.Sprintf("every row it stored (%.1f a lead), %s, %d leads/transaction", median(collect(runs, allRows)), storage, c.perTx), 0,
		func(r *ratioRun) measure { return r.Batch }, func(r *ratioRun) measure { return r.StorageAll })
	if c.pg != "" {
		add(fmt.Sprintf("batches of %d, %d clients", c.batch, c.batchConc),
			fmt.Sprintf("every row it stored, multi-row INSERT, %d leads/transaction", c.perTx), 0,
			func(r *ratioRun) measure { return r.Batch }, func(r *ratioRun) measure { return r.StorageAllIns })
	}
	add(fmt.Sprintf("batches, %d leads stored, warm", c.bigLeads), "empty database", 0.85,
		func(r *ratioRun) measure { return r.BigWarm }, func(r *ratioRun) measure { return r.Batch })
	add(fmt.Sprintf("batches, %d leads stored, after restart", c.bigLeads), "empty database", 0.7,
		func(r *ratioRun) measure { return r.BigRestart }, func(r *ratioRun) measure { return r.Batch })
	add("batches, known people", "new people", 0.8,
		func(r *ratioRun) measure { return r.Known }, func(r *ratioRun) measure { return r.Batch })
	add("batches, known people, integration token", "new people", 0.8,
		func(r *ratioRun) measure { return r.KnownIntegration }, func(r *ratioRun) measure { return r.Batch })
	add(fmt.Sprintf("pista import, %d rows", c.importRows), fmt.Sprintf("the same rows, %s, %d rows/transaction", storage, c.perTx), 0.8,
		func(r *ratioRun) measure { return r.Import }, func(r *ratioRun) measure { return r.RawImport })
	add(fmt.Sprintf("pista import, %d rows", c.importRows), fmt.Sprintf("the same rows, multi-row INSERT, %d rows/transaction", c.perTx), 0.8,
		func(r *ratioRun) measure { return r.Import }, func(r *ratioRun) measure { return r.RawImpIns })
	return out
}

// collect is one number of each run.
func collect(runs []ratioRun, of func(*ratioRun) float64) []float64 {
	var out []float64
	for i := range runs {
		out = append(out, of(&runs[i]))
	}
	return out
}

// database names the database measured.
func (c *ratiosConfig) database() string {
	if c.pg != "" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// writeRatios prints the table, and the large import when it ran.
func writeRatios(w io.Writer, c *ratiosConfig, runs []ratioRun, built *importRun, load0, load1 string) {
	lines := ratioLines(c, runs)
	var p99 [3]float64
	for k := range p99 {
		var v []float64
		for _, r := range runs {
			v = append(v, r.P99[k])
		}
		p99[k] = median(v)
	}
	if c.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"database": c.database(), "runs": runs, "ratios": lines, "p99_ms_at_25_50_75": p99,
			"big_import": built, "load_average": []string{load0, load1}})
		return
	}
	fmt.Fprintf(w, "Pista intake against its ceilings (%s): %d runs, %s per figure, load average %s at the start, %s at the end\n\n",
		c.database(), c.runs, c.duration, load0, load1)
	if c.pg != "" {
		fmt.Fprintln(w, "Processor time per item includes every postgres process on this machine during the figure.")
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "| figure | Pista /s | ceiling /s | ratio of rates (each run) | Pista µs CPU each | ceiling µs CPU each | ratio of CPU (each run) | target |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	each := func(v []float64) string {
		var s []string
		for _, x := range v {
			s = append(s, fmt.Sprintf("%.2f", x))
		}
		return strings.Join(s, " / ")
	}
	for _, l := range lines {
		target := fmt.Sprintf("≥ %.2f", l.Target)
		if l.Target == 0 {
			target = "(none: for comparison)"
			if l.Remark != "" {
				target = l.Remark
			}
		}
		fmt.Fprintf(w, "| %s | %.0f | %.0f (%s) | **%.2f** (%s) | %.0f | %.0f | **%.2f** (%s) | %s |\n", l.Figure, l.Pista.PerS, l.Ceiling.PerS, l.Against,
			l.Ratio, each(l.Runs), l.Pista.CPU, l.Ceiling.CPU, l.CPURatio, each(l.CPURuns), target)
	}
	if built != nil {
		fmt.Fprintf(w, "\npista import of %d rows into a new database, once: %.1f s (%.0f rows/s), at most %.0f MB of memory (targets for 1,000,000 rows: ≤ 60 s, ≤ 256 MB)\n",
			built.Rows, built.Seconds, built.PerS, built.MaxRSSMB)
	}
	if c.only["p99"] {
		var single []float64
		for _, r := range runs {
			single = append(single, r.Single.PerS)
		}
		fmt.Fprintf(w, "\np99 of single POSTs at 25 / 50 / 75 %% of the most measured in the same run (median %.0f/s): %.1f / %.1f / %.1f ms (target at 50 %%: ≤ 50 ms)\n",
			median(single), p99[0], p99[1], p99[2])
	}
}
