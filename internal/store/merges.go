package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// Merge records that one lead was merged into another, with what is needed
// to undo it.
type Merge struct {
	ID       int64           `json:"id"`
	KeptID   int64           `json:"kept_id"`
	MergedID int64           `json:"merged_id"`
	At       time.Time       `json:"at"`
	Reason   string          `json:"reason"`
	Data     json.RawMessage `json:"data"`
	UndoneAt *time.Time      `json:"undone_at,omitempty"`
}

// InsertMerge records a merge. With an ID reserved by ReserveMergeIDs,
// the merge is held and written with the transaction's next statement on
// PostgreSQL, with its other buffered rows on SQLite (see flush).
func (tx *Tx) InsertMerge(ctx context.Context, m *Merge) error {
	if len(tx.mergeIDs) > 0 {
		m.ID, tx.mergeIDs = tx.mergeIDs[0], tx.mergeIDs[1:]
		tx.merges = append(tx.merges, m.KeptID, m.MergedID, millis(m.At), m.Reason, string(m.Data), m.ID)
		return nil
	}
	// SQLite gives the row the ID after the highest written: the held
	// merges' IDs must be taken first.
	if err := tx.writeHeldMerges(ctx); err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO merges (kept_id, merged_id, at, reason, data) VALUES (?, ?, ?, ?, ?)`,
		m.KeptID, m.MergedID, millis(m.At), m.Reason, string(m.Data))
	m.ID = id
	return err
}

// mergeRows are the columns a held merge is written with.
var mergeRows = manyRows{head: `INSERT INTO merges (kept_id, merged_id, at, reason, data, id)`,
	types: []string{"int8", "int8", "int8", "text", "text", "int8"}}

// ReserveMergeIDs takes n IDs for the transaction's next merges, which
// are then held and written together instead of one statement each (on
// PostgreSQL, a round trip each): a known person's inquiry records a
// merge. PostgreSQL takes the IDs from the merges' sequence; SQLite, which
// has one writer at a time, after the highest written or reserved in the
// transaction. IDs left unused are skipped.
func (tx *Tx) ReserveMergeIDs(ctx context.Context, n int) error {
	if n <= 0 {
		return nil
	}
	if tx.db.dialect == Postgres {
		ids, err := tx.nextIDs(ctx, "merges", n)
		tx.mergeIDs = append(tx.mergeIDs, ids...)
		return err
	}
	var last sql.NullInt64
	if err := tx.row(ctx, `SELECT max(id) FROM merges`).Scan(&last); err != nil {
		return err
	}
	from := max(last.Int64, tx.lastMergeID) + 1
	for i := range int64(n) {
		tx.mergeIDs = append(tx.mergeIDs, from+i)
	}
	tx.lastMergeID = from + int64(n) - 1
	return nil
}

// writeHeldMerges writes the merges held on SQLite before a statement
// that reads merges or gives one an ID. (On PostgreSQL every statement
// writes them first: see Tx.exec.)
func (tx *Tx) writeHeldMerges(ctx context.Context) error {
	if tx.db.dialect == Postgres || len(tx.merges) == 0 {
		return nil
	}
	held := tx.merges
	tx.merges = nil
	return tx.insertMany(ctx, mergeRows, held)
}

// Merge loads a merge.
func (tx *Tx) Merge(ctx context.Context, id int64) (*Merge, error) {
	if err := tx.writeHeldMerges(ctx); err != nil {
		return nil, err
	}
	var (
		m      Merge
		at     int64
		data   string
		undone sql.NullInt64
	)
	err := tx.row(ctx, `SELECT id, kept_id, merged_id, at, reason, data, undone_at FROM merges WHERE id = ?`, id).
		Scan(&m.ID, &m.KeptID, &m.MergedID, &at, &m.Reason, &data, &undone)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	m.At, m.Data = fromMillis(at), json.RawMessage(data)
	if undone.Valid {
		t := fromMillis(undone.Int64)
		m.UndoneAt = &t
	}
	return &m, nil
}

// MergesOf lists the merges into a lead, oldest first.
func (tx *Tx) MergesOf(ctx context.Context, keptID int64) ([]*Merge, error) {
	if err := tx.writeHeldMerges(ctx); err != nil {
		return nil, err
	}
	ids, err := column[int64](tx.rows(ctx, `SELECT id FROM merges WHERE kept_id = ? ORDER BY id`, keptID))
	if err != nil {
		return nil, err
	}
	out := make([]*Merge, 0, len(ids))
	for _, id := range ids {
		m, err := tx.Merge(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// MarkMergeUndone records that a merge was undone.
func (tx *Tx) MarkMergeUndone(ctx context.Context, id int64, at time.Time) error {
	if err := tx.writeHeldMerges(ctx); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `UPDATE merges SET undone_at = ? WHERE id = ?`, millis(at), id)
	return err
}
