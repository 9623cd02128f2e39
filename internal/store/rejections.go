package store

import (
	"context"
	"time"
)

// Rejection is sales giving a lead back, with the reason: their feedback
// on the definition.
type Rejection struct {
	ID           int64     `json:"id"`
	LeadID       int64     `json:"lead_id"`
	UserID       int64     `json:"user_id,omitempty"`
	Team         string    `json:"team"`
	Reason       string    `json:"reason"`
	Text         string    `json:"text,omitempty"`
	ToStage      string    `json:"to_stage"`
	DefinitionID int64     `json:"definition_id,omitempty"`
	At           time.Time `json:"at"`
}

// InsertRejection stores a rejection and sets its ID.
func (tx *Tx) InsertRejection(ctx context.Context, r *Rejection) error {
	id, err := tx.insert(ctx, `INSERT INTO rejections (lead_id, user_id, team, reason, text, to_stage, definition_id, at) VALUES (?,?,?,?,?,?,?,?)`,
		r.LeadID, nullInt(r.UserID), r.Team, r.Reason, r.Text, r.ToStage, nullInt(r.DefinitionID), millis(r.At))
	r.ID = id
	return err
}

// RejectionCount is how many rejections share a reason, team, user and
// definition.
type RejectionCount struct {
	Reason       string `json:"reason"`
	Team         string `json:"team"`
	UserID       int64  `json:"user_id,omitempty"`
	DefinitionID int64  `json:"definition_id,omitempty"`
	Count        int64  `json:"count"`
}

// RejectionCounts groups the rejections in [from, to).
func (db *DB) RejectionCounts(ctx context.Context, from, to time.Time) ([]RejectionCount, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT reason, team, coalesce(user_id, 0), coalesce(definition_id, 0), count(*) FROM rejections
		WHERE at >= ? AND at < ? GROUP BY reason, team, user_id, definition_id ORDER BY count(*) DESC, reason, team`), millis(from), millis(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RejectionCount
	for rows.Next() {
		var c RejectionCount
		if err := rows.Scan(&c.Reason, &c.Team, &c.UserID, &c.DefinitionID, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
