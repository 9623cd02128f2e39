package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/metrics"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/web"
	"github.com/pistahq/pista/internal/webhook"
)

// defaultAddr is where pista serve listens unless told otherwise; links
// printed by other commands assume it.
const defaultAddr = "127.0.0.1:8080"

// serverFlags registers every flag of pista serve: the database's and the
// definition's, and those that only the server has.
func (c *config) serverFlags(fs *flag.FlagSet, getenv func(string) string) {
	c.dbFlags(fs, getenv)
	c.definitionFlag(fs, getenv)
	fs.StringVar(&c.addr, "addr", envOr(getenv, "PISTA_ADDR", defaultAddr), "listen address (PISTA_ADDR)")
	fs.StringVar(&c.formKey, "form-key", envOr(getenv, "PISTA_FORM_KEY", ""), "secret that signs web-form render times (PISTA_FORM_KEY); default: kept in a file next to the SQLite database")
	fs.StringVar(&c.dataDir, "data-dir", envOr(getenv, "PISTA_DATA_DIR", ""), "directory for uploaded imports and their temporary files; default: the SQLite file's directory, or the working directory with PostgreSQL (PISTA_DATA_DIR)")
	fs.IntVar(&c.maxBatch, "max-batch", defaultMaxBatch, "most writes committed together (group commit)")
	fs.IntVar(&c.pgWriters, "pg-writers", 0, "on PostgreSQL, group-commit transactions at once (0: 4, or 1 with at most 2 processors); SQLite has one")
	fs.IntVar(&c.tokenRate, "token-rate", envInt(getenv, "PISTA_TOKEN_RATE", web.DefaultTokenRate), "API requests a second one token may make, twice that at once; beyond it 429 with Retry-After; 0: no limit (PISTA_TOKEN_RATE)")
	fs.StringVar(&c.proxies, "trusted-proxies", envOr(getenv, "PISTA_TRUSTED_PROXIES", ""), "addresses or CIDR ranges of reverse proxies in front of Pista, comma-separated; their X-Forwarded-For and X-Forwarded-Proto are believed (PISTA_TRUSTED_PROXIES)")
	fs.StringVar(&c.language, "default-language", envOr(getenv, "PISTA_DEFAULT_LANGUAGE", "es"), "the web app's language when neither the user nor the browser names es, pt or en (PISTA_DEFAULT_LANGUAGE)")
	fs.StringVar(&c.debugAddr, "debug-addr", envOr(getenv, "PISTA_DEBUG_ADDR", ""), "if set, serve Go profiles (/debug/pprof) on this address, e.g. 127.0.0.1:6060 (PISTA_DEBUG_ADDR)")
	fs.StringVar(&c.logFormat, "log-format", envOr(getenv, "PISTA_LOG_FORMAT", "text"), "log lines as text or json (PISTA_LOG_FORMAT)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", envOr(getenv, "PISTA_METRICS_ADDR", ""), "serve /metrics on this address instead of the main one, e.g. 127.0.0.1:9090 (PISTA_METRICS_ADDR)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", envDuration(getenv, "PISTA_SHUTDOWN_TIMEOUT", 20*time.Second), "on SIGTERM, how long requests in flight may take to finish (PISTA_SHUTDOWN_TIMEOUT)")
	fs.StringVar(&c.tlsCert, "tls-cert", envOr(getenv, "PISTA_TLS_CERT", ""), "serve HTTPS with this certificate (PEM; with --tls-key) (PISTA_TLS_CERT)")
	fs.StringVar(&c.tlsKey, "tls-key", envOr(getenv, "PISTA_TLS_KEY", ""), "the certificate's private key (PEM) (PISTA_TLS_KEY)")
}

// envInt reads a whole number from the environment, or def. A value that
// does not parse is passed on as -1, for checkOps to report.
func envInt(getenv func(string) string, name string, def int) int {
	v := getenv(name)
	if v == "" {
		return def
	}
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	return -1
}

// envDuration reads a duration such as 20s from the environment, or def.
// A value that does not parse is left for the flag to report: it is
// passed through as the default, and flag parsing never sees it, so it is
// checked again in checkOps.
func envDuration(getenv func(string) string, name string, def time.Duration) time.Duration {
	if v := getenv(name); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
		return -1
	}
	return def
}

// checkOps refuses operational settings that cannot work, naming the flag.
func (c *config) checkOps() error {
	if c.logFormat != "text" && c.logFormat != "json" {
		return fmt.Errorf("--log-format: %q is neither text nor json", c.logFormat)
	}
	if c.tokenRate < 0 {
		return errors.New("--token-rate (PISTA_TOKEN_RATE): want a whole number of requests a second, or 0 for no limit")
	}
	if c.shutdownTimeout <= 0 {
		return errors.New("--shutdown-timeout (PISTA_SHUTDOWN_TIMEOUT): want a positive duration such as 20s")
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together: give both, or neither")
	}
	return nil
}

// newLogger writes log lines to w as text or JSON.
func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// parseProxies reads --trusted-proxies: addresses and CIDR ranges,
// comma-separated.
func parseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is neither an address nor a CIDR range such as 10.0.0.0/8", item)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// warmConns is how many PostgreSQL connections serve opens before it
// listens (store.DB.Warm): the pool's size.
const warmConns = 32

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.serverFlags(fs, getenv)
	var mailCfg mailConfig
	mailCfg.flags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	proxies, err := parseProxies(cfg.proxies)
	if err != nil {
		return err
	}
	if err := cfg.checkOps(); err != nil {
		return err
	}
	// Intake allocates a lot per inquiry and keeps little of it.
	collectLessOften(getenv, 256<<20)
	log := newLogger(cfg.logFormat, stderr)
	m := metrics.New()
	cfg.metrics = m
	lock, err := lockServer(cfg.db)
	if err != nil {
		return err
	}
	defer lock.release()
	db, svc, err := openService(ctx, cfg, log, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	defer svc.Close()
	if err := db.Warm(ctx, warmConns); err != nil {
		log.Warn("could not open all the database connections ahead of the first requests", "err", err)
	}
	if err := db.TextIndexProblem(); err != nil {
		log.Warn("searching leads by text will be slow on many leads; let Pista's database user create the pg_trgm extension (or create it) and restart", "err", err)
	}
	key, err := formKey(cfg, db)
	if err != nil {
		return err
	}
	mailer, err := mailCfg.mailer(db, cfg.addr, cfg.language, log)
	if err != nil {
		return err
	}
	m.WatchDB(db, time.Now, 10*time.Second)
	m.WatchQueue(svc.QueueDepth)
	srv := web.New(web.Config{Service: svc, Log: log, FormKey: key, TrustedProxies: proxies, DataDir: dataDir(cfg, db), Language: cfg.language,
		Metrics: m, MetricsElsewhere: cfg.metricsAddr != "", DBName: dbName(cfg.db), TokenRate: cmp.Or(cfg.tokenRate, -1)})
	defer srv.Close()
	if err := srv.UIError(); err != nil {
		return fmt.Errorf("--default-language: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	scheme := "http"
	if cfg.tlsCert != "" {
		scheme = "https"
	}
	lock.note(fmt.Sprintf("pid %d, listening on %s since %s", os.Getpid(), ln.Addr(), time.Now().UTC().Format(time.RFC3339)))
	fmt.Fprintf(stdout, "Pista is listening on %s://%s (another address: --addr host:port or PISTA_ADDR; database: %s %s)\n", scheme, ln.Addr(), db.Dialect(), dbName(cfg.db))
	fmt.Fprintf(stdout, "Web app: %s://%s/login. Create an API token with: pista token create --name me --role admin --db %s\n", scheme, ln.Addr(), cfg.db)
	if users, err := db.Users(ctx); err == nil && len(users) == 0 {
		fmt.Fprintf(stdout, "Nobody can sign in yet; add the first admin with: echo 'their password' | pista user create --name NAME --email EMAIL --role admin --password-stdin --db %s\n", cfg.db)
	}
	if cfg.metricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		mln, err := net.Listen("tcp", cfg.metricsAddr)
		if err != nil {
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go ms.Serve(mln)
		defer ms.Close()
	}
	if cfg.debugAddr != "" {
		go func() {
			mux := http.NewServeMux()
			mux.HandleFunc("/debug/pprof/", pprof.Index)
			mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
			mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
			log.Info("profiles", "addr", cfg.debugAddr, "err", http.ListenAndServe(cfg.debugAddr, mux))
		}()
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go svc.Run(runCtx)
	// Webhooks: stopped before the database closes, so that deliveries in
	// flight are handed back rather than left leased.
	hooks, hooksDone := webhook.New(webhook.Config{DB: db, Log: log, Metrics: m}), make(chan struct{})
	go func() { defer close(hooksDone); hooks.Run(runCtx) }()
	defer func() { cancel(); <-hooksDone }()
	srv.Waterfall().OnFired = func(t store.Timer, at time.Time) { m.TimerFired(at.Sub(t.Due)) }
	go srv.Waterfall().Run(runCtx)    // routing, SLA clocks, re-contacts
	go srv.Reports().Run(runCtx, log) // report rows current with the timeline
	go db.RunSearchIndex(runCtx, log) // SQLite's trigram index, between intake's commits
	mailDone := make(chan struct{})
	go runMailer(runCtx, mailer, mailDone) // notification e-mails
	defer func() { cancel(); <-mailDone }()
	errc := make(chan error, 1)
	go func() {
		if cfg.tlsCert != "" {
			errc <- hs.ServeTLS(ln, cfg.tlsCert, cfg.tlsKey)
			return
		}
		errc <- hs.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Graceful shutdown: stop accepting, let the requests in flight finish
	// (each is answered only after its commit) for at most the timeout,
	// then close what is left. The deferred calls then stop the timers,
	// webhook and mail workers, and the writer, which commits the group it
	// holds before the database closes.
	log.Info("shutting down", "timeout", cfg.shutdownTimeout.String())
	shutdown, cancelShutdown := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancelShutdown()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("requests still running at the shutdown timeout were cut off", "err", err)
		hs.Close()
	}
	return nil
}

// dataDir is where the server keeps uploads and temporary files: as
// configured, else beside the SQLite database, else the working directory.
func dataDir(cfg config, db *store.DB) string {
	if cfg.dataDir != "" || db.Dialect() == store.Postgres {
		return cfg.dataDir
	}
	return filepath.Dir(cfg.db)
}

// formKey returns the web-form signing key: configured, or kept in a file
// beside the SQLite database so that it survives restarts.
func formKey(cfg config, db *store.DB) ([]byte, error) {
	if cfg.formKey != "" {
		return []byte(cfg.formKey), nil
	}
	if db.Dialect() == store.Postgres {
		return nil, errors.New("set PISTA_FORM_KEY (the same on every server) when using PostgreSQL")
	}
	path := cfg.db + ".formkey"
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	key := []byte(hex.EncodeToString(b))
	return key, os.WriteFile(path, key, 0o600)
}
