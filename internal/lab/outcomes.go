package lab

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
)

// OutcomeImport says how to read a file of outcomes: which column finds
// the lead (by Pista's lead id, its external id or its e-mail), which holds
// the outcome, and optionally its date and amount.
type OutcomeImport struct {
	Data          string
	Import        importer.Options
	Limits        *importer.Limits // an upload's limits; nil for a local file
	Key           string           // id, external_id or email
	KeyColumn     string
	OutcomeColumn string
	Positive      string // for a yes/no column in other words
	DateColumn    string
	AmountColumn  string
	Now           time.Time
}

// OutcomeStats counts what an outcome import did. Errors name the row.
type OutcomeStats struct {
	Rows      int      `json:"rows"`
	Added     int      `json:"added"`
	Unchanged int      `json:"unchanged"` // already imported
	Negative  int      `json:"negative"`  // "no": nothing to store
	Unmatched int      `json:"unmatched"` // no lead with that key
	Invalid   int      `json:"invalid"`
	Errors    []string `json:"errors,omitempty"` // the first 20
}

// namedOutcomes are stored under their own name; any other yes is stored
// under the column's name (converted, subscribed, ...).
var namedOutcomes = map[string]bool{"won": true, "lost": true, "opportunity": true}

// ImportOutcomes reads outcomes from a CSV or XLSX and stores them for
// the leads they name. Importing the same file again adds nothing.
func ImportOutcomes(ctx context.Context, db *store.DB, cfg OutcomeImport) (*OutcomeStats, error) {
	switch cfg.Key {
	case "id", "email", "external_id":
	default:
		return nil, fmt.Errorf("--by %q: want id, external_id or email", cfg.Key)
	}
	r, err := OpenLimited(cfg.Data, cfg.Import, cfg.Limits, "")
	if err != nil {
		return nil, err
	}
	defer r.Close()
	col := func(flag, name string, required bool) (int, error) {
		if name == "" && !required {
			return -1, nil
		}
		i := r.Column(name)
		if i < 0 {
			return -1, fmt.Errorf("%s %q: no such column; the columns are %s", flag, name, strings.Join(r.Header(), ", "))
		}
		return i, nil
	}
	keyCol, err := col("--key-column", cfg.KeyColumn, true)
	if err != nil {
		return nil, err
	}
	outCol, err := col("--outcome-column", cfg.OutcomeColumn, true)
	if err != nil {
		return nil, err
	}
	dateCol, err := col("--date-column", cfg.DateColumn, false)
	if err != nil {
		return nil, err
	}
	amountCol, err := col("--amount-column", cfg.AmountColumn, false)
	if err != nil {
		return nil, err
	}
	yesName := strings.ToLower(strings.TrimSpace(r.Header()[outCol]))
	source := cfg.Data[strings.LastIndexAny(cfg.Data, `/\`)+1:]
	st := &OutcomeStats{}
	bad := func(rec *Record, format string, args ...any) {
		st.Invalid++
		if len(st.Errors) < 20 {
			st.Errors = append(st.Errors, fmt.Sprintf("row %d (line %d): %s", rec.Row, rec.Line, fmt.Sprintf(format, args...)))
		}
	}
	var pending []store.LabOutcome
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		added, err := db.InsertLabOutcomes(ctx, pending, cfg.Now)
		st.Added += added
		st.Unchanged += len(pending) - added
		pending = pending[:0]
		return err
	}
	err = r.Each(func(rec *Record) error {
		st.Rows++
		if rec.Err != nil {
			bad(rec, "%v", rec.Err)
			return nil
		}
		cellOut := strings.ToLower(strings.TrimSpace(cell(rec.Values, outCol)))
		name := cellOut
		if !namedOutcomes[cellOut] {
			yes, ok, err := Outcome(cellOut, cfg.Positive)
			switch {
			case err != nil:
				bad(rec, "%s: %v", cfg.OutcomeColumn, err)
				return nil
			case !ok:
				bad(rec, "%s is empty", cfg.OutcomeColumn)
				return nil
			case !yes:
				st.Negative++
				return nil
			}
			name = yesName
		}
		key := strings.TrimSpace(cell(rec.Values, keyCol))
		if cfg.Key == "email" {
			key = strings.ToLower(key)
		}
		if key == "" {
			bad(rec, "%s is empty", cfg.KeyColumn)
			return nil
		}
		o := store.LabOutcome{Outcome: name, Source: source}
		if dateCol >= 0 {
			if v := strings.TrimSpace(cell(rec.Values, dateCol)); v != "" {
				t, err := ParseDate(v)
				if err != nil {
					bad(rec, "%s: %v", cfg.DateColumn, err)
					return nil
				}
				o.At = t
			}
		}
		if amountCol >= 0 {
			if v := strings.TrimSpace(cell(rec.Values, amountCol)); v != "" {
				m, err := lead.ParseMoney(v)
				if err != nil {
					bad(rec, "%s: %v", cfg.AmountColumn, err)
					return nil
				}
				o.Amount, o.Currency = m.Amount, m.Currency
			}
		}
		id, err := db.LeadIDBy(ctx, cfg.Key, key)
		if err != nil {
			return err
		}
		if id == 0 {
			st.Unmatched++
			if len(st.Errors) < 20 {
				st.Errors = append(st.Errors, fmt.Sprintf("row %d (line %d): no lead with %s %q", rec.Row, rec.Line, cfg.Key, key))
			}
			return nil
		}
		o.LeadID = id
		pending = append(pending, o)
		if len(pending) == 500 {
			return flush()
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	return st, flush()
}
