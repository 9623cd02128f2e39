package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/pistahq/pista/internal/store"
)

// cmdRestore puts a backup in place of a (stopped) server's database.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	db := &cfg.db
	from := fs.String("from", "", "backup file written by pista backup")
	replace := fs.Bool("replace", false, "overwrite an existing database (stop the server first)")
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	if *from == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: pista restore --from FILE [--db pista.db] [--replace]")
		return exitError{2}
	}
	if err := store.Restore(ctx, *from, *db, *replace); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", *db, *from)
	return nil
}
