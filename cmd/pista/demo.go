package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/pistahq/pista/internal/demo/play"
	"github.com/pistahq/pista/internal/store"
)

// cmdDemo fills a database with months of realistic, reproducible
// inquiries, events and BANT calls, and plays the sales team's work on
// them day by day up to now, so a newcomer sees a living system.
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	cfg.definitionFlag(fs, getenv)
	leads := fs.Int("leads", 3000, "how many people to generate")
	seed := fs.Uint64("seed", 1, "the same seed gives the same data")
	months := fs.Int("months", 4, "spread the activity over this many months before now")
	until := fs.String("until", "", "play up to this moment instead of now, e.g. 2026-12-07T12:00:00Z: the same seed and moment give the same data on any day")
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	if *months < 1 || *leads < 1 {
		fmt.Fprintln(stderr, "pista demo: --months and --leads must be at least 1")
		return exitError{2}
	}
	// The months are laid out from today's date (UTC), so that two runs
	// on the same day give the same data, and the play stops at the real
	// now; with --until, from its date, up to it.
	real := time.Now().UTC()
	if *until != "" {
		t, err := time.Parse(time.RFC3339, *until)
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "pista demo: --until %q: want a moment such as 2026-12-07T12:00:00Z\n", *until)
			return exitError{2}
		case t.After(real):
			fmt.Fprintf(stderr, "pista demo: --until %q is in the future: the demo plays what has happened\n", *until)
			return exitError{2}
		}
		real = t.UTC()
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	day := real.Truncate(24 * time.Hour)
	start := day.AddDate(0, -*months, 0)
	var sim atomic.Int64
	sim.Store(start.UnixNano())
	cfg.now = func() time.Time { return time.Unix(0, sim.Load()).UTC() }
	db, svc, err := openService(ctx, cfg, log, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	defer svc.Close()
	people, teams, err := play.Staff(ctx, svc, start)
	if err != nil {
		return err
	}
	if err := play.Forms(ctx, svc); err != nil {
		return err
	}
	began := time.Now()
	sum, err := play.Run(ctx, play.Config{Intake: svc, Now: cfg.now, Set: func(t time.Time) { sim.Store(t.UnixNano()) },
		Seed: *seed, Leads: *leads, Start: start, End: day.Add(24 * time.Hour), Until: real, Log: log})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(stdout, "Loaded %d inquiries, %d events and %d BANT calls (%d inquiries refused as invalid);\n",
		sum.Inquiries, sum.Events, sum.BDRCalls+sum.RepCalls, sum.Invalid)
	to := "now"
	if *until != "" {
		to = real.Format("2006-01-02 15:04 UTC")
	}
	fmt.Fprintf(stdout, "%d salespeople in %d teams worked them from %s to %s, played in %s.\n",
		people, teams, start.Format("2006-01-02"), to, time.Since(began).Round(time.Millisecond))
	if err := printStages(ctx, stdout, db); err != nil {
		return err
	}
	sum.Print(stdout)
	return demoSignIns(ctx, db, svc, defaultAddr, time.Now(), stdout)
}

func printStages(ctx context.Context, w io.Writer, db *store.DB) error {
	counts, err := db.CountByStage(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Leads by stage:")
	for _, c := range counts {
		fmt.Fprintf(w, "  %-13s %6d\n", c.Stage, c.Count)
	}
	return nil
}
