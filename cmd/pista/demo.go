package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pistahq/pista/internal/demo"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
)

// cmdDemo fills a database with realistic, reproducible inquiries, events
// and BANT calls over the last months, so a newcomer sees a living system.
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	cfg.definitionFlag(fs, getenv)
	leads := fs.Int("leads", 3000, "how many people to generate")
	seed := fs.Uint64("seed", 1, "the same seed gives the same data")
	months := fs.Int("months", 6, "spread the activity over this many months before now")
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	// The demo's history ends two weeks ago; the sales team's days that
	// follow (touches, breaches, escalations, deals) are over by now, and
	// the newest BANT calls come in now, so their clocks are running.
	var shift atomic.Int64
	shift.Store(int64(demoShift))
	cfg.now = func() time.Time { return time.Now().Add(-time.Duration(shift.Load())) }
	db, svc, err := openService(ctx, cfg, log, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	defer svc.Close()
	end := cfg.now().UTC().Truncate(time.Hour)
	people, teams, err := ensureSalesOrg(ctx, db, svc, end)
	if err != nil {
		return err
	}
	plans := &salesPlans{}
	fresh := end.AddDate(0, 0, -freshDays)
	items := make(chan demo.Item, 256)
	go func() {
		defer close(items)
		demo.Generate(demo.Config{Seed: *seed, Start: end.AddDate(0, -*months, 0), End: end, Leads: *leads}, func(it demo.Item) bool {
			select {
			case items <- it:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	var inquiries, events, calls, rejected atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range items {
				if err := loadItem(ctx, svc, it, plans, fresh, &inquiries, &events, &calls, &rejected); err != nil {
					errOnce.Do(func() { firstErr = err })
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err := svc.EvaluatePending(ctx); err != nil {
		return err
	}
	loaded := time.Since(start)
	start = time.Now()
	sales, err := playSales(ctx, svc, db, plans, cfg.now, func() { shift.Store(0) }, log)
	if err != nil {
		return fmt.Errorf("demo sales: %w", err)
	}
	fmt.Fprintf(stdout, "Loaded %d inquiries, %d events and %d BANT calls in %s (%d inquiries refused as invalid).\n",
		inquiries.Load(), events.Load(), calls.Load()+int64(sales.freshCalls), loaded.Round(time.Millisecond), rejected.Load())
	fmt.Fprintf(stdout, "%d salespeople in %d teams worked the routed leads in %s.\n", people, teams, time.Since(start).Round(time.Millisecond))
	if err := printStages(ctx, stdout, db); err != nil {
		return err
	}
	sales.print(stdout)
	return demoSignIns(ctx, db, svc, defaultAddr, time.Now(), stdout)
}

// demoShift is how far in the past the demo's history ends.
const demoShift = 14 * 24 * time.Hour

// freshDays: BANT calls of the last days are made after sales has worked
// the older leads, so that some first-touch clocks are still running.
const freshDays = 5

func loadItem(ctx context.Context, svc *intake.Service, it demo.Item, plans *salesPlans, fresh time.Time, inquiries, events, calls, rejected *atomic.Int64) error {
	var leadID int64
	for _, a := range it.Lead.Actions {
		in := intake.Inquiry{Person: it.Lead.Person, Company: it.Lead.Company, Source: it.Lead.Source, Action: a}
		ans, err := svc.Submit(ctx, in, nil)
		if err != nil {
			rejected.Add(1)
			continue
		}
		inquiries.Add(1)
		leadID = ans.Result.LeadID
	}
	if leadID == 0 {
		return nil
	}
	plans.add(leadID, &it)
	if len(it.Events) > 0 {
		batch := make([]intake.EventIn, len(it.Events))
		for i, e := range it.Events {
			batch[i] = intake.EventIn{LeadID: leadID, Type: e.Type, At: e.At, Props: e.Props}
		}
		if _, err := svc.AddEvents(ctx, batch, nil); err != nil {
			return fmt.Errorf("demo events: %w", err)
		}
		events.Add(int64(len(batch)))
	}
	if q := it.Qualification; q != nil && !q.At.Before(fresh) {
		plans.defer_(leadID, &it)
	} else if q != nil {
		if _, err := svc.Qualify(ctx, leadID, *q, nil); err == nil {
			calls.Add(1)
		}
	}
	return nil
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
