package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/pistahq/pista/internal/store"
)

// cmdBackup copies a running server's SQLite database to a new file.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	db := &cfg.db
	to := fs.String("to", "", "new file to write the copy to")
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	if *to == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: pista backup --to FILE [--db pista.db]")
		return exitError{2}
	}
	d, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.MigrationStatus(ctx); err != nil {
		return err
	}
	if err := d.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", *db, *to)
	return nil
}
