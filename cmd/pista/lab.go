package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/lab"
)

const labUsage = `usage:
  pista lab learn --data FILE --outcome COLUMN [--positive VALUE] [--drop COL,...] [--allow-leak COL,...]
                  [--base DEF.yaml] [--seed N] [--holdout 0.3 | --time-column COL --split-at DATE] --out LEARNED.yaml
  pista lab backtest --definition CANDIDATE.yaml [--against ACTIVE.yaml] --data FILE --outcome COLUMN
                  [--positive VALUE] [--seed N] [--holdout 0.3 | --time-column COL --split-at DATE]
                  [--capacity N [--weeks W]] [--target-precision P] [--json]
  pista lab backtest --definition CANDIDATE.yaml [--against ACTIVE.yaml] --db pista.db|postgres://...
                  --outcome sal|sql|opportunity|won|IMPORTED [--from DATE] [--to DATE] [...]
  pista lab outcomes [--db ...] --by id|external_id|email --key-column COL --outcome-column COL
                  [--date-column COL] [--amount-column COL] FILE
All read the file like pista import (--mapping, --map, --delimiter, ...).
`

// cmdLab runs the definition lab's commands.
func cmdLab(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, labUsage)
		return exitError{2}
	}
	switch args[0] {
	case "learn":
		return cmdLabLearn(args[1:], stdout, stderr)
	case "backtest":
		return cmdLabBacktest(ctx, args[1:], stdout, stderr, getenv)
	case "outcomes":
		return cmdLabOutcomes(ctx, args[1:], stdout, stderr, getenv)
	}
	fmt.Fprintf(stderr, "pista lab: unknown command %q\n\n%s", args[0], labUsage)
	return exitError{2}
}

// splitFlags are the held-out rows' options, shared by learn and backtest
// so that both hold out the same rows.
type splitFlags struct {
	seed    *uint64
	holdout *float64
	timeCol *string
	at      *string
}

func (s *splitFlags) register(fs *flag.FlagSet) {
	s.seed = fs.Uint64("seed", 1, "seed of the random split and the cross-validation folds (same seed, same result)")
	s.holdout = fs.Float64("holdout", 0, "share of rows held out at random for testing, e.g. 0.3")
	s.timeCol = fs.String("time-column", "", "column with each row's date (2009-05-31): split by time instead")
	s.at = fs.String("split-at", "", "with --time-column: learn on rows before this date, test on the rest")
}

func (s *splitFlags) split() (lab.Split, error) {
	sp := lab.Split{Seed: *s.seed, Holdout: *s.holdout, TimeColumn: *s.timeCol}
	if sp.Holdout < 0 || sp.Holdout >= 1 {
		return sp, fmt.Errorf("--holdout %v: want a share from 0 to below 1, like 0.3", sp.Holdout)
	}
	if (*s.timeCol == "") != (*s.at == "") {
		return sp, fmt.Errorf("--time-column and --split-at go together")
	}
	if *s.at != "" {
		if sp.Holdout > 0 {
			return sp, fmt.Errorf("--holdout and --split-at: choose a random or a time split")
		}
		t, err := lab.ParseDate(*s.at)
		if err != nil {
			return sp, fmt.Errorf("--split-at: %w", err)
		}
		sp.At = t
	}
	return sp, nil
}

func list(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func cmdLabLearn(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lab learn", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ff fileFlags
	ff.register(fs)
	var sf splitFlags
	sf.register(fs)
	dataPath := fs.String("data", "", "CSV or XLSX with one row per lead and its outcome")
	outcome := fs.String("outcome", "", "the column that says whether the lead converted")
	positive := fs.String("positive", "", "the outcome value that means converted (default: yes/true/1/won/converted)")
	drop := fs.String("drop", "", "columns to leave out, comma-separated")
	allow := fs.String("allow-leak", "", "columns flagged as leaking the outcome to keep anyway, comma-separated")
	basePath := fs.String("base", "", "a definition whose other sections (inquiry, quality, lead, routing, SLA) the learned one keeps")
	out := fs.String("out", "", "where to write the learned definition (YAML)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	if *dataPath == "" || *outcome == "" || *out == "" {
		fmt.Fprint(stderr, "pista lab learn: --data, --outcome and --out are required\n\n"+labUsage)
		return exitError{2}
	}
	o, err := ff.options()
	if err != nil {
		return err
	}
	sp, err := sf.split()
	if err != nil {
		return err
	}
	cfg := lab.LearnConfig{Data: *dataPath, Import: o, Outcome: *outcome, Positive: *positive, Drop: list(*drop),
		AllowLeak: list(*allow), Split: sp, Seed: *sf.seed, Now: time.Now().UTC()}
	if *basePath != "" {
		if cfg.Base, err = os.ReadFile(*basePath); err != nil {
			return err
		}
		cfg.BaseName = *basePath
	}
	learned, err := lab.Learn(cfg)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, learned.YAML, 0o644); err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(learned.Report)
	}
	lab.WriteLearnReport(stdout, &learned.Report)
	fmt.Fprintf(stdout, "\nWrote %s (%d rules). Check it with: pista check %s\n", *out, learned.Report.Rules, *out)
	return nil
}
