package store

import (
	"context"
	"time"
)

// SigninFailures returns the times of a key's failed sign-ins after
// since, newest first, at most limit of them.
func (db *DB) SigninFailures(ctx context.Context, key string, since time.Time, limit int) ([]time.Time, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT at FROM signin_failures WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?`), key, millis(since), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, fromMillis(at))
	}
	return out, rows.Err()
}

// AddSigninFailure records a failed sign-in under each key, and forgets
// failures older than forgetBefore (no limit looks back further).
func (db *DB) AddSigninFailure(ctx context.Context, keys []string, at, forgetBefore time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM signin_failures WHERE at < ?`, millis(forgetBefore)); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := tx.exec(ctx, `INSERT INTO signin_failures (key, at) VALUES (?, ?)`, k, millis(at)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClearSigninFailures forgets a key's failed sign-ins.
func (db *DB) ClearSigninFailures(ctx context.Context, key string) error {
	_, err := db.execWrite(ctx, `DELETE FROM signin_failures WHERE key = ?`, key)
	return err
}
