package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// LabOutcome is one imported outcome of a lead (lab_outcomes).
type LabOutcome struct {
	LeadID   int64
	Outcome  string // won, lost, opportunity, converted, ... (lower case)
	At       time.Time
	Amount   float64
	Currency string
	Source   string // the file it came from
}

// LeadIDBy finds a live lead's ID by "id", "email" or "external_id"; 0
// when there is none.
func (db *DB) LeadIDBy(ctx context.Context, by, value string) (int64, error) {
	var row *sql.Row
	switch by {
	case "id":
		id, err := strconv.ParseInt(value, 10, 64)
		if err != nil || id <= 0 {
			return 0, nil
		}
		row = db.sql.QueryRowContext(ctx, db.q(`SELECT id FROM leads WHERE id = ? AND merged_into IS NULL`), id)
	case "email", "external_id":
		row = db.sql.QueryRowContext(ctx, db.q(`SELECT id FROM leads WHERE `+findLead[by]), value)
	default:
		return 0, fmt.Errorf("no lead is found by %q", by)
	}
	var id int64
	if err := row.Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	return id, nil
}

// InsertLabOutcomes stores outcomes; one already stored (same lead,
// outcome and date) is left as it is. It returns how many were new.
func (db *DB) InsertLabOutcomes(ctx context.Context, outs []LabOutcome, now time.Time) (int, error) {
	added := 0
	err := db.InTx(ctx, func(tx *Tx) error {
		for _, o := range outs {
			at := int64(0) // date unknown
			if !o.At.IsZero() {
				at = millis(o.At)
			}
			res, err := tx.exec(ctx, `INSERT INTO lab_outcomes (lead_id, outcome, at, amount, currency, source, created_at)
				VALUES (?,?,?,?,?,?,?) ON CONFLICT (lead_id, outcome, at) DO NOTHING`,
				o.LeadID, o.Outcome, at, o.Amount, o.Currency, o.Source, millis(now))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added++
			}
		}
		return nil
	})
	return added, err
}
