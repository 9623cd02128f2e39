package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/jsonpack"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/stage"
)

// Reevaluation tracks re-evaluating every lead after a definition change.
type Reevaluation struct {
	ID           int64      `json:"id"`
	DefinitionID int64      `json:"definition_id"`
	Total        int64      `json:"total"`
	Done         int64      `json:"done"`
	StartedAt    time.Time  `json:"started_at"`
	FinishedAt   *time.Time `json:"finished_at,omitempty"`
	Error        string     `json:"error,omitempty"`
}

// StartReevaluation records the start of a re-evaluation.
func (db *DB) StartReevaluation(ctx context.Context, r *Reevaluation) error {
	return db.InTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO reevaluations (definition_id, total, done, started_at) VALUES (?, ?, 0, ?)`,
			r.DefinitionID, r.Total, millis(r.StartedAt))
		r.ID = id
		return err
	})
}

// ProgressReevaluation records progress, and the end when finished is set.
func (db *DB) ProgressReevaluation(ctx context.Context, id, done int64, finished *time.Time, errText string) error {
	var fin any
	if finished != nil {
		fin = millis(*finished)
	}
	_, err := db.execWrite(ctx, `UPDATE reevaluations SET done = ?, finished_at = ?, error = ? WHERE id = ?`, done, fin, nullString(errText), id)
	return err
}

// LatestReevaluation is the newest re-evaluation of a definition.
func (db *DB) LatestReevaluation(ctx context.Context, definitionID int64) (*Reevaluation, error) {
	var (
		r        Reevaluation
		started  int64
		finished sql.NullInt64
		errText  sql.NullString
	)
	err := db.sql.QueryRowContext(ctx, db.q(`SELECT id, definition_id, total, done, started_at, finished_at, error FROM reevaluations WHERE definition_id = ? ORDER BY id DESC LIMIT 1`), definitionID).
		Scan(&r.ID, &r.DefinitionID, &r.Total, &r.Done, &started, &finished, &errText)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	r.StartedAt, r.Error = fromMillis(started), errText.String
	if finished.Valid {
		t := fromMillis(finished.Int64)
		r.FinishedAt = &t
	}
	return &r, nil
}

// ReevalRow is what re-evaluating a lead needs.
type ReevalRow struct {
	ID            int64
	Data          lead.Lead
	Qualification *lead.Qualification
	Stage         string // as stored: the effective stage
	HumanStage    string
	Action, Team  string
	OwnerID       int64
	UpdatedAt     int64 // as stored, to detect a concurrent change
	NeedsEval     int64 // events-arrived counter as read, likewise
	Events        []lead.Event
}

// ReevalPage reads up to limit live leads with IDs in (afterID, upTo], with
// their events, outside any write transaction.
func (db *DB) ReevalPage(ctx context.Context, afterID, upTo int64, limit int) ([]*ReevalRow, error) {
	return db.reevalRows(ctx, `id > ? AND id <= ? AND merged_into IS NULL ORDER BY id LIMIT ?`, afterID, upTo, limit)
}

// ReevalByID reads live leads by ID (ascending IDs), with their events.
func (db *DB) ReevalByID(ctx context.Context, ids []int64) ([]*ReevalRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	return db.reevalRows(ctx, `id IN (`+ph+`) AND merged_into IS NULL ORDER BY id`, anySlice(ids)...)
}

func (db *DB) reevalRows(ctx context.Context, where string, args ...any) ([]*ReevalRow, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT id, data, qualification, stage, human_stage, action, team, coalesce(owner_id, 0), updated_at, needs_eval FROM leads WHERE `+where), args...)
	if err != nil {
		return nil, err
	}
	var out []*ReevalRow
	for rows.Next() {
		var (
			r    ReevalRow
			data string
			qual sql.NullString
		)
		if err := rows.Scan(&r.ID, &data, &qual, &r.Stage, &r.HumanStage, &r.Action, &r.Team, &r.OwnerID, &r.UpdatedAt, &r.NeedsEval); err != nil {
			rows.Close()
			return nil, err
		}
		if err := lead.DecodeStored([]byte(data), &r.Data); err != nil {
			rows.Close()
			return nil, fmt.Errorf("lead %d: %w", r.ID, err)
		}
		if qual.Valid {
			r.Qualification = new(lead.Qualification)
			if err := json.Unmarshal([]byte(qual.String), r.Qualification); err != nil {
				rows.Close()
				return nil, fmt.Errorf("lead %d qualification: %w", r.ID, err)
			}
		}
		out = append(out, &r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	evRows, err := db.sql.QueryContext(ctx, db.q(`SELECT lead_id, type, at, props FROM events WHERE lead_id BETWEEN ? AND ? ORDER BY lead_id, at, id`), out[0].ID, out[len(out)-1].ID)
	if err != nil {
		return nil, err
	}
	defer evRows.Close()
	byID := make(map[int64]*ReevalRow, len(out))
	for _, r := range out {
		byID[r.ID] = r
	}
	for evRows.Next() {
		id, e, err := scanLeadEvent(evRows)
		if err != nil {
			return nil, err
		}
		r := byID[id]
		if r == nil {
			continue
		}
		r.Events = append(r.Events, e)
	}
	return out, evRows.Err()
}

// UpdateEvaluation saves a new evaluation of a lead unless the lead changed
// or received events since it was read (then it is, or will be, evaluated
// again with all of it). It reports whether it saved. updated_at moves
// forward, as with UpdateLead. eval is r as JSON, or packed already
// (jsonpack.Pack, which callers may do ahead, off the writer).
func (tx *Tx) UpdateEvaluation(ctx context.Context, row *ReevalRow, r *engine.Result, eval []byte, definitionID int64, now time.Time) (bool, error) {
	stored := eval
	if !jsonpack.Packed(eval) {
		stored = jsonpack.Pack(nil, eval)
	}
	if row.UpdatedAt > millis(now.Add(-IdempotencyWindow)) {
		if err := tx.keepEvaluation(ctx, row.ID, now); err != nil {
			return false, err
		}
	}
	res, err := tx.exec(ctx, `UPDATE leads SET evaluation=?, stage=?, band=?, action=?, team=?, quality=?, score=?, definition_id=?, updated_at=?, needs_eval=0
		WHERE id=? AND updated_at=? AND needs_eval=?`, string(stored), stage.Effective(r.Stage, row.HumanStage), r.Band, r.Action, r.Team, r.Quality, r.Total, definitionID, max(millis(now), row.UpdatedAt+1), row.ID, row.UpdatedAt, row.NeedsEval)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if n == 1 {
		evalJSON, err := storedJSON(string(eval))
		if err != nil {
			return false, err
		}
		tx.wroteEval(row.ID, evalJSON)
		tx.evaluatedWith(row.ID, definitionID)
	}
	return n == 1, err
}

// MaxLeadID is the highest lead ID so far (0 for none).
func (db *DB) MaxLeadID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT max(id) FROM leads`).Scan(&id)
	return id.Int64, err
}

// MarkNeedsEvalMany flags leads for re-evaluation (new events arrived); the
// flag is durable so a restart re-evaluates what was pending. It counts up,
// so an evaluation that read the lead before the latest events does not
// clear it (see UpdateEvaluation).
func (tx *Tx) MarkNeedsEvalMany(ctx context.Context, ids []int64) error {
	return tx.inIDs(ids, func(cond string, args []any) error {
		_, err := tx.exec(ctx, `UPDATE leads SET needs_eval = needs_eval + 1 WHERE id `+cond, args...)
		return err
	})
}
