package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Setting is one of the organisation's settings, "" when never set.
func (db *DB) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := db.queryRow(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// PutSetting sets one of the organisation's settings.
func (db *DB) PutSetting(ctx context.Context, name, value string, at time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, name, value, millis(at))
		return err
	})
}
