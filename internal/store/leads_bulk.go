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
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/stage"
)

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
		if err := json.Unmarshal([]byte(data), &r.Data); err != nil {
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
		var (
			id    int64
			e     lead.Event
			at    int64
			props sql.NullString
		)
		if err := evRows.Scan(&id, &e.Type, &at, &props); err != nil {
			return nil, err
		}
		r := byID[id]
		if r == nil {
			continue
		}
		e.At = fromMillis(at)
		if props.Valid {
			if err := json.Unmarshal([]byte(props.String), &e.Props); err != nil {
				return nil, err
			}
		}
		r.Events = append(r.Events, e)
	}
	return out, evRows.Err()
}

// UpdateEvaluation saves a new evaluation of a lead unless the lead changed
// or received events since it was read (then it is, or will be, evaluated
// again with all of it). It reports whether it saved.
func (tx *Tx) UpdateEvaluation(ctx context.Context, row *ReevalRow, r *engine.Result, evalJSON []byte, definitionID int64, now time.Time) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE leads SET evaluation=?, stage=?, band=?, action=?, team=?, quality=?, score=?, definition_id=?, updated_at=?, needs_eval=0
		WHERE id=? AND updated_at=? AND needs_eval=?`, string(evalJSON), stage.Effective(r.Stage, row.HumanStage), r.Band, r.Action, r.Team, r.Quality, r.Total, definitionID, millis(now), row.ID, row.UpdatedAt, row.NeedsEval)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// StageCount is how many live leads are in a stage.
type StageCount struct {
	Stage string
	Count int64
}

// CountByStage counts live leads per stage, largest first.
func (db *DB) CountByStage(ctx context.Context) ([]StageCount, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT stage, count(*) FROM leads WHERE merged_into IS NULL GROUP BY stage ORDER BY count(*) DESC, stage`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StageCount
	for rows.Next() {
		var c StageCount
		if err := rows.Scan(&c.Stage, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MaxLeadID is the highest lead ID so far (0 for none).
func (db *DB) MaxLeadID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT max(id) FROM leads`).Scan(&id)
	return id.Int64, err
}

// inChunks runs fn over ids in chunks small enough for one IN (...) list.
func inChunks[T any](items []T, fn func(chunk []T, placeholders string) error) error {
	const chunk = 100
	for len(items) > 0 {
		n := min(len(items), chunk)
		if err := fn(items[:n], strings.TrimSuffix(strings.Repeat("?,", n), ",")); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}

func anySlice[T any](items []T) []any {
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = v
	}
	return out
}

// LeadIDsByEmail maps the normalised e-mail addresses that belong to live
// leads to their IDs, with one query per hundred addresses.
func (tx *Tx) LeadIDsByEmail(ctx context.Context, emails []string) (map[string]int64, error) {
	out := make(map[string]int64, len(emails))
	err := inChunks(emails, func(chunk []string, ph string) error {
		rows, err := tx.rows(ctx, `SELECT email, id FROM leads WHERE merged_into IS NULL AND email IN (`+ph+`)`+tx.forUpdate(), anySlice(chunk)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				email string
				id    int64
			)
			if err := rows.Scan(&email, &id); err != nil {
				return err
			}
			out[email] = id
		}
		return rows.Err()
	})
	return out, err
}

// ExistingLeads reports which of the IDs are leads.
func (tx *Tx) ExistingLeads(ctx context.Context, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	err := inChunks(ids, func(chunk []int64, ph string) error {
		rows, err := tx.rows(ctx, `SELECT id FROM leads WHERE id IN (`+ph+`)`, anySlice(chunk)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out[id] = true
		}
		return rows.Err()
	})
	return out, err
}

// MarkNeedsEvalMany flags leads for re-evaluation (new events arrived); the
// flag is durable so a restart re-evaluates what was pending. It counts up,
// so an evaluation that read the lead before the latest events does not
// clear it (see UpdateEvaluation).
func (tx *Tx) MarkNeedsEvalMany(ctx context.Context, ids []int64) error {
	return inChunks(ids, func(chunk []int64, ph string) error {
		_, err := tx.exec(ctx, `UPDATE leads SET needs_eval = needs_eval + 1 WHERE id IN (`+ph+`)`, anySlice(chunk)...)
		return err
	})
}

// FindLead looks a person up by e-mail, then phone, then external ID, the
// order intake de-duplicates in, without locking (for previews). It
// returns 0 when none matches.
func (db *DB) FindLead(ctx context.Context, email, phone, externalID string) (id int64, by string, err error) {
	for _, k := range []struct{ col, val string }{{"email", email}, {"phone", phone}, {"external_id", externalID}} {
		if k.val == "" {
			continue
		}
		err := db.sql.QueryRowContext(ctx, db.q(`SELECT id FROM leads WHERE `+k.col+` = ? AND merged_into IS NULL ORDER BY id LIMIT 1`), k.val).Scan(&id)
		if err == nil {
			return id, k.col, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, "", err
		}
	}
	return 0, "", nil
}

// NextLeadIDs reserves IDs for n new leads, for InsertLeads. SQLite has
// one writer at a time, so the next IDs follow the highest; PostgreSQL
// takes them from the leads' identity sequence, safe with several servers.
func (tx *Tx) NextLeadIDs(ctx context.Context, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	if tx.db.dialect == Postgres {
		rows, err := tx.rows(ctx, `SELECT nextval(pg_get_serial_sequence('leads', 'id')) FROM generate_series(1, ?)`, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	var last sql.NullInt64
	if err := tx.row(ctx, `SELECT max(id) FROM leads`).Scan(&last); err != nil {
		return nil, err
	}
	for i := range n {
		ids = append(ids, last.Int64+1+int64(i))
	}
	return ids, nil
}

// InsertLeads stores new leads whose IDs were reserved with NextLeadIDs,
// fifty rows per statement: a group of imported rows is written in a few
// statements instead of one per row.
func (tx *Tx) InsertLeads(ctx context.Context, leads []*Lead) error {
	const perStatement = 50
	const width = 22
	for len(leads) > 0 {
		n := min(len(leads), perStatement)
		var b strings.Builder
		b.WriteString(`INSERT INTO leads (email, phone, company_id, data, qualification, evaluation,
		stage, band, action, team, quality, score, country, source_format, owner, search,
		definition_id, merged_into, external_id, updated_at, created_at, id) VALUES `)
		args := make([]any, 0, n*width)
		for i, l := range leads[:n] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(" + strings.TrimSuffix(strings.Repeat("?,", width), ",") + ")")
			vals, err := leadValues(l)
			if err != nil {
				return err
			}
			args = append(append(args, vals...), millis(l.CreatedAt), l.ID)
		}
		if _, err := tx.exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert leads: %w", err)
		}
		leads = leads[n:]
	}
	return nil
}

// KnownIdentities returns which of the e-mails, phones and external IDs
// belong to live leads, and to which: for a phone several leads share, the
// oldest, the one intake merges an inquiry with that phone into.
func (tx *Tx) KnownIdentities(ctx context.Context, emails, phones, externalIDs []string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, q := range []struct {
		col    string
		values []string
	}{{"email", emails}, {"phone", phones}, {"external_id", externalIDs}} {
		err := inChunks(q.values, func(chunk []string, ph string) error {
			rows, err := tx.rows(ctx, `SELECT `+q.col+`, id FROM leads WHERE merged_into IS NULL AND `+q.col+` IN (`+ph+`)`, anySlice(chunk)...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var (
					v  string
					id int64
				)
				if err := rows.Scan(&v, &id); err != nil {
					return err
				}
				if old, seen := out[v]; !seen || id < old {
					out[v] = id
				}
			}
			return rows.Err()
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
