package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// Assignment statuses.
const (
	AssignOpen       = "open"       // routed, waiting for the owner to accept or reject
	AssignAccepted   = "accepted"   // the owner accepted the lead (SAL)
	AssignRejected   = "rejected"   // the owner gave it back to marketing
	AssignReassigned = "reassigned" // a manager or an escalation moved it
	AssignHandedOff  = "handed_off" // the definition now routes it to another team
	AssignClosed     = "closed"     // the lead left sales' hands (nurture, won, lost, ...)
)

// Assignment is a lead given to a team and, when one was free, a member.
// Reason holds why: the routing rule and the rotation state.
type Assignment struct {
	ID        int64           `json:"id"`
	LeadID    int64           `json:"lead_id"`
	Team      string          `json:"team"`
	UserID    int64           `json:"user_id,omitempty"`
	At        time.Time       `json:"at"`
	Actor     string          `json:"actor"`
	Reason    json.RawMessage `json:"reason"`
	Status    string          `json:"status"`
	EndedAt   *time.Time      `json:"ended_at,omitempty"`
	EndReason string          `json:"end_reason,omitempty"`
}

const assignmentColumns = `id, lead_id, team, user_id, at, actor, reason, status, ended_at, end_reason`

func scanAssignment(sc interface{ Scan(...any) error }) (*Assignment, error) {
	var (
		a         Assignment
		user      sql.NullInt64
		at        int64
		ended     sql.NullInt64
		endReason sql.NullString
		reason    string
	)
	if err := sc.Scan(&a.ID, &a.LeadID, &a.Team, &user, &at, &a.Actor, &reason, &a.Status, &ended, &endReason); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	a.UserID, a.At, a.EndedAt, a.EndReason, a.Reason = user.Int64, fromMillis(at), optTime(ended), endReason.String, json.RawMessage(reason)
	return &a, nil
}

// InsertAssignment stores an assignment and sets its ID.
func (tx *Tx) InsertAssignment(ctx context.Context, a *Assignment) error {
	id, err := tx.insert(ctx, `INSERT INTO assignments (lead_id, team, user_id, at, actor, reason, status) VALUES (?,?,?,?,?,?,?)`,
		a.LeadID, a.Team, nullInt(a.UserID), millis(a.At), a.Actor, string(a.Reason), a.Status)
	a.ID = id
	return err
}

// CurrentAssignment is the lead's open or accepted assignment.
func (tx *Tx) CurrentAssignment(ctx context.Context, leadID int64) (*Assignment, error) {
	return scanAssignment(tx.row(ctx, `SELECT `+assignmentColumns+` FROM assignments WHERE lead_id = ? AND status IN ('open', 'accepted') ORDER BY id DESC LIMIT 1`, leadID))
}

// UpdateAssignment saves an assignment's user, status and end.
func (tx *Tx) UpdateAssignment(ctx context.Context, a *Assignment) error {
	var endReason any
	if a.EndReason != "" {
		endReason = a.EndReason
	}
	_, err := tx.exec(ctx, `UPDATE assignments SET user_id=?, reason=?, status=?, ended_at=?, end_reason=? WHERE id=?`,
		nullInt(a.UserID), string(a.Reason), a.Status, optMillis(a.EndedAt), endReason, a.ID)
	return err
}

// Assignments lists a lead's assignments, oldest first.
func (db *DB) Assignments(ctx context.Context, leadID int64) ([]*Assignment, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+assignmentColumns+` FROM assignments WHERE lead_id = ? ORDER BY id`), leadID)
	return collect(rows, err, scanAssignment)
}
