package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

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

// Overdue reports whether the first touch is late at now: breached, or
// past due while neither met, cancelled nor paused.
func (c *Clock) Overdue(now time.Time) bool {
	switch c.Status {
	case ClockMet, ClockCancelled, ClockPaused:
		return false
	}
	return c.Status == ClockBreached || now.After(c.DueAt)
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

// ClockFact is what the follow-up report reads of a clock.
type ClockFact struct {
	LeadID    int64
	Team      string
	UserID    int64
	Status    string
	StartedAt time.Time
	TouchedAt *time.Time
}

// ClockFacts calls fn with the clocks started in [from, to), by start,
// read from an index that holds these columns (no table lookups).
func (db *DB) ClockFacts(ctx context.Context, from, to time.Time, fn func(*ClockFact)) error {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT lead_id, team, coalesce(user_id, 0), status, started_at, touched_at FROM clocks
		WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id`), millis(from), millis(to))
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		c       ClockFact
		started int64
		touched sql.NullInt64
		at      time.Time
	)
	for rows.Next() {
		if err := rows.Scan(&c.LeadID, &c.Team, &c.UserID, &c.Status, &started, &touched); err != nil {
			return err
		}
		c.StartedAt, c.TouchedAt = fromMillis(started), nil
		if touched.Valid {
			at = fromMillis(touched.Int64)
			c.TouchedAt = &at
		}
		fn(&c)
	}
	return rows.Err()
}
