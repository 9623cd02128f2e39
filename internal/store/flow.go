package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// SaveFlow stores what the waterfall changed on a lead: the human state,
// the flow JSON and the owner, and the stage column they imply. updated_at
// always moves forward, so a re-evaluation read before this change does
// not overwrite it (UpdateEvaluation checks updated_at).
func (tx *Tx) SaveFlow(ctx context.Context, l *Lead, now time.Time) error {
	var flow any
	if len(l.Flow) > 0 {
		flow = string(l.Flow)
	}
	_, err := tx.exec(ctx, `UPDATE leads SET human_stage=?, flow=?, owner=?, owner_id=?, stage=?,
		updated_at = CASE WHEN updated_at < ? THEN ? ELSE updated_at + 1 END WHERE id=?`,
		l.HumanStage, flow, l.Owner, nullInt(l.OwnerID), l.Stage(), millis(now), millis(now), l.ID)
	return err
}

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

// Clock statuses. A clock is pending until the first touch (met, or
// breached first), paused for a reason the definition allows, or
// cancelled when the lead leaves sales' hands untouched.
const (
	ClockPending   = "pending"
	ClockPaused    = "paused"
	ClockMet       = "met"
	ClockBreached  = "breached"
	ClockCancelled = "cancelled"
)

// Clock is one first-touch promise: a deadline in business time on the
// team's calendar.
type Clock struct {
	ID           int64      `json:"id"`
	LeadID       int64      `json:"lead_id"`
	AssignmentID int64      `json:"assignment_id"`
	Team         string     `json:"team"`
	UserID       int64      `json:"user_id,omitempty"`
	Policy       string     `json:"policy"`
	Calendar     string     `json:"calendar"`
	StartedAt    time.Time  `json:"started_at"`
	DueAt        time.Time  `json:"due_at"`
	Grace        string     `json:"grace,omitempty"`
	Reassign     bool       `json:"reassign,omitempty"`
	Status       string     `json:"status"`
	PausedAt     *time.Time `json:"paused_at,omitempty"`
	PauseReason  string     `json:"pause_reason,omitempty"`
	TouchedAt    *time.Time `json:"touched_at,omitempty"`
	BreachedAt   *time.Time `json:"breached_at,omitempty"`
	EscalatedAt  *time.Time `json:"escalated_at,omitempty"`
	DefinitionID int64      `json:"definition_id,omitempty"`
}

const clockColumns = `id, lead_id, assignment_id, team, user_id, policy, calendar, started_at, due_at, grace, reassign, status,
	paused_at, pause_reason, touched_at, breached_at, escalated_at, definition_id`

func scanClock(sc interface{ Scan(...any) error }) (*Clock, error) {
	var (
		c                                    Clock
		user, def                            sql.NullInt64
		started, due, reassign               int64
		paused, touched, breached, escalated sql.NullInt64
	)
	if err := sc.Scan(&c.ID, &c.LeadID, &c.AssignmentID, &c.Team, &user, &c.Policy, &c.Calendar, &started, &due, &c.Grace, &reassign, &c.Status,
		&paused, &c.PauseReason, &touched, &breached, &escalated, &def); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	c.UserID, c.DefinitionID, c.Reassign = user.Int64, def.Int64, reassign != 0
	c.StartedAt, c.DueAt = fromMillis(started), fromMillis(due)
	c.PausedAt, c.TouchedAt, c.BreachedAt, c.EscalatedAt = optTime(paused), optTime(touched), optTime(breached), optTime(escalated)
	return &c, nil
}

// InsertClock stores a clock and sets its ID.
func (tx *Tx) InsertClock(ctx context.Context, c *Clock) error {
	id, err := tx.insert(ctx, `INSERT INTO clocks (lead_id, assignment_id, team, user_id, policy, calendar, started_at, due_at, grace, reassign, status, definition_id)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, c.LeadID, c.AssignmentID, c.Team, nullInt(c.UserID), c.Policy, c.Calendar,
		millis(c.StartedAt), millis(c.DueAt), c.Grace, boolInt(c.Reassign), c.Status, nullInt(c.DefinitionID))
	c.ID = id
	return err
}

// UpdateClock saves a clock's changing fields.
func (tx *Tx) UpdateClock(ctx context.Context, c *Clock) error {
	_, err := tx.exec(ctx, `UPDATE clocks SET user_id=?, due_at=?, status=?, paused_at=?, pause_reason=?, touched_at=?, breached_at=?, escalated_at=? WHERE id=?`,
		nullInt(c.UserID), millis(c.DueAt), c.Status, optMillis(c.PausedAt), c.PauseReason, optMillis(c.TouchedAt), optMillis(c.BreachedAt), optMillis(c.EscalatedAt), c.ID)
	return err
}

// Clock loads a clock by ID.
func (tx *Tx) Clock(ctx context.Context, id int64) (*Clock, error) {
	return scanClock(tx.row(ctx, `SELECT `+clockColumns+` FROM clocks WHERE id = ?`, id))
}

// LatestClock is the lead's newest clock.
func (tx *Tx) LatestClock(ctx context.Context, leadID int64) (*Clock, error) {
	return scanClock(tx.row(ctx, `SELECT `+clockColumns+` FROM clocks WHERE lead_id = ? ORDER BY id DESC LIMIT 1`, leadID))
}

// Clocks lists a lead's clocks, oldest first.
func (db *DB) Clocks(ctx context.Context, leadID int64) ([]*Clock, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+clockColumns+` FROM clocks WHERE lead_id = ? ORDER BY id`), leadID)
	return collect(rows, err, scanClock)
}

// ClocksStarted lists the clocks started in [from, to), for reports.
func (db *DB) ClocksStarted(ctx context.Context, from, to time.Time) ([]*Clock, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+clockColumns+` FROM clocks WHERE started_at >= ? AND started_at < ? ORDER BY id`), millis(from), millis(to))
	return collect(rows, err, scanClock)
}

// Touch is a salesperson's contact with a lead.
type Touch struct {
	ID         int64     `json:"id"`
	LeadID     int64     `json:"lead_id"`
	UserID     int64     `json:"user_id,omitempty"`
	Kind       string    `json:"kind"`
	Outcome    string    `json:"outcome"`
	Note       string    `json:"note,omitempty"`
	At         time.Time `json:"at"`
	RecordedAt time.Time `json:"recorded_at"`
}

// InsertTouch stores a touch and sets its ID.
func (tx *Tx) InsertTouch(ctx context.Context, t *Touch) error {
	id, err := tx.insert(ctx, `INSERT INTO touches (lead_id, user_id, kind, outcome, note, at, recorded_at) VALUES (?,?,?,?,?,?,?)`,
		t.LeadID, nullInt(t.UserID), t.Kind, t.Outcome, t.Note, millis(t.At), millis(t.RecordedAt))
	t.ID = id
	return err
}

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
