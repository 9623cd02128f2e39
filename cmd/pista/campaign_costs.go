package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pistahq/pista/internal/report"
)

// cmdCampaignCosts imports campaign costs from a CSV file: all of them, or
// none when a line is bad (each bad line is named).
func cmdCampaignCosts(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprintln(stderr, "usage: pista campaign-costs import [--db ...] FILE.csv   (columns campaign, month, amount, currency)")
		return exitError{2}
	}
	fs := flag.NewFlagSet("campaign-costs import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	if err := fs.Parse(args[1:]); err != nil {
		return exitError{2}
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: pista campaign-costs import [--db ...] FILE.csv   (columns campaign, month, amount, currency)")
		return exitError{2}
	}
	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	costs, bad, err := report.ParseCampaignCosts(f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(bad) > 0 {
		for _, b := range bad {
			fmt.Fprintf(stderr, "%s:%v\n", name, b.Error()[len("line "):])
		}
		fmt.Fprintf(stderr, "%d bad lines: nothing imported; fix them and run the command again.\n", len(bad))
		return exitError{1}
	}
	db, err := openDB(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now()
	for i := range costs {
		costs[i].UpdatedAt = now
	}
	if err := db.PutCampaignCosts(ctx, costs); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d campaign costs imported into %s (a cost already entered for a campaign and month is replaced).\n", len(costs), dbName(cfg.db))
	return nil
}
