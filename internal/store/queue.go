package store

import (
	"context"
	"fmt"
	"strings"
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
