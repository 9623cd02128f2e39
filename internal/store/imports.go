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
	Status     string          `json:"status"` // running, done, failed, interrupted
	Stats      json.RawMessage `json:"stats"`
	Error      string          `json:"error,omitempty"`
	StartedAt  time.Time       `json:"started_at"`
	FinishedAt *time.Time      `json:"finished_at,omitempty"`
	// HeartbeatAt is when the server running it last said it was alive.
	HeartbeatAt *time.Time `json:"heartbeat_at,omitempty"`
	// Resumable: an interrupted import whose upload is still kept, so
	// that POST /api/v1/imports/{id}/resume can finish it.
	Resumable bool `json:"resumable,omitempty"`
	// ResumedFrom is the interrupted import this one resumes.
	ResumedFrom int64 `json:"resumed_from,omitempty"`
	// Upload is the kept file's path (not shown).
	Upload string `json:"-"`
}

// Import statuses.
const (
	ImportRunning     = "running"
	ImportDone        = "done"
	ImportFailed      = "failed"
	ImportInterrupted = "interrupted"
)

// InsertImport records a new import job.
func (db *DB) InsertImport(ctx context.Context, im *Import) error {
	return db.InTx(ctx, func(tx *Tx) error {
		dry := 0
		if im.DryRun {
			dry = 1
		}
		id, err := tx.insert(ctx, `INSERT INTO imports (name, options, dry_run, status, stats, started_at, heartbeat_at, upload, resumed_from)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			im.Name, string(im.Options), dry, im.Status, string(im.Stats), millis(im.StartedAt), millis(im.StartedAt), nullString(im.Upload), nullInt(im.ResumedFrom))
		im.ID = id
		return err
	})
}

// UpdateImport records progress or the end of an import job, and that
// its server is alive at beat. A job already marked interrupted (its
// server was taken for dead) is not changed back.
func (db *DB) UpdateImport(ctx context.Context, im *Import, beat time.Time) error {
	var fin any
	if im.FinishedAt != nil {
		fin = millis(*im.FinishedAt)
	}
	_, err := db.execWrite(ctx, `UPDATE imports SET status = ?, stats = ?, error = ?, finished_at = ?, heartbeat_at = ?, upload = ?
		WHERE id = ? AND status <> 'interrupted'`,
		im.Status, string(im.Stats), nullString(im.Error), fin, millis(beat), nullString(im.Upload), im.ID)
	return err
}

// InterruptImports marks the running imports whose server has not beaten
// since before staleBefore as interrupted, with the reason, and returns
// their IDs.
func (db *DB) InterruptImports(ctx context.Context, staleBefore, now time.Time, reason string) ([]int64, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT id FROM imports WHERE status = 'running' AND COALESCE(heartbeat_at, started_at) < ?`), millis(staleBefore))
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []int64
	for _, id := range ids {
		res, err := db.execWrite(ctx, `UPDATE imports SET status = 'interrupted', error = ?, finished_at = ?
			WHERE id = ? AND status = 'running' AND COALESCE(heartbeat_at, started_at) < ?`, reason, millis(now), id, millis(staleBefore))
		if err != nil {
			return out, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			out = append(out, id)
		}
	}
	return out, nil
}

// TakeUpload hands an interrupted import's kept upload to whoever resumes
// it: it returns the path and forgets it, once (a second caller gets "").
func (db *DB) TakeUpload(ctx context.Context, id int64) (string, error) {
	var path sql.NullString
	err := db.InTx(ctx, func(tx *Tx) error {
		err := tx.row(ctx, `SELECT upload FROM imports WHERE id = ? AND status = 'interrupted' AND upload IS NOT NULL`, id).Scan(&path)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE imports SET upload = NULL WHERE id = ?`, id)
		return err
	})
	return path.String, err
}

const importColumns = `id, name, options, dry_run, status, stats, error, started_at, finished_at, heartbeat_at, upload, resumed_from`

func scanImport(sc interface{ Scan(...any) error }) (*Import, error) {
	var (
		im           Import
		opts, stats  string
		dry, started int64
		errText      sql.NullString
		finished     sql.NullInt64
		beat         sql.NullInt64
		upload       sql.NullString
		resumed      sql.NullInt64
	)
	err := sc.Scan(&im.ID, &im.Name, &opts, &dry, &im.Status, &stats, &errText, &started, &finished, &beat, &upload, &resumed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	im.Options, im.Stats, im.DryRun, im.Error, im.StartedAt = json.RawMessage(opts), json.RawMessage(stats), dry == 1, errText.String, fromMillis(started)
	im.FinishedAt, im.HeartbeatAt, im.Upload, im.ResumedFrom = optTime(finished), optTime(beat), upload.String, resumed.Int64
	im.Resumable = im.Status == ImportInterrupted && im.Upload != ""
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
