package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PasswordResetTTL is how long a one-time password link works.
const PasswordResetTTL = 72 * time.Hour

// AddPasswordReset stores a one-time link for a user by the hash of its
// secret; the user's earlier links stop working.
func (db *DB) AddPasswordReset(ctx context.Context, userID int64, tokenHash string, now time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, millis(now), userID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?,?,?,?)`,
			tokenHash, userID, millis(now), millis(now.Add(PasswordResetTTL)))
		if err != nil {
			return fmt.Errorf("password link for user %d: %w", userID, err)
		}
		return nil
	})
}

// PasswordResetUser is the user a one-time link is for, or ErrNotFound
// when the link is unknown, used or expired.
func (db *DB) PasswordResetUser(ctx context.Context, tokenHash string, now time.Time) (int64, error) {
	var id int64
	err := db.sql.QueryRowContext(ctx, db.q(`SELECT user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`),
		tokenHash, millis(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return id, err
}

// UsePasswordReset spends a one-time link; false when it was no longer
// usable (spent meanwhile, or expired).
func (db *DB) UsePasswordReset(ctx context.Context, tokenHash string, now time.Time) (bool, error) {
	res, err := db.execWrite(ctx, `UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`,
		millis(now), tokenHash, millis(now))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
