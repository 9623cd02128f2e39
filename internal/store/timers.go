package store

import (
	"context"
	"fmt"
	"time"
)

// Timer kinds. A timer is a row with a due time; the waterfall's poller
// claims due timers and carries out each one's effect exactly once, in the
// same transaction that marks it fired.
const (
	TimerSync      = "sync"      // look at a lead whose evaluation changed: route, hand off, nurture
	TimerRoute     = "route"     // try again to give a queued lead to a team member
	TimerBreach    = "breach"    // a first-touch deadline (ref: the clock)
	TimerEscalate  = "escalate"  // the grace period after a breach (ref: the clock)
	TimerRecontact = "recontact" // a nurtured lead is due to be contacted again
	TimerDueSoon   = "due_soon"  // warn the owner a first touch is about to fall due (ref: the clock)
)

// Timer is one pending or fired timer.
type Timer struct {
	ID      int64
	LeadID  int64
	Kind    string
	Ref     int64
	Due     time.Time
	FiredAt time.Time
}

// Schedule adds a timer unless the lead already has one of that kind and
// reference pending (then the earlier one stands). The row is written with
// the transaction's other buffered rows at commit, and the poller of this
// process is woken if it is due.
func (tx *Tx) Schedule(ctx context.Context, t Timer, now time.Time) {
	tx.timers = append(tx.timers, t.LeadID, t.Kind, t.Ref, millis(t.Due), millis(now))
	if !t.Due.After(now) {
		tx.wake = true
	}
}

// CancelTimers marks a lead's pending timers of some kinds as fired without
// effect (a touched clock's breach, a re-contact of a lead back in play).
func (tx *Tx) CancelTimers(ctx context.Context, leadID int64, now time.Time, kinds ...string) error {
	for _, k := range kinds {
		if _, err := tx.exec(ctx, `UPDATE timers SET fired_at = ?, outcome = 'cancelled' WHERE lead_id = ? AND kind = ? AND fired_at IS NULL`,
			millis(now), leadID, k); err != nil {
			return fmt.Errorf("cancel %s timers: %w", k, err)
		}
	}
	return nil
}

// PendingTimers lists a lead's pending timers, earliest first.
func (tx *Tx) PendingTimers(ctx context.Context, leadID int64) ([]Timer, error) {
	rows, err := tx.rows(ctx, `SELECT id, lead_id, kind, ref, due_at FROM timers WHERE lead_id = ? AND fired_at IS NULL ORDER BY due_at, id`, leadID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Timer
	for rows.Next() {
		var t Timer
		var due int64
		if err := rows.Scan(&t.ID, &t.LeadID, &t.Kind, &t.Ref, &due); err != nil {
			return nil, err
		}
		t.Due = fromMillis(due)
		out = append(out, t)
	}
	return out, rows.Err()
}

// ClaimDueTimers returns up to limit timers due at now, earliest first, and
// marks them fired in this transaction: the caller carries out their
// effects in the same transaction, so an effect happens exactly once. On
// PostgreSQL rows another server has claimed are skipped, not waited for.
func (tx *Tx) ClaimDueTimers(ctx context.Context, now time.Time, limit int) ([]Timer, error) {
	lock := ""
	if tx.db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	rows, err := tx.rows(ctx, `SELECT id, lead_id, kind, ref, due_at FROM timers WHERE fired_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?`+lock,
		millis(now), limit)
	if err != nil {
		return nil, err
	}
	var out []Timer
	for rows.Next() {
		var t Timer
		var due int64
		if err := rows.Scan(&t.ID, &t.LeadID, &t.Kind, &t.Ref, &due); err != nil {
			rows.Close()
			return nil, err
		}
		t.Due, t.FiredAt = fromMillis(due), now
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, t := range out {
		if _, err := tx.exec(ctx, `UPDATE timers SET fired_at = ?, outcome = 'fired' WHERE id = ?`, millis(now), t.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// TimerOutcome records what a fired timer did (for operations).
func (tx *Tx) TimerOutcome(ctx context.Context, id int64, outcome string) error {
	_, err := tx.exec(ctx, `UPDATE timers SET outcome = ? WHERE id = ?`, outcome, id)
	return err
}

// NextTimerDue is when the earliest pending timer is due, if any.
func (db *DB) NextTimerDue(ctx context.Context) (time.Time, bool, error) {
	var due *int64
	if err := db.sql.QueryRowContext(ctx, `SELECT min(due_at) FROM timers WHERE fired_at IS NULL`).Scan(&due); err != nil {
		return time.Time{}, false, err
	}
	if due == nil {
		return time.Time{}, false, nil
	}
	return fromMillis(*due), true, nil
}

// TimerWake is signalled after a commit that scheduled a timer already due,
// so this process's poller acts at once instead of at its next tick.
func (db *DB) TimerWake() <-chan struct{} { return db.wake }

// PostponeTimer gives a failed timer another try later (1 minute, doubling
// per attempt); after ten attempts it is given up, with the error kept as
// its outcome.
func (db *DB) PostponeTimer(ctx context.Context, id int64, now time.Time, errText string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var attempts int
		if err := tx.row(ctx, `SELECT attempts FROM timers WHERE id = ?`, id).Scan(&attempts); err != nil {
			return err
		}
		attempts++
		if attempts >= 10 {
			_, err := tx.exec(ctx, `UPDATE timers SET attempts = ?, fired_at = ?, outcome = ? WHERE id = ?`, attempts, millis(now), "failed: "+errText, id)
			return err
		}
		due := now.Add(time.Minute << (attempts - 1))
		_, err := tx.exec(ctx, `UPDATE timers SET attempts = ?, fired_at = NULL, due_at = ?, outcome = ? WHERE id = ?`, attempts, millis(due), "retry: "+errText, id)
		return err
	})
}
