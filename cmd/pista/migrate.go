package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/pistahq/pista/internal/store"
)

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	status := fs.Bool("status", false, "list applied and pending migrations; change nothing")
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	db, err := store.Open(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if *status {
		return migrationStatus(ctx, db, stdout)
	}
	applied, err := db.Migrate(ctx)
	for _, m := range applied {
		fmt.Fprintln(stdout, "applied", m)
	}
	if err == nil && len(applied) == 0 {
		fmt.Fprintln(stdout, "the database is up to date")
	}
	return err
}

// migrationStatus prints each migration, applied (with when) or pending.
func migrationStatus(ctx context.Context, db *store.DB, stdout io.Writer) error {
	states, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	pending := 0
	for _, m := range states {
		if m.Applied {
			fmt.Fprintf(stdout, "applied  %s  %s\n", m.AppliedAt.Format("2006-01-02 15:04:05Z"), m.Name)
		} else {
			pending++
			fmt.Fprintf(stdout, "pending  %-20s  %s\n", "", m.Name)
		}
	}
	if pending == 0 {
		fmt.Fprintln(stdout, "the database is up to date")
	} else {
		fmt.Fprintf(stdout, "%d pending: run pista migrate (the server also applies them at start)\n", pending)
	}
	return nil
}
