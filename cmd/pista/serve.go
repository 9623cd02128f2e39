package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"github.com/pistahq/pista/internal/access"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/examples"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/web"
	"github.com/pistahq/pista/internal/webhook"
)

// config is everything the server reads from flags and PISTA_ variables.
type config struct {
	addr       string
	db         string
	definition string
	formKey    string
	maxBatch   int
	debugAddr  string
	proxies    string // trusted reverse proxies, comma-separated
	// bulk opens the database for loading many rows (store.OpenBulk).
	bulk bool
	// now is the services' clock; nil means time.Now (the demo sets it
	// back so that what it plays is in the past).
	now func() time.Time
}

func (c *config) flags(fs *flag.FlagSet, getenv func(string) string) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.addr, "addr", env("PISTA_ADDR", "127.0.0.1:8080"), "listen address (PISTA_ADDR)")
	fs.StringVar(&c.db, "db", env("PISTA_DB", "pista.db"), "SQLite file or postgres:// URL (PISTA_DB)")
	fs.StringVar(&c.definition, "definition", env("PISTA_DEFINITION", ""), "definition to activate when none is active; default: the bundled example (PISTA_DEFINITION)")
	fs.StringVar(&c.formKey, "form-key", env("PISTA_FORM_KEY", ""), "secret that signs web-form render times (PISTA_FORM_KEY); default: kept in a file next to the SQLite database")
	fs.IntVar(&c.maxBatch, "max-batch", 512, "most writes committed together (group commit)")
	fs.StringVar(&c.proxies, "trusted-proxies", env("PISTA_TRUSTED_PROXIES", ""), "addresses or CIDR ranges of reverse proxies in front of Pista, comma-separated; their X-Forwarded-For and X-Forwarded-Proto are believed (PISTA_TRUSTED_PROXIES)")
	fs.StringVar(&c.debugAddr, "debug-addr", env("PISTA_DEBUG_ADDR", ""), "if set, serve Go profiles (/debug/pprof) on this address, e.g. 127.0.0.1:6060 (PISTA_DEBUG_ADDR)")
}

func openDB(ctx context.Context, target string) (*store.DB, error) {
	return openWith(ctx, store.Open, target)
}

// openWith opens a database with open and brings its schema up to date.
func openWith(ctx context.Context, open func(context.Context, string) (*store.DB, error), target string) (*store.DB, error) {
	db, err := open(ctx, target)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// collectLessOften runs the garbage collector at GOGC=400 under a soft
// limit on the Go heap, unless GOGC or GOMEMLIMIT is set. Collecting less
// often leaves more of the processors to the single writer that every
// inquiry waits for: batches of inquiries went about 7 % faster, for
// 140 MB more at the peak (docs/PERFORMANCE.md).
func collectLessOften(getenv func(string) string, limit int64) {
	if getenv("GOGC") == "" && getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(limit)
	}
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
	cfg.flags(fs, getenv)
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
	srv := web.New(web.Config{Service: svc, Log: log, FormKey: key, TrustedProxies: proxies})
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
	go srv.Waterfall().Run(runCtx) // routing, SLA clocks, re-contacts
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

// openService opens the database and the intake service, activating the
// initial definition when none is active yet.
func openService(ctx context.Context, cfg config, log *slog.Logger, stdout io.Writer) (*store.DB, *intake.Service, error) {
	open := store.Open
	if cfg.bulk {
		open = store.OpenBulk
	}
	db, err := openWith(ctx, open, cfg.db)
	if err != nil {
		return nil, nil, err
	}
	svc, err := intake.New(ctx, intake.Config{DB: db, Log: log, MaxBatch: cfg.maxBatch, Now: cfg.now})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if svc.Active() == nil {
		name, src, err := initialDefinition(cfg.definition)
		if err == nil {
			_, err = svc.AddDefinition(ctx, name, src, true)
		}
		if err != nil {
			svc.Close()
			db.Close()
			return nil, nil, fmt.Errorf("activating %s: %w", name, err)
		}
		fmt.Fprintf(stdout, "Activated the lead definition %s (change it with POST /api/v1/definitions).\n", name)
	}
	return db, svc, nil
}

func initialDefinition(path string) (string, []byte, error) {
	if path != "" {
		b, err := os.ReadFile(path)
		return filepath.Base(path), b, err
	}
	b, err := examples.Definitions.ReadFile(examples.DefaultDefinition)
	return filepath.Base(examples.DefaultDefinition), b, err
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

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.flags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	db, err := store.Open(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	for _, m := range applied {
		fmt.Fprintln(stdout, "applied", m)
	}
	if err == nil && len(applied) == 0 {
		fmt.Fprintln(stdout, "the database is up to date")
	}
	return err
}

func cmdToken(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list" && args[0] != "revoke") {
		fmt.Fprintln(stderr, "usage: pista token create --name NAME --role ROLE [--user EMAIL] | list | revoke ID   [--db ...]")
		return exitError{2}
	}
	if args[0] != "create" {
		return cmdTokenAdmin(ctx, args, stdout, stderr, getenv)
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.flags(fs, getenv)
	name := fs.String("name", "", "who or what uses the token")
	role := fs.String("role", "", "admin, marketing, manager, bdr, rep or integration (default with --user: the user's role)")
	userEmail := fs.String("user", "", "e-mail of the user the token acts as (see pista user create)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError{2}
	}
	if *name == "" || (*role == "" && *userEmail == "") || (*role != "" && !roleKnown(*role)) {
		fmt.Fprintf(stderr, "--name is required and --role must be one of %v\n", access.Roles)
		return exitError{2}
	}
	db, err := openDB(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	var userID int64
	if *userEmail != "" {
		u, err := userByEmail(ctx, db, *userEmail)
		if err != nil {
			return err
		}
		if *role == "" {
			*role = u.Role
		}
		userID = u.ID
	}
	b := make([]byte, 24)
	rand.Read(b)
	token := "pst_" + hex.EncodeToString(b)
	if _, err := db.InsertUserToken(ctx, *name, *role, access.HashToken(token), userID, time.Now()); err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	fmt.Fprintln(stderr, "Keep it safe: Pista stores only its hash. Use it as `Authorization: Bearer <token>`.")
	return nil
}

// cmdTokenAdmin lists or revokes tokens.
func cmdTokenAdmin(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("token "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.flags(fs, getenv)
	rest := args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		rest = append(rest[1:], rest[0]) // "revoke ID --db x": flags may follow the ID
	}
	if err := fs.Parse(rest); err != nil {
		return exitError{2}
	}
	db, err := openDB(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "list" {
		toks, err := db.Tokens(ctx)
		if err != nil {
			return err
		}
		for _, t := range toks {
			state := "active"
			if t.RevokedAt != nil {
				state = "revoked " + t.RevokedAt.Format(time.RFC3339)
			}
			user := "-"
			if t.UserEmail != "" {
				user = "user " + t.UserEmail
			}
			fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\tcreated %s\t%s\n", t.ID, t.Name, t.Role, user, t.CreatedAt.Format(time.RFC3339), state)
		}
		return nil
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: pista token revoke ID (see pista token list)")
		return exitError{2}
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return fmt.Errorf("token revoke: %q is not a token ID (see pista token list)", fs.Arg(0))
	}
	if err := db.RevokeToken(ctx, id, time.Now()); errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("token %d does not exist or was already revoked", id)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Token %d revoked; servers stop accepting it within 30 seconds.\n", id)
	return nil
}

func roleKnown(r string) bool {
	for _, x := range access.Roles {
		if x == r {
			return true
		}
	}
	return false
}
