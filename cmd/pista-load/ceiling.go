package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// ceiling is `pista-load ceiling`: the storage ceiling on its own. It
// reads the leads a Pista database stored and inserts them into a new
// database migrated with Pista's schema (the same leads table, indexes
// and pragmas), --rows-per-tx rows per durable transaction.
func ceiling(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pista-load ceiling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the Pista SQLite database whose leads are inserted again")
	to := fs.String("db", "", "the new SQLite database to insert into (must not exist)")
	perTx := fs.Int("rows-per-tx", 1000, "rows per durable transaction")
	d := fs.Duration("duration", 10*time.Second, "how long to insert (rows are sent again, made unique, when they run out)")
	rows := fs.Int("rows", 0, "insert this many rows instead of for --duration")
	all := fs.Bool("all-rows", false, "with every other row stored with each lead (its company, timeline entries, timers, answered mark, idempotency records); rows then count leads")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case *from == "":
		return usageError("--from: the Pista database to read leads from")
	case *to == "":
		return usageError("--db: a new database file for the ceiling")
	case *perTx < 1:
		return usageError("--rows-per-tx %d: at least 1", *perTx)
	case *d <= 0 || *rows < 0:
		return usageError("--duration must be positive, --rows 0 or more")
	}
	if _, err := os.Stat(*to); err == nil {
		return usageError("--db %s exists: the ceiling needs a new database", *to)
	}
	leads, err := ceilingRows(ctx, *from, *all, 200_000)
	if err != nil {
		return err
	}
	if err := migrateFile(ctx, *to); err != nil {
		return err
	}
	run, err := ceilingInto(ctx, *to, leads, *perTx, *d, *rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "storage ceiling: %d rows, %d per transaction, in %.2f s: %.0f rows/s\n", run.Rows, *perTx, run.Elapsed.Seconds(), run.PerS())
	if *all {
		fmt.Fprintf(stdout, "with %d rows of other tables (%.2f a lead)\n", run.Others, float64(run.Others)/float64(max(run.Rows, 1)))
	}
	return nil
}
