package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

// TimelineEntry is one thing that happened to a lead: an action, a merge,
// an evaluation, a stage change, a qualification.
type TimelineEntry struct {
	ID   int64           `json:"id"`
	At   time.Time       `json:"at"`
	Kind string          `json:"kind"`
	Data json.RawMessage `json:"data"`
}

// AddTimeline appends to a lead's timeline (written at commit).
func (tx *Tx) AddTimeline(ctx context.Context, leadID int64, at time.Time, kind string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	tx.AddTimelineJSON(leadID, at, kind, b)
	return nil
}

// AddTimelineJSON is AddTimeline for an entry already encoded as JSON.
func (tx *Tx) AddTimelineJSON(leadID int64, at time.Time, kind string, data []byte) {
	tx.timeline = append(tx.timeline, leadID, millis(at), kind, string(data))
}

// Timeline returns a lead's timeline, oldest first (at most limit entries,
// the latest).
func (db *DB) Timeline(ctx context.Context, leadID int64, limit int) ([]TimelineEntry, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT id, at, kind, data FROM timeline WHERE lead_id = ? ORDER BY id DESC LIMIT ?`), leadID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TimelineEntry
	for rows.Next() {
		var (
			e    TimelineEntry
			at   int64
			data string
		)
		if err := rows.Scan(&e.ID, &at, &e.Kind, &data); err != nil {
			return nil, err
		}
		e.At, e.Data = fromMillis(at), json.RawMessage(data)
		out = append(out, e)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, rows.Err()
}

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

// InsertMerge records a merge.
func (tx *Tx) InsertMerge(ctx context.Context, m *Merge) error {
	id, err := tx.insert(ctx, `INSERT INTO merges (kept_id, merged_id, at, reason, data) VALUES (?, ?, ?, ?, ?)`,
		m.KeptID, m.MergedID, millis(m.At), m.Reason, string(m.Data))
	m.ID = id
	return err
}

// Merge loads a merge.
func (tx *Tx) Merge(ctx context.Context, id int64) (*Merge, error) {
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
	_, err := tx.exec(ctx, `UPDATE merges SET undone_at = ? WHERE id = ?`, millis(at), id)
	return err
}

// InsertQualification records BANT answers for a lead.
func (tx *Tx) InsertQualification(ctx context.Context, leadID int64, q *lead.Qualification) error {
	b, err := json.Marshal(q)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO qualifications (lead_id, data, by_whom, at) VALUES (?, ?, ?, ?)`, leadID, string(b), q.By, millis(q.At))
	return err
}

// Idempotent is a stored response to a request with an Idempotency-Key.
type Idempotent struct {
	Fingerprint string
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// Idempotent finds the stored response for a token's key.
// IdempotentInTx is the answer stored under a key earlier in this
// transaction, or nil.
func (tx *Tx) IdempotentInTx(tokenID int64, key string) *Idempotent {
	return tx.idem[idemKey{tokenID, key}]
}

func (tx *Tx) Idempotent(ctx context.Context, tokenID int64, key string) (*Idempotent, error) {
	if r, ok := tx.idem[idemKey{tokenID, key}]; ok {
		return r, nil // stored earlier in this transaction
	}
	return scanIdem(tx.row(ctx, `SELECT fingerprint, status, body, created_at FROM idempotency WHERE token_id = ? AND key = ?`, tokenID, key))
}

func scanIdem(row *sql.Row) (*Idempotent, error) {
	var (
		r  Idempotent
		at int64
	)
	err := row.Scan(&r.Fingerprint, &r.Status, &r.Body, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	r.CreatedAt = fromMillis(at)
	return &r, nil
}

// PutIdempotent stores a response in the same transaction as the write it
// answers, so a retry after a crash finds either both or neither.
func (tx *Tx) PutIdempotent(ctx context.Context, tokenID int64, key string, r *Idempotent) error {
	k := idemKey{tokenID, key}
	if _, dup := tx.idem[k]; dup {
		return fmt.Errorf("idempotency key %q stored twice in one transaction", key)
	}
	if tx.idem == nil {
		tx.idem = map[idemKey]*Idempotent{}
	}
	tx.idem[k] = r
	tx.idemRows = append(tx.idemRows, tokenID, key, r.Fingerprint, r.Status, r.Body, millis(r.CreatedAt))
	return nil
}

// ExpireIdempotent forgets API keys older than cutoff. Imported rows are
// remembered for good, in import_rows (see ImportedRow): re-importing a
// file must never store a row twice.
func (db *DB) ExpireIdempotent(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := db.sql.ExecContext(ctx, db.q(`DELETE FROM idempotency WHERE token_id > 0 AND created_at < ?`), millis(cutoff))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// IdempotentMany finds the stored answers of a token's keys (those stored
// earlier in this transaction included).
func (tx *Tx) IdempotentMany(ctx context.Context, tokenID int64, keys []string) (map[string]*Idempotent, error) {
	out := map[string]*Idempotent{}
	var lookup []string
	for _, k := range keys {
		if r, ok := tx.idem[idemKey{tokenID, k}]; ok {
			out[k] = r
		} else {
			lookup = append(lookup, k)
		}
	}
	err := inChunks(lookup, func(chunk []string, ph string) error {
		rows, err := tx.rows(ctx, `SELECT key, fingerprint, status, body, created_at FROM idempotency WHERE token_id = ? AND key IN (`+ph+`)`,
			append([]any{tokenID}, anySlice(chunk)...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				k  string
				r  Idempotent
				at int64
			)
			if err := rows.Scan(&k, &r.Fingerprint, &r.Status, &r.Body, &at); err != nil {
				return err
			}
			r.CreatedAt = fromMillis(at)
			out[k] = &r
		}
		return rows.Err()
	})
	return out, err
}
