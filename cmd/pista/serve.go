package main

import (
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
	"strings"
	"time"

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
	fs.StringVar(&c.proxies, "trusted-proxies", envOr(getenv, "PISTA_TRUSTED_PROXIES", ""), "addresses or CIDR ranges of reverse proxies in front of Pista, comma-separated; their X-Forwarded-For and X-Forwarded-Proto are believed (PISTA_TRUSTED_PROXIES)")
	fs.StringVar(&c.debugAddr, "debug-addr", envOr(getenv, "PISTA_DEBUG_ADDR", ""), "if set, serve Go profiles (/debug/pprof) on this address, e.g. 127.0.0.1:6060 (PISTA_DEBUG_ADDR)")
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
	// Intake allocates a lot per inquiry and keeps little of it.
	collectLessOften(getenv, 256<<20)
	log := slog.New(slog.NewTextHandler(stderr, nil))
	db, svc, err := openService(ctx, cfg, log, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	defer svc.Close()
	key, err := formKey(cfg, db)
	if err != nil {
		return err
	}
	mailer, err := mailCfg.mailer(db, cfg.addr, log)
	if err != nil {
		return err
	}
	srv := web.New(web.Config{Service: svc, Log: log, FormKey: key, TrustedProxies: proxies, DataDir: dataDir(cfg, db)})
	defer srv.Close()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	fmt.Fprintf(stdout, "Pista is listening on http://%s (database: %s %s)\n", ln.Addr(), db.Dialect(), cfg.db)
	fmt.Fprintf(stdout, "Create an API token with: go run ./cmd/pista token create --name me --role admin --db %s\n", cfg.db)
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
	hooks, hooksDone := webhook.New(webhook.Config{DB: db, Log: log}), make(chan struct{})
	go func() { defer close(hooksDone); hooks.Run(runCtx) }()
	defer func() { cancel(); <-hooksDone }()
	go srv.Waterfall().Run(runCtx)    // routing, SLA clocks, re-contacts
	go srv.Reports().Run(runCtx, log) // report rows current with the timeline
	mailDone := make(chan struct{})
	go runMailer(runCtx, mailer, mailDone) // notification e-mails
	defer func() { cancel(); <-mailDone }()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancelShutdown := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelShutdown()
	err = hs.Shutdown(shutdown)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
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
