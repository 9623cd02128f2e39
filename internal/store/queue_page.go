package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// A work queue page: the web app's queue shows a rep the leads they hold
// and their teams' unassigned leads, the first touch due first on top,
// fifty at a time. The queue's order is computed from each lead's latest
// first-touch clock, so no index holds it; the database reads the short
// rows of the whole queue (a lead's ID, score and clock), counts them and
// sorts them, and only the page's leads are read whole.

// QueueQuery asks for a page of a work queue: the live leads a user holds
// (Owner), or else the live leads waiting unheld in teams' queues (Teams).
type QueueQuery struct {
	Owner  int64
	Teams  []string
	Stages []string // only leads in these stages; none: every stage
	Band   string   // only leads in this band
	// After is the key of the previous page's last lead; the zero key
	// asks for the first page.
	After QueueKey
	Limit int
	// DayEnd is the end of the user's day: Queue.DueToday counts the
	// first touches due before it, Queue.NextDue is the first one after.
	DayEnd time.Time
}

// QueueKey is a lead's place in a queue's order: first the leads whose
// first touch is still awaited (clock pending or breached), the one due
// first on top; then those whose clock is paused; then the rest (touched,
// cancelled, no clock). Within the last two, highest score first; ties
// by newest lead.
type QueueKey struct {
	Rank  int     // 0 awaited, 1 paused, 2 the rest
	Due   int64   // the clock's due time (Unix milliseconds) when Rank is 0, else 0
	Score float64 // the lead's score
	ID    int64
}

// IsZero reports whether the key is the zero key (the first page).
func (k QueueKey) IsZero() bool { return k == QueueKey{} }

// Queue is a page of a work queue.
type Queue struct {
	Leads []*Lead
	Keys  []QueueKey // each lead's key; the last one continues the queue
	Teams []string   // each lead's team (a Teams query)
	// Total is how many leads the queue holds with the filters, Before
	// how many of them come before the page.
	Total, Before int
	// DueToday counts the first touches awaited that are overdue or due
	// before DayEnd; NextDue is the earliest one due after it.
	DueToday int
	NextDue  time.Time
	More     bool // whether a page follows
}

// QueuePage returns a page of a work queue (QueueQuery) in the queue's
// order (QueueKey), with its counts: one query reads the queue's short
// rows once, counts them with window functions and returns the page's
// keys; then the page's leads are read by ID.
func (db *DB) QueuePage(ctx context.Context, f QueueQuery) (*Queue, error) {
	out := &Queue{}
	inner, args := queueRows(f, db.dialect)
	if inner == "" {
		return out, nil
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	dayEnd := millis(f.DayEnd)
	after, afterArgs := "1 = 1", []any(nil)
	if !f.After.IsZero() {
		after, afterArgs = queueAfter(f.After)
	}
	counts := `count(*) OVER () AS n, SUM(CASE WHEN ` + after + ` THEN 0 ELSE 1 END) OVER () AS nbefore,
		SUM(CASE WHEN rnk = 0 AND (status = 'breached' OR due < ?) THEN 1 ELSE 0 END) OVER () AS ndue,
		MIN(CASE WHEN rnk = 0 AND status <> 'breached' AND due >= ? THEN due END) OVER () AS nextdue`
	var all []any
	all = append(append(append(append(all, afterArgs...), dayEnd, dayEnd), args...), afterArgs...)
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT id, rnk, due, score, team, n, nbefore, ndue, nextdue FROM (
		SELECT q.id, q.rnk, q.due, q.score, q.team, `+counts+` FROM (`+inner+`) q) AS w
		WHERE `+after+fmt.Sprintf(` ORDER BY rnk, due, score DESC, id DESC LIMIT %d`, limit+1)), all...)
	if err != nil {
		return nil, fmt.Errorf("queue page: %w", err)
	}
	defer rows.Close()
	var keys []QueueKey
	var teams []string
	var nBefore, due, next sql.NullInt64
	for rows.Next() {
		var k QueueKey
		var team string
		if err := rows.Scan(&k.ID, &k.Rank, &k.Due, &k.Score, &team, &out.Total, &nBefore, &due, &next); err != nil {
			return nil, err
		}
		keys, teams = append(keys, k), append(teams, team)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		// Past the queue's end (or an empty queue): no row carried the
		// counts.
		err := db.sql.QueryRowContext(ctx, db.q(`SELECT count(*), SUM(CASE WHEN `+after+` THEN 0 ELSE 1 END),
			SUM(CASE WHEN rnk = 0 AND (status = 'breached' OR due < ?) THEN 1 ELSE 0 END),
			MIN(CASE WHEN rnk = 0 AND status <> 'breached' AND due >= ? THEN due END) FROM (`+inner+`) q`),
			all[:len(all)-len(afterArgs)]...).Scan(&out.Total, &nBefore, &due, &next)
		if err != nil {
			return nil, fmt.Errorf("queue counts: %w", err)
		}
	}
	out.Before, out.DueToday = int(nBefore.Int64), int(due.Int64)
	if next.Valid {
		out.NextDue = fromMillis(next.Int64)
	}
	if len(keys) > limit {
		keys, teams, out.More = keys[:limit], teams[:limit], true
	}
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	leads, err := db.ListedLeads(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Lead, len(leads))
	for _, l := range leads {
		byID[l.ID] = l
	}
	for i, k := range keys {
		// A lead merged away between the two reads is left out.
		if l := byID[k.ID]; l != nil {
			out.Leads, out.Keys = append(out.Leads, l), append(out.Keys, k)
			if f.Owner == 0 {
				out.Teams = append(out.Teams, teams[i])
			}
		}
	}
	return out, nil
}

// queueRows is the query of a queue's short rows (id, score, rnk, due,
// status, team; see QueueKey) and its arguments; "" for a queue that is
// empty by definition (no owner and no team).
func queueRows(f QueueQuery, d Dialect) (string, []any) {
	const clock = `CASE WHEN c.status IN ('pending', 'breached') THEN 0 WHEN c.status = 'paused' THEN 1 ELSE 2 END AS rnk,
		CASE WHEN c.status IN ('pending', 'breached') THEN c.due_at ELSE 0 END AS due, COALESCE(c.status, '') AS status`
	const latest = ` LEFT JOIN clocks c ON c.id = (SELECT MAX(m.id) FROM clocks m WHERE m.lead_id = l.id)`
	var q string
	var args []any
	switch {
	case f.Owner != 0:
		q = `SELECT l.id AS id, l.score AS score, ` + clock + `, '' AS team FROM leads l` + latest +
			` WHERE l.owner_id = ? AND l.merged_into IS NULL`
		args = append(args, f.Owner)
	case len(f.Teams) > 0:
		// SQLite looks the leads up in leads_by_id, which holds the
		// columns read here; a lead's row holds them after its JSON, on
		// overflow pages (two to four reads a lead instead of one).
		leads := "leads l"
		if d == SQLite {
			leads = "leads l INDEXED BY leads_by_id"
		}
		q = `SELECT l.id AS id, l.score AS score, ` + clock + `, a.team AS team FROM assignments a JOIN ` + leads + ` ON l.id = a.lead_id` + latest +
			` WHERE a.user_id IS NULL AND a.ended_at IS NULL AND a.status IN ('open', 'accepted') AND a.team IN (?` +
			strings.Repeat(",?", len(f.Teams)-1) + `) AND l.merged_into IS NULL`
		for _, t := range f.Teams {
			args = append(args, t)
		}
	default:
		return "", nil
	}
	if len(f.Stages) > 0 {
		in := `l.stage IN (?` + strings.Repeat(",?", len(f.Stages)-1) + `)`
		if d == Postgres && f.Owner != 0 {
			// Not a condition PostgreSQL answers from leads_stage: it
			// combined that index (90,000 open leads at a million) with
			// the owner's, where the owner's few thousand are enough.
			in = `(` + in + `) IS TRUE`
		}
		q += ` AND ` + in
		for _, s := range f.Stages {
			args = append(args, s)
		}
	}
	if f.Band != "" {
		q += ` AND l.band = ?`
		args = append(args, f.Band)
	}
	return q, args
}

// queueAfter is the condition that a queue's row (queueRows) comes after
// the key k in the queue's order, and its arguments.
func queueAfter(k QueueKey) (string, []any) {
	return `(rnk > ? OR (rnk = ? AND (due > ? OR (due = ? AND (score < ? OR (score = ? AND id < ?))))))`,
		[]any{k.Rank, k.Rank, k.Due, k.Due, k.Score, k.Score, k.ID}
}
