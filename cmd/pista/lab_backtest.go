package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/lab"
)

// dbGiven reports whether --db was set on the command line.
func dbGiven(fs *flag.FlagSet) bool {
	given := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "db" {
			given = true
		}
	})
	return given
}

// cmdLabBacktest proves a definition (and compares it with another) on a
// file of leads with their outcomes.
func cmdLabBacktest(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("lab backtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	fromFlag := fs.String("from", "", "with --db: leads whose first inquiry is on or after this date (2026-01-01)")
	toFlag := fs.String("to", "", "with --db: ... and before this date; default: now")
	var ff fileFlags
	ff.register(fs)
	var sf splitFlags
	sf.register(fs)
	defPath := fs.String("definition", "", "the candidate definition (YAML)")
	against := fs.String("against", "", "the active definition to compare with (YAML)")
	dataPath := fs.String("data", "", "CSV or XLSX with one row per lead and its outcome")
	outcome := fs.String("outcome", "", "the column that says whether the lead converted")
	positive := fs.String("positive", "", "the outcome value that means converted (default: yes/true/1/won/converted)")
	nowFlag := fs.String("now", "", "decision moment for rows without a date (RFC 3339); default: now")
	capacity := fs.Int("capacity", 0, "leads sales can work a week (with --weeks or --time-column), else leads of the file")
	weeks := fs.Float64("weeks", 0, "weeks the file covers, to turn --capacity into a share")
	target := fs.Float64("target-precision", 0, "find the threshold whose leads convert at least this share, e.g. 0.3")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	useDB := *dataPath == "" && (*fromFlag != "" || *toFlag != "" || dbGiven(fs))
	if *defPath == "" || *outcome == "" || (*dataPath == "" && !useDB) {
		fmt.Fprint(stderr, "pista lab backtest: --definition, --outcome and --data FILE (or --db with --from/--to) are required\n\n"+labUsage)
		return exitError{2}
	}
	cand, now, err := loadDefAndNow(*defPath, *nowFlag, stderr)
	if err != nil {
		return err
	}
	var act *definition.Definition
	if *against != "" {
		if act, _, err = loadDefAndNow(*against, *nowFlag, stderr); err != nil {
			return err
		}
	}
	o, err := ff.options()
	if err != nil {
		return err
	}
	sp, err := sf.split()
	if err != nil {
		return err
	}
	if *target < 0 || *target > 1 {
		return fmt.Errorf("--target-precision %v: want a share from 0 to 1, like 0.3", *target)
	}
	bc := lab.BacktestConfig{Data: *dataPath, Import: o, Outcome: *outcome, Positive: *positive,
		Candidate: cand, Against: act, Split: sp, Now: now, Capacity: *capacity, Weeks: *weeks, TargetPrecision: *target}
	var rep *lab.BacktestReport
	if useDB {
		var from, to time.Time
		if *fromFlag != "" {
			if from, err = lab.ParseDate(*fromFlag); err != nil {
				return fmt.Errorf("--from: %w", err)
			}
		}
		if *toFlag != "" {
			if to, err = lab.ParseDate(*toFlag); err != nil {
				return fmt.Errorf("--to: %w", err)
			}
		}
		db, err := openDB(ctx, cfg.db)
		if err != nil {
			return err
		}
		defer db.Close()
		rep, err = lab.BacktestDB(ctx, db, from, to, bc)
		if err != nil {
			return err
		}
	} else if rep, err = lab.Backtest(bc); err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	lab.WriteBacktestReport(stdout, rep)
	return nil
}
