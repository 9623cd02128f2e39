package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Queries for the web app's queues: a user's leads, a team's unassigned
// leads, and the latest first-touch clock of each.

// OwnedLeads returns the live leads a user holds, best first, with the
// evaluation's list columns only (see listColumns).
func (db *DB) OwnedLeads(ctx context.Context, userID int64, limit int) ([]*Lead, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+listColumns("")+` FROM leads WHERE owner_id = ? AND merged_into IS NULL
		ORDER BY score DESC, id DESC LIMIT `+fmt.Sprint(limit)), userID)
	return collect(rows, err, scanListed)
}

// UnassignedLeads returns the live leads waiting in the teams' queues
// (routed to a team, held by nobody), oldest first, with their team and
// the evaluation's list columns only (see listColumns).
func (db *DB) UnassignedLeads(ctx context.Context, teams []string, limit int) ([]*Lead, []string, error) {
	if len(teams) == 0 {
		return nil, nil, nil
	}
	args := make([]any, len(teams))
	for i, t := range teams {
		args[i] = t
	}
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT a.team, `+listColumns("l.")+` FROM assignments a JOIN leads l ON l.id = a.lead_id
		WHERE a.user_id IS NULL AND a.ended_at IS NULL AND a.status IN ('open', 'accepted') AND a.team IN (?`+strings.Repeat(",?", len(teams)-1)+`) AND l.merged_into IS NULL
		ORDER BY a.at, a.id LIMIT `+fmt.Sprint(limit)), args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var leads []*Lead
	var names []string
	for rows.Next() {
		var team string
		l, err := scanListed(scanFunc(func(dest ...any) error { return rows.Scan(append([]any{&team}, dest...)...) }))
		if err != nil {
			return nil, nil, err
		}
		leads, names = append(leads, l), append(names, team)
	}
	return leads, names, rows.Err()
}

// LatestClocks returns the latest first-touch clock of each lead that has
// one.
func (db *DB) LatestClocks(ctx context.Context, leadIDs []int64) (map[int64]*Clock, error) {
	out := map[int64]*Clock{}
	for start := 0; start < len(leadIDs); start += 500 {
		ids := leadIDs[start:min(start+500, len(leadIDs))]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+clockColumns+` FROM clocks WHERE id IN (SELECT MAX(id) FROM clocks WHERE lead_id IN (?`+
			strings.Repeat(",?", len(ids)-1)+`) GROUP BY lead_id)`), args...)
		if err != nil {
			return nil, err
		}
		cs, err := collect(rows, nil, scanClock)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			out[c.LeadID] = c
		}
	}
	return out, nil
}

// CurrentTeams returns the team of each lead's open assignment.
func (db *DB) CurrentTeams(ctx context.Context, leadIDs []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for start := 0; start < len(leadIDs); start += 500 {
		ids := leadIDs[start:min(start+500, len(leadIDs))]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		rows, err := db.sql.QueryContext(ctx, db.q(`SELECT lead_id, team FROM assignments WHERE status IN ('open', 'accepted') AND lead_id IN (?`+
			strings.Repeat(",?", len(ids)-1)+`) ORDER BY id`), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var team string
			if err := rows.Scan(&id, &team); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = team
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Workload is what the team page shows of a user's leads.
type Workload struct {
	Open    int     // live leads they hold in an open stage
	Overdue []int64 // those whose latest first-touch clock is overdue
}

// Workloads counts, for each user, the live leads they hold in one of the
// stages open, and finds those whose latest first-touch clock is overdue
// at now (Clock.Overdue): one short row per lead, where reading and
// decoding each lead took most of the team page's time.
func (db *DB) Workloads(ctx context.Context, userIDs []int64, open []string, now time.Time) (map[int64]*Workload, error) {
	out := map[int64]*Workload{}
	if len(userIDs) == 0 || len(open) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(userIDs)+len(open))
	for _, id := range userIDs {
		args = append(args, id)
	}
	for _, s := range open {
		args = append(args, s)
	}
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT l.owner_id, l.id, c.status, c.due_at FROM leads l
		LEFT JOIN clocks c ON c.id = (SELECT MAX(id) FROM clocks WHERE lead_id = l.id)
		WHERE l.owner_id IN (?`+strings.Repeat(",?", len(userIDs)-1)+`) AND l.merged_into IS NULL
		AND l.stage IN (?`+strings.Repeat(",?", len(open)-1)+`)`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var owner, id int64
		var status sql.NullString
		var due sql.NullInt64
		if err := rows.Scan(&owner, &id, &status, &due); err != nil {
			return nil, err
		}
		w := out[owner]
		if w == nil {
			w = &Workload{}
			out[owner] = w
		}
		w.Open++
		if status.Valid && (&Clock{Status: status.String, DueAt: fromMillis(due.Int64)}).Overdue(now) {
			w.Overdue = append(w.Overdue, id)
		}
	}
	return out, rows.Err()
}

// ListedLeads reads live leads by ID, with the evaluation's list columns
// only (see listColumns), in no particular order.
func (db *DB) ListedLeads(ctx context.Context, ids []int64) ([]*Lead, error) {
	var out []*Lead
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+listColumns("")+` FROM leads WHERE merged_into IS NULL AND id IN (?`+
			strings.Repeat(",?", len(part)-1)+`)`), args...)
		leads, err := collect(rows, err, scanListed)
		if err != nil {
			return nil, err
		}
		out = append(out, leads...)
	}
	return out, nil
}
