package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// Import is an import job started through the API.
type Import struct {
	ID         int64           `json:"id"`
	Name       string          `json:"name"`
	Options    json.RawMessage `json:"options"`
	DryRun     bool            `json:"dry_run"`
	Status     string          `json:"status"` // running, done, failed
	Stats      json.RawMessage `json:"stats"`
	Error      string          `json:"error,omitempty"`
	StartedAt  time.Time       `json:"started_at"`
	FinishedAt *time.Time      `json:"finished_at,omitempty"`
}

// InsertImport records a new import job.
func (db *DB) InsertImport(ctx context.Context, im *Import) error {
	return db.InTx(ctx, func(tx *Tx) error {
		dry := 0
		if im.DryRun {
			dry = 1
		}
		id, err := tx.insert(ctx, `INSERT INTO imports (name, options, dry_run, status, stats, started_at) VALUES (?, ?, ?, ?, ?, ?)`,
			im.Name, string(im.Options), dry, im.Status, string(im.Stats), millis(im.StartedAt))
		im.ID = id
		return err
	})
}

// UpdateImport records progress or the end of an import job.
func (db *DB) UpdateImport(ctx context.Context, im *Import) error {
	var fin any
	if im.FinishedAt != nil {
		fin = millis(*im.FinishedAt)
	}
	_, err := db.sql.ExecContext(ctx, db.q(`UPDATE imports SET status = ?, stats = ?, error = ?, finished_at = ? WHERE id = ?`),
		im.Status, string(im.Stats), nullString(im.Error), fin, im.ID)
	return err
}

const importColumns = `id, name, options, dry_run, status, stats, error, started_at, finished_at`

func scanImport(sc interface{ Scan(...any) error }) (*Import, error) {
	var (
		im           Import
		opts, stats  string
		dry, started int64
		errText      sql.NullString
		finished     sql.NullInt64
	)
	err := sc.Scan(&im.ID, &im.Name, &opts, &dry, &im.Status, &stats, &errText, &started, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	im.Options, im.Stats, im.DryRun, im.Error, im.StartedAt = json.RawMessage(opts), json.RawMessage(stats), dry == 1, errText.String, fromMillis(started)
	im.FinishedAt = optTime(finished)
	return &im, nil
}

// ImportByID loads an import job.
func (db *DB) ImportByID(ctx context.Context, id int64) (*Import, error) {
	return scanImport(db.sql.QueryRowContext(ctx, db.q(`SELECT `+importColumns+` FROM imports WHERE id = ?`), id))
}

// Imports lists the latest import jobs, newest first.
func (db *DB) Imports(ctx context.Context, limit int) ([]*Import, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+importColumns+` FROM imports ORDER BY id DESC LIMIT ?`), limit)
	return collect(rows, err, scanImport)
}
