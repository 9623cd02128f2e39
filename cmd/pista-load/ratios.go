package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// ratiosConfig is `pista-load ratios`: SQLite intake measured against its
// own ceilings, figure after figure in one run (issue 18).
type ratiosConfig struct {
	pista      string // the pista binary
	dir        string // scratch databases and files
	runs       int
	duration   time.Duration
	clients    int // single POSTs in flight
	batch      int // inquiries per batch
	batchConc  int // batches in flight
	perTx      int // rows per transaction of the storage ceiling
	bigLeads   int // leads of the large database
	importRows int // rows of the import figure
	only       map[string]bool
	json       bool
}

// The figures, by the name --only takes.
var ratioFigures = []string{"single", "p99", "batch", "known", "big", "import"}

func parseRatios(args []string, stderr io.Writer) (*ratiosConfig, error) {
	c := &ratiosConfig{}
	fs := flag.NewFlagSet("pista-load ratios", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.pista, "pista", "pista", "the pista binary whose serve and import are measured")
	fs.StringVar(&c.dir, "dir", filepath.Join(os.TempDir(), "pista-ratios"), "directory for the scratch databases (on the disk to measure); the large database is kept there for the next run")
	fs.IntVar(&c.runs, "runs", 3, "runs of every figure; the report gives each run's ratio and the median")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long each load figure is measured")
	fs.IntVar(&c.clients, "concurrency", 64, "single POST /api/v1/inquiries requests in flight")
	fs.IntVar(&c.batch, "batch-inquiries", 100, "inquiries per POST /api/v1/inquiries/batch")
	fs.IntVar(&c.batchConc, "batch-concurrency", 16, "batches in flight")
	fs.IntVar(&c.perTx, "rows-per-tx", 1000, "rows per durable transaction of the storage ceiling")
	fs.IntVar(&c.bigLeads, "big-leads", 1_000_000, "leads in the large database (built once with pista import, kept in --dir)")
	fs.IntVar(&c.importRows, "import-rows", 50_000, "rows of the pista import figure")
	only := fs.String("only", strings.Join(ratioFigures, ","), "figures to measure, comma-separated: "+strings.Join(ratioFigures, ", ")+" (p99 and known need single and batch)")
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

// ratioRun is one run's figures: Pista's and its ceilings', per second.
type ratioRun struct {
	Single     float64    `json:"single_per_s,omitempty"`       // single POSTs, Pista
	Bare       float64    `json:"bare_http_per_s,omitempty"`    // the same against bare net/http
	P99        [3]float64 `json:"p99_ms"`                       // at 25, 50, 75 % of Single
	Batch      float64    `json:"batch_per_s,omitempty"`        // inquiries/s in batches, empty database
	Storage    float64    `json:"storage_rows_per_s,omitempty"` // the storage ceiling, the same rows
	Known      float64    `json:"known_per_s,omitempty"`        // the same people again
	BigWarm    float64    `json:"big_warm_per_s,omitempty"`     // batches on the large database, warmed up
	BigRestart float64    `json:"big_restart_per_s,omitempty"`  // the same right after a restart
	Import     float64    `json:"import_rows_per_s,omitempty"`  // pista import
	RawImport  float64    `json:"raw_rows_per_s,omitempty"`     // the same rows through the storage ceiling
	Failed     int64      `json:"failed"`
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
	load0 := loadAverage()
	var big string
	if c.only["big"] {
		if big, err = c.bigDB(ctx, stderr); err != nil {
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
	writeRatios(stdout, c, runs, load0, loadAverage())
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
	if c.only["single"] {
		err := c.withServer(ctx, "", func(url, token string) error {
			rep := load(ctx, c.single(url, token, seed, 0))
			r.Single, r.Failed = rep.RequestsPerS, r.Failed+rep.failed()
			step("single POST, %d clients: %.0f/s", c.clients, r.Single)
			if !c.only["p99"] {
				return nil
			}
			for k, f := range []float64{0.25, 0.5, 0.75} {
				rep := load(ctx, c.single(url, token, seed+uint64(k)+1, f*r.Single))
				r.P99[k], r.Failed = rep.Latency.P99, r.Failed+rep.failed()
				step("p99 at %.0f/s (%.0f%%): %.1f ms", f*r.Single, f*100, r.P99[k])
			}
			return nil
		})
		if err != nil {
			return r, err
		}
		bare, base, err := c.startBare(ctx)
		if err != nil {
			return r, err
		}
		rep := load(ctx, c.single(base, "bare", seed, 0))
		stop(bare)
		r.Bare, r.Failed = rep.RequestsPerS, r.Failed+rep.failed()
		step("bare HTTP, %d clients: %.0f/s", c.clients, r.Bare)
	}
	if c.only["batch"] {
		path := ""
		err := c.withServer(ctx, "", func(url, token string) error {
			rep := load(ctx, c.batches(url, token, seed))
			r.Batch, r.Failed = rep.EventsPerS, r.Failed+rep.failed()
			step("batches of %d, %d clients, empty database: %.0f inquiries/s", c.batch, c.batchConc, r.Batch)
			if c.only["known"] {
				rep := load(ctx, c.batches(url, token, seed))
				r.Known, r.Failed = rep.EventsPerS, r.Failed+rep.failed()
				step("the same people again: %.0f inquiries/s", r.Known)
			}
			return nil
		}, &path)
		if err != nil {
			return r, err
		}
		run, err := c.storageCeiling(ctx, path, int(float64(r.Batch)*c.duration.Seconds()), 0)
		removeDB(path)
		if err != nil {
			return r, err
		}
		r.Storage = run.PerS()
		step("storage ceiling, %d rows per transaction: %.0f rows/s", c.perTx, r.Storage)
	}
	if c.only["big"] {
		warm := c.batches("", "", seed+10)
		warm.duration = min(c.duration/2, 5*time.Second)
		err := c.withServer(ctx, big, func(url, token string) error {
			warm.url, warm.token = url, token
			load(ctx, warm)
			rep := load(ctx, c.batches(url, token, seed+11))
			r.BigWarm, r.Failed = rep.EventsPerS, r.Failed+rep.failed()
			step("%d leads stored, warm: %.0f inquiries/s", c.bigLeads, r.BigWarm)
			return nil
		})
		if err == nil {
			err = c.withServer(ctx, big, func(url, token string) error {
				rep := load(ctx, c.batches(url, token, seed+12))
				r.BigRestart, r.Failed = rep.EventsPerS, r.Failed+rep.failed()
				step("%d leads stored, right after a restart: %.0f inquiries/s", c.bigLeads, r.BigRestart)
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
		path := filepath.Join(c.dir, "import.db")
		removeDB(path)
		took, err := c.pistaImport(ctx, path, csv)
		if err != nil {
			return r, err
		}
		r.Import = float64(c.importRows) / took.Seconds()
		run, err := c.storageCeiling(ctx, path, c.importRows, c.importRows)
		removeDB(path)
		if err != nil {
			return r, err
		}
		r.RawImport = run.PerS()
		step("pista import of %d rows: %.1f s (%.0f rows/s); the same rows inserted: %.0f rows/s", c.importRows, took.Seconds(), r.Import, r.RawImport)
	}
	return r, nil
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

// withServer runs fn against `pista serve` on the database at path (a
// fresh one in --dir when path is ""; its path is put in *fresh if given,
// else it is removed after).
func (c *ratiosConfig) withServer(ctx context.Context, path string, fn func(url, token string) error, fresh ...*string) error {
	if path == "" {
		path = filepath.Join(c.dir, fmt.Sprintf("fresh-%d.db", rand.Uint32()))
		if len(fresh) > 0 {
			*fresh[0] = path
		} else {
			defer removeDB(path)
		}
	}
	token, err := c.token(ctx, path)
	if err != nil {
		return err
	}
	cmd, base, err := startProcess(ctx, c.pista, []string{"serve", "--db", path}, nil)
	if err != nil {
		return err
	}
	defer stop(cmd)
	return fn(base, token)
}

// token creates an API token in the database at path (creating and
// migrating it if new).
func (c *ratiosConfig) token(ctx context.Context, path string) (string, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, c.pista, "token", "create", "--name", "load", "--role", "admin", "--db", path)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("pista token create: %v: %s", err, errOut.Bytes())
	}
	return strings.TrimSpace(out.String()), nil
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
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return cmd, base, nil
			}
		}
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

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", ".formkey"} {
		os.Remove(path + suffix)
	}
}

// storageCeiling inserts the first rows leads of the database at from
// into a freshly migrated database in --dir, --rows-per-tx per
// transaction, for the duration or, with total > 0, total rows.
func (c *ratiosConfig) storageCeiling(ctx context.Context, from string, rows, total int) (store.CeilingRun, error) {
	src, err := store.Open(ctx, from)
	if err != nil {
		return store.CeilingRun{}, err
	}
	leads, err := src.CeilingRows(ctx, max(rows, 1))
	src.Close()
	if err != nil {
		return store.CeilingRun{}, err
	}
	path := filepath.Join(c.dir, "ceiling.db")
	removeDB(path)
	defer removeDB(path)
	return ceilingInto(ctx, path, leads, c.perTx, c.duration, total)
}

// ceilingInto migrates a new database at path and runs the storage
// ceiling on it.
func ceilingInto(ctx context.Context, path string, leads [][]any, perTx int, d time.Duration, total int) (store.CeilingRun, error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return store.CeilingRun{}, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return store.CeilingRun{}, err
	}
	return db.Ceiling(ctx, leads, perTx, d, total)
}

// pistaImport times pista import of the file into a new database.
func (c *ratiosConfig) pistaImport(ctx context.Context, db, csv string) (time.Duration, error) {
	start := time.Now()
	out, err := exec.CommandContext(ctx, c.pista, "import", "--db", db, "--quiet", "--format", "purchased_list",
		"--action", "list_import", csv).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pista import: %v: %s", err, out)
	}
	return time.Since(start), nil
}

// bigDB returns the large database, built with pista import the first
// time.
func (c *ratiosConfig) bigDB(ctx context.Context, log io.Writer) (string, error) {
	path := filepath.Join(c.dir, fmt.Sprintf("big-%d.db", c.bigLeads))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	csv, err := c.importFile(c.bigLeads)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(log, "building the %d-lead database once (pista import)...\n", c.bigLeads)
	tmp := path + ".building"
	removeDB(tmp)
	took, err := c.pistaImport(ctx, tmp, csv)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(log, "built in %.0f s\n", took.Seconds())
	os.Remove(csv)
	return path, os.Rename(tmp, path)
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

// ratioLine is one line of the table: Pista's figure, its ceiling's, and
// the ratio in each run (Pista / ceiling), medians over the runs.
type ratioLine struct {
	Figure  string    `json:"figure"`
	Pista   float64   `json:"pista"`
	Ceiling float64   `json:"ceiling"`
	Against string    `json:"against"` // what the ceiling is
	Runs    []float64 `json:"ratios"`
	Ratio   float64   `json:"ratio"` // median of Runs
	Target  float64   `json:"target"`
}

func ratioLines(c *ratiosConfig, runs []ratioRun) []ratioLine {
	var out []ratioLine
	add := func(figure, against string, target float64, pista, ceil func(r ratioRun) float64) {
		l := ratioLine{Figure: figure, Against: against, Target: target}
		var ps, cs []float64
		for _, r := range runs {
			p, q := pista(r), ceil(r)
			ps, cs = append(ps, p), append(cs, q)
			if q > 0 {
				l.Runs = append(l.Runs, p/q)
			}
		}
		l.Pista, l.Ceiling, l.Ratio = median(ps), median(cs), median(l.Runs)
		if l.Pista > 0 && l.Ceiling > 0 {
			out = append(out, l)
		}
	}
	add(fmt.Sprintf("single POST /inquiries, %d clients", c.clients), "bare net/http JSON decode", 0.5,
		func(r ratioRun) float64 { return r.Single }, func(r ratioRun) float64 { return r.Bare })
	add(fmt.Sprintf("batches of %d, %d clients", c.batch, c.batchConc), fmt.Sprintf("storage, %d rows/transaction", c.perTx), 0.7,
		func(r ratioRun) float64 { return r.Batch }, func(r ratioRun) float64 { return r.Storage })
	add(fmt.Sprintf("batches, %d leads stored, warm", c.bigLeads), "empty database", 0.85,
		func(r ratioRun) float64 { return r.BigWarm }, func(r ratioRun) float64 { return r.Batch })
	add(fmt.Sprintf("batches, %d leads stored, after restart", c.bigLeads), "empty database", 0.7,
		func(r ratioRun) float64 { return r.BigRestart }, func(r ratioRun) float64 { return r.Batch })
	add("batches, known people", "new people", 0.8,
		func(r ratioRun) float64 { return r.Known }, func(r ratioRun) float64 { return r.Batch })
	add(fmt.Sprintf("pista import, %d rows", c.importRows), fmt.Sprintf("the same rows, %d rows/transaction", c.perTx), 0.8,
		func(r ratioRun) float64 { return r.Import }, func(r ratioRun) float64 { return r.RawImport })
	return out
}

// writeRatios prints the table.
func writeRatios(w io.Writer, c *ratiosConfig, runs []ratioRun, load0, load1 string) {
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
		enc.Encode(map[string]any{"runs": runs, "ratios": lines, "p99_ms_at_25_50_75": p99, "load_average": []string{load0, load1}})
		return
	}
	fmt.Fprintf(w, "Pista intake against its ceilings (SQLite): %d runs, %s per figure, load average %s at the start, %s at the end\n\n",
		c.runs, c.duration, load0, load1)
	fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n", "figure", "Pista /s", "ceiling /s", "ratio (median)", "ratio each run", "target")
	for _, l := range lines {
		var each []string
		for _, x := range l.Runs {
			each = append(each, fmt.Sprintf("%.2f", x))
		}
		fmt.Fprintf(w, "| %s | %.0f | %.0f (%s) | **%.2f** | %s | ≥ %.2f |\n", l.Figure, l.Pista, l.Ceiling, l.Against, l.Ratio, strings.Join(each, " / "), l.Target)
	}
	if c.only["p99"] {
		var single []float64
		for _, r := range runs {
			single = append(single, r.Single)
		}
		m := median(single)
		fmt.Fprintf(w, "\np99 of single POSTs at 25 / 50 / 75 %% of the most measured (%.0f/s): %.1f / %.1f / %.1f ms (target at 50 %%: ≤ 50 ms)\n",
			m, p99[0], p99[1], p99[2])
	}
}
