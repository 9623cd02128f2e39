package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Idempotent is a stored response to a request with an Idempotency-Key.
type Idempotent struct {
	Fingerprint string
	Status      int
	Body        []byte
	CreatedAt   time.Time
}

// IdempotentInTx is the answer stored under a key earlier in this
// transaction, or nil.
func (tx *Tx) IdempotentInTx(tokenID int64, key string) *Idempotent {
	return tx.idem[idemKey{tokenID, key}]
}

// Idempotent finds the stored response for a token's key.
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
	if len(lookup) == 0 {
		return out, nil
	}
	err := tx.inList(lookup, func(list string, args []any) error {
		rows, err := tx.rows(ctx, `SELECT key, fingerprint, status, body, created_at FROM idempotency WHERE token_id = ? AND key `+list,
			append([]any{tokenID}, args...)...)
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
