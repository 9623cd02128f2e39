package store

import (
	"context"
	"fmt"
	"time"
)

// ImportedRow is the stored answer of an imported row. It is kept under
// the lead the row went to (new or merged into), not in a table of its
// own keyed by the row: a new lead's rows are then appended at the end of
// the index instead of at a random place, which on a large import is a
// page written per row saved. A row can only have been imported before if
// its person is known, so the rows of the known leads are all a new
// import needs to look at.
type ImportedRow struct {
	LeadID int64
	Status int
	Body   []byte
}

// PutImportedRow records an imported row's answer with the rest of the
// transaction (written at commit, with one statement per hundred rows).
func (tx *Tx) PutImportedRow(leadID int64, key string, r *ImportedRow, at time.Time) error {
	if _, dup := tx.imported[key]; dup {
		return fmt.Errorf("imported row %q stored twice in one transaction", key)
	}
	if tx.imported == nil {
		tx.imported = map[string]*ImportedRow{}
	}
	r.LeadID = leadID
	tx.imported[key] = r
	tx.importedRows = append(tx.importedRows, leadID, key, r.Status, r.Body, millis(at))
	return nil
}

// ImportedInTx finds a row imported earlier in this transaction.
func (tx *Tx) ImportedInTx(key string) *ImportedRow { return tx.imported[key] }

// ImportedRows returns the rows imported into the given leads, by key;
// rows imported earlier in this transaction are included whatever their
// lead.
func (tx *Tx) ImportedRows(ctx context.Context, leadIDs []int64) (map[string]*ImportedRow, error) {
	out := make(map[string]*ImportedRow, len(tx.imported))
	for k, r := range tx.imported {
		out[k] = r
	}
	err := tx.inIDs(leadIDs, func(cond string, args []any) error {
		rows, err := tx.rows(ctx, `SELECT lead_id, key, status, body FROM import_rows WHERE lead_id `+cond, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				k string
				r ImportedRow
			)
			if err := rows.Scan(&r.LeadID, &k, &r.Status, &r.Body); err != nil {
				return err
			}
			out[k] = &r
		}
		return rows.Err()
	})
	return out, err
}
