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
	err := db.queryRow(ctx, `SELECT config FROM forms WHERE name = ?`, name).Scan(&cfg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return []byte(cfg), err
}

// FormRow is a stored web form: its configuration (JSON) and when it was
// made and last changed.
type FormRow struct {
	Name      string
	Config    []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Forms lists the web forms by name.
func (db *DB) Forms(ctx context.Context) ([]FormRow, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT name, config, created_at, updated_at FROM forms ORDER BY name`))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FormRow
	for rows.Next() {
		var (
			f        FormRow
			cfg      string
			cre, upd int64
		)
		if err := rows.Scan(&f.Name, &cfg, &cre, &upd); err != nil {
			return nil, err
		}
		f.Config, f.CreatedAt, f.UpdatedAt = []byte(cfg), fromMillis(cre), fromMillis(upd)
		out = append(out, f)
	}
	return out, rows.Err()
}
