package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CeilingColumns are the leads columns the storage ceiling writes: every
// column InsertLeads writes but the ID (the table assigns it), the company
// (the ceiling writes no companies) and merged_into (never set on a new
// lead). A test fails when InsertLeads writes a column not listed here.
var CeilingColumns = []string{"email", "phone", "data", "qualification", "evaluation", "stage", "band", "action",
	"team", "quality", "score", "country", "source_format", "owner", "search", "definition_id", "external_id",
	"created_at", "updated_at"}

// CeilingRows reads up to limit leads, oldest first, as Ceiling inserts
// them again: the rows Pista stored, to measure what the database takes of
// the same rows without Pista.
func (db *DB) CeilingRows(ctx context.Context, limit int) ([][]any, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+strings.Join(CeilingColumns, ", ")+` FROM leads ORDER BY id LIMIT ?`), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		row := make([]any, len(CeilingColumns))
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// CeilingRun is what a Ceiling run wrote.
type CeilingRun struct {
	Rows    int
	Elapsed time.Duration
}

// PerS is rows per second.
func (r CeilingRun) PerS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Rows) / r.Elapsed.Seconds()
}

// Ceiling is the storage ceiling intake is measured against: it inserts
// rows (from CeilingRows) into this database's leads table, perTx rows per
// durable transaction, with one prepared single-row INSERT, as a plain
// program would. Run it on a freshly migrated database opened with Open:
// the table, its indexes, the pragmas, the writer's connection and the
// copying of the write-ahead log are then Pista's own, so the ceiling
// follows the schema. It stops after total rows, or when d has passed if
// total is 0; when the rows run out they are sent again with the e-mail
// and external ID made unique.
func (db *DB) Ceiling(ctx context.Context, rows [][]any, perTx int, d time.Duration, total int) (CeilingRun, error) {
	if len(rows) == 0 || perTx < 1 {
		return CeilingRun{}, errors.New("ceiling: no rows to insert")
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(CeilingColumns)), ", ")
	query := `INSERT INTO leads (` + strings.Join(CeilingColumns, ", ") + `) VALUES (` + marks + `)`
	email, ext := ceilingColumn("email"), ceilingColumn("external_id")
	w := db.Writer()
	defer w.Close()
	next, pass, n := 0, 0, 0
	start := time.Now()
	done := func() bool {
		if total > 0 {
			return n >= total
		}
		return time.Since(start) >= d
	}
	args := make([]any, len(CeilingColumns))
	for !done() && ctx.Err() == nil {
		err := w.InTx(ctx, func(tx *Tx) error {
			for range perTx {
				if next == len(rows) {
					next, pass = 0, pass+1
				}
				copy(args, rows[next])
				next++
				if pass > 0 {
					args[email], args[ext] = UniqueCopy(args[email], pass), UniqueCopy(args[ext], pass)
				}
				if _, err := tx.exec(ctx, query, args...); err != nil {
					return err
				}
				// New leads, which enter the trigram index at commit as
				// Pista's do (indexNewLeads): the index is one of the
				// table's.
				tx.newLeads++
			}
			return nil
		})
		if err != nil {
			return CeilingRun{}, fmt.Errorf("ceiling insert: %w", err)
		}
		n += perTx
	}
	return CeilingRun{Rows: n, Elapsed: time.Since(start)}, nil
}

func ceilingColumn(name string) int {
	for i, c := range CeilingColumns {
		if c == name {
			return i
		}
	}
	panic("ceiling: no column " + name)
}

// UniqueCopy makes a copied e-mail or external ID differ from the pass
// before; NULL stays NULL.
func UniqueCopy(v any, pass int) any {
	switch s := v.(type) {
	case string:
		return strconv.Itoa(pass) + "." + s
	case []byte:
		return strconv.Itoa(pass) + "." + string(s)
	}
	return v
}
