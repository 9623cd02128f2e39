package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// PutForm stores a web form's configuration (JSON).
func (db *DB) PutForm(ctx context.Context, name string, config []byte, now time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO forms (name, config, created_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`, name, string(config), millis(now), millis(now))
		return err
	})
}

// Form loads a web form's configuration.
func (db *DB) Form(ctx context.Context, name string) ([]byte, error) {
	var cfg string
	err := db.sql.QueryRowContext(ctx, db.q(`SELECT config FROM forms WHERE name = ?`), name).Scan(&cfg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return []byte(cfg), err
}
