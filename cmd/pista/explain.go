package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
)

func cmdExplain(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	defPath := fs.String("definition", "", "lead definition file (YAML)")
	nowFlag := fs.String("now", "", "evaluate as of this time (RFC 3339); default: the current time")
	leadID := fs.Int64("lead", 0, "explain this stored lead's last evaluation, read from --db")
	var cfg config
	cfg.dbFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	if *leadID != 0 {
		if fs.NArg() != 0 || *defPath != "" || *nowFlag != "" {
			fmt.Fprintln(stderr, "pista explain --lead ID reads the lead and its evaluation from the database: give no file, --definition or --now")
			return exitError{2}
		}
		return explainStored(ctx, cfg.db, *leadID, stdout)
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: pista explain --definition FILE [--now RFC3339] LEAD.json")
		fmt.Fprintln(stderr, "       pista explain --lead ID [--db pista.db|postgres://...]")
		return exitError{2}
	}
	def, now, err := loadDefAndNow(*defPath, *nowFlag, stderr)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	l, err := decodeLead(data)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	intake.ReadLead(&l.Lead, def.Vocab) // as the server reads it
	res := engine.Evaluate(def, &l.Lead, l.Events, l.Qualification, now)
	return engine.WriteText(stdout, def, &res)
}

// explainStored prints a stored lead's last evaluation. It never creates a
// database: a wrong --db says so instead of explaining nothing.
func explainStored(ctx context.Context, target string, id int64, stdout io.Writer) error {
	if id < 0 {
		return fmt.Errorf("--lead: %d is not a lead ID", id)
	}
	if !isPostgres(target) && !sqliteExists(target) {
		return fmt.Errorf("no database at %s (give the server's --db)", dbName(target))
	}
	db, err := openDB(ctx, target)
	if err != nil {
		return err
	}
	defer db.Close()
	l, err := db.Lead(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("lead %d does not exist in the database %s", id, dbName(target))
	}
	if err != nil {
		return err
	}
	return intake.ExplainStored(ctx, db, l, stdout)
}
