package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/pistahq/pista/internal/lab"
)

// cmdLabOutcomes imports outcomes (won, lost, opportunity, or a yes/no
// column such as converted) for the leads of a database, keyed by lead
// id, external id or e-mail, so that backtests with --db can use them.
func cmdLabOutcomes(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("lab outcomes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	var ff fileFlags
	ff.register(fs)
	var oi lab.OutcomeImport
	fs.StringVar(&oi.Key, "by", "email", "what the key column holds: id (Pista's lead id), external_id or email")
	fs.StringVar(&oi.KeyColumn, "key-column", "", "the column that names the lead")
	fs.StringVar(&oi.OutcomeColumn, "outcome-column", "", "the column with the outcome: won, lost, opportunity, or yes/no (converted)")
	fs.StringVar(&oi.Positive, "positive", "", "the outcome value that means yes, for other words")
	fs.StringVar(&oi.DateColumn, "date-column", "", "the column with the outcome's date (2026-04-01)")
	fs.StringVar(&oi.AmountColumn, "amount-column", "", "the column with the amount (1200 EUR)")
	asJSON := fs.Bool("json", false, "print the counts as JSON")
	if err := fs.Parse(args); err != nil {
		return exitError{2}
	}
	if fs.NArg() != 1 || oi.KeyColumn == "" || oi.OutcomeColumn == "" {
		fmt.Fprint(stderr, "usage: pista lab outcomes [--db ...] --by id|external_id|email --key-column COL --outcome-column COL [--date-column COL] [--amount-column COL] FILE\n")
		return exitError{2}
	}
	o, err := ff.options()
	if err != nil {
		return err
	}
	oi.Data, oi.Import, oi.Now = fs.Arg(0), o, time.Now()
	db, err := openDB(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := lab.ImportOutcomes(ctx, db, oi)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(st)
	}
	fmt.Fprintf(stdout, "%d rows: %d outcomes added, %d already there, %d no, %d without a lead, %d invalid\n",
		st.Rows, st.Added, st.Unchanged, st.Negative, st.Unmatched, st.Invalid)
	for _, e := range st.Errors {
		fmt.Fprintln(stdout, "  "+e)
	}
	return nil
}
