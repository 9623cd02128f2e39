package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/pistahq/pista/examples"
	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/metrics"
	"github.com/pistahq/pista/internal/store"
)

// config is what the commands read from flags and PISTA_ variables to open
// the database and the intake service: pista serve fills all of it, the
// other commands only the database (and, when they store leads, the
// definition).
type config struct {
	addr       string
	db         string
	definition string
	formKey    string
	maxBatch   int
	pgWriters  int // group-commit transactions at once on PostgreSQL
	tokenRate  int // API requests a second per token; 0: no limit
	debugAddr  string
	proxies    string // trusted reverse proxies, comma-separated
	dataDir    string // uploads and temporary files; "" is beside the SQLite file
	// Operations (pista serve only): see docs/operations.md.
	logFormat       string // text or json
	metricsAddr     string // serve /metrics here instead of on addr
	shutdownTimeout time.Duration
	tlsCert, tlsKey string
	metrics         *metrics.Metrics // nil: none (commands that are not the server)
	// language is the web app's default language.
	language string
	// bulk opens the database for loading many rows (store.OpenBulk).
	bulk bool
	// now is the services' clock; nil means time.Now (the demo sets it
	// back so that what it plays is in the past).
	now func() time.Time
}

// defaultMaxBatch is how many writes group commit puts in one transaction
// unless pista serve --max-batch says otherwise.
const defaultMaxBatch = 512

// definitionFlag registers --definition, for the commands that store leads
// and so need a definition active.
func (c *config) definitionFlag(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.definition, "definition", envOr(getenv, "PISTA_DEFINITION", ""), "definition to activate when none is active; default: the bundled example (PISTA_DEFINITION)")
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
	svc, err := intake.New(ctx, intake.Config{DB: db, Log: log, MaxBatch: cmp.Or(cfg.maxBatch, defaultMaxBatch), Writers: cfg.pgWriters, Bulk: cfg.bulk, Now: cfg.now, Metrics: cfg.metrics})
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

// openPreview opens the database and the intake service for a dry run,
// which writes nothing: no migration is applied (a database that needs one
// is refused, naming the command that applies it), and when no definition
// is active the initial one is used in memory, neither stored nor
// activated.
func openPreview(ctx context.Context, cfg config, log *slog.Logger, stdout io.Writer) (*store.DB, *intake.Service, error) {
	db, err := store.Open(ctx, cfg.db)
	if err != nil {
		return nil, nil, err
	}
	states, err := db.MigrationStatus(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	pending := 0
	for _, m := range states {
		if !m.Applied {
			pending++
		}
	}
	if pending > 0 {
		db.Close()
		return nil, nil, fmt.Errorf("the database %s needs %d migration(s) this version of Pista brings; a dry run changes nothing, so apply them first with: pista migrate --db %s", cfg.db, pending, cfg.db)
	}
	svc, err := intake.New(ctx, intake.Config{DB: db, Log: log, MaxBatch: cmp.Or(cfg.maxBatch, defaultMaxBatch), Now: cfg.now})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if svc.Active() == nil {
		name, src, err := initialDefinition(cfg.definition)
		var def *definition.Definition
		if err == nil {
			def, err = definition.Parse(name, src)
		}
		if err != nil {
			svc.Close()
			db.Close()
			return nil, nil, fmt.Errorf("reading %s: %w", name, err)
		}
		svc.Preview(def)
		fmt.Fprintf(stdout, "No definition is active in this database: previewing with %s, which is not stored or activated.\n", name)
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
