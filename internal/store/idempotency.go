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
	// Evals are the leads' evaluations Body holds, in order, as saved with
	// the leads in the same transaction: they are stored once, with the
	// leads, not again in the answer (see PutIdempotent). Only given to
	// PutIdempotent; answers read back have them in Body.
	Evals []EvalRef
}

// EvalRef is a lead's evaluation within a stored answer: Eval, the bytes
// of the lead's evaluation column, found in Body at At.
type EvalRef struct {
	At     int
	LeadID int64
	Eval   []byte
}

// IdempotencyWindow is how long a stored answer is replayed (see
// ExpireIdempotent), and how long a lead's evaluation that an answer
// showed is kept after it was replaced (see keepEvaluation).
const IdempotencyWindow = 24 * time.Hour

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
	var (
		r     Idempotent
		at    int64
		evals sql.NullString
	)
	err := tx.row(ctx, `SELECT fingerprint, status, body, created_at, evals FROM idempotency WHERE token_id = ? AND key = ?`, tokenID, key).
		Scan(&r.Fingerprint, &r.Status, &r.Body, &at, &evals)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	r.CreatedAt = fromMillis(at)
	if err := tx.rebuildAnswers(ctx, []*Idempotent{&r}, []string{evals.String}); err != nil {
		return nil, err
	}
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
	body, evals := compactAnswer(r.Body, r.Evals)
	if evals != nil {
		tx.keepShown(r.Evals, r.CreatedAt)
		if tx.answered == nil {
			tx.answered = map[int64]int64{}
		}
		for _, e := range r.Evals {
			tx.answered[e.LeadID] = millis(r.CreatedAt)
		}
	}
	tx.idemRows = append(tx.idemRows, tokenID, key, r.Fingerprint, r.Status, body, millis(r.CreatedAt), evals)
	return nil
}

// ExpireIdempotent forgets API keys older than cutoff. Imported rows are
// remembered for good, in import_rows (see ImportedRow): re-importing a
// file must never store a row twice.
func (db *DB) ExpireIdempotent(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := db.execWrite(ctx, `DELETE FROM idempotency WHERE token_id > 0 AND created_at < ?`, millis(cutoff))
	if err != nil {
		return 0, err
	}
	// A kept evaluation was kept after the answers that showed it.
	for _, q := range []string{`DELETE FROM kept_evaluations WHERE created_at < ?`, `DELETE FROM answered_leads WHERE answered_at < ?`} {
		if _, err := db.execWrite(ctx, q, millis(cutoff)); err != nil {
			return 0, err
		}
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
	var st storedAnswers
	err := tx.inList(lookup, func(list string, args []any) error {
		rows, err := tx.rows(ctx, storedAnswersQuery+list, append([]any{tokenID}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		return st.scan(rows, out)
	})
	if err != nil {
		return nil, err
	}
	return out, tx.rebuildAnswers(ctx, st.compact, st.refs)
}

// storedAnswersQuery reads a token's stored answers; the condition on
// the key follows.
const storedAnswersQuery = `SELECT key, fingerprint, status, body, created_at, evals FROM idempotency WHERE token_id = ? AND key `

// storedAnswers are the answers read that were stored without their
// evaluations, and their evals, for rebuildAnswers.
type storedAnswers struct {
	compact []*Idempotent
	refs    []string
}

// scan reads storedAnswersQuery's rows into out, by key.
func (st *storedAnswers) scan(rows rowReader, out map[string]*Idempotent) error {
	for rows.Next() {
		var (
			k     string
			r     Idempotent
			at    int64
			evals sql.NullString
		)
		if err := rows.Scan(&k, &r.Fingerprint, &r.Status, &r.Body, &at, &evals); err != nil {
			return err
		}
		r.CreatedAt = fromMillis(at)
		out[k] = &r
		if evals.Valid {
			st.compact, st.refs = append(st.compact, &r), append(st.refs, evals.String)
		}
	}
	return rows.Err()
}
