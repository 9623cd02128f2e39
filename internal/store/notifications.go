package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Notification kinds: what a user is told without watching the screen.
const (
	NotifyAssigned   = "assigned"   // a lead was given to the user
	NotifyReassigned = "reassigned" // a lead was taken from someone and given to the user
	NotifyTakenAway  = "taken_away" // a lead of the user's was given to someone else
	NotifyDueSoon    = "due_soon"   // the user's first touch of a lead is about to fall due
	NotifyBreached   = "breached"   // a first touch in the manager's team was missed
)

// Mail states of a notification (its e-mail outbox row).
const (
	MailPending = "pending" // due at mail_next_at
	MailSent    = "sent"
	MailFailed  = "failed" // not sent before mail_give_up_at
)

// MailWindow is how long a notification's e-mail is retried: after a day
// it is no longer news.
const MailWindow = 24 * time.Hour

// Notification is one thing a user is told, in the app and by e-mail.
// Data holds what the message shows (the lead's name, the due time...),
// as it was when the notification was made.
type Notification struct {
	ID        int64           `json:"id"`
	UserID    int64           `json:"user_id"`
	Kind      string          `json:"kind"`
	LeadID    int64           `json:"lead_id,omitempty"`
	Data      json.RawMessage `json:"data"`
	CreatedAt time.Time       `json:"created_at"`
	ReadAt    *time.Time      `json:"read_at,omitempty"`
	// MailStatus is pending, sent or failed.
	MailStatus string `json:"mail_status"`
}

// Notify stores a notification in the transaction that made it happen, so
// it exists exactly when that change committed; its e-mail is due at once.
func (tx *Tx) Notify(ctx context.Context, n *Notification) error {
	data := string(n.Data)
	if data == "" {
		data = "{}"
	}
	at := millis(n.CreatedAt)
	id, err := tx.insert(ctx, `INSERT INTO notifications (user_id, kind, lead_id, data, created_at, mail_status, mail_next_at, mail_give_up_at)
		VALUES (?,?,?,?,?,?,?,?)`, n.UserID, n.Kind, nullInt(n.LeadID), data, at, MailPending, at, millis(n.CreatedAt.Add(MailWindow)))
	if err != nil {
		return fmt.Errorf("notify user %d (%s): %w", n.UserID, n.Kind, err)
	}
	n.ID, n.MailStatus = id, MailPending
	return nil
}

const notificationColumns = `id, user_id, kind, lead_id, data, created_at, read_at, mail_status`

func scanNotification(sc interface{ Scan(...any) error }) (*Notification, error) {
	var (
		n       Notification
		leadID  sql.NullInt64
		data    string
		created int64
		read    sql.NullInt64
	)
	if err := sc.Scan(&n.ID, &n.UserID, &n.Kind, &leadID, &data, &created, &read, &n.MailStatus); err != nil {
		return nil, err
	}
	n.LeadID, n.Data, n.CreatedAt, n.ReadAt = leadID.Int64, json.RawMessage(data), fromMillis(created), optTime(read)
	return &n, nil
}

// Notifications lists a user's notifications, newest first: up to limit
// with an ID below before (0: from the newest).
func (db *DB) Notifications(ctx context.Context, userID, before int64, limit int) ([]*Notification, error) {
	q := `SELECT ` + notificationColumns + ` FROM notifications WHERE user_id = ?`
	args := []any{userID}
	if before > 0 {
		q += ` AND id < ?`
		args = append(args, before)
	}
	args = append(args, limit)
	rows, err := db.sql.QueryContext(ctx, db.q(q+` ORDER BY id DESC LIMIT ?`), args...)
	return collect(rows, err, scanNotification)
}

// UnreadNotifications counts a user's unread notifications (the badge).
func (db *DB) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	return n, err
}

// MarkNotificationsRead marks a user's notifications read: those listed,
// or all of them when ids is empty. Another user's IDs are left alone.
func (db *DB) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64, now time.Time) (int64, error) {
	q := `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`
	args := []any{millis(now), userID}
	if len(ids) > 0 {
		q += ` AND id IN (` + placeholders(len(ids)) + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	res, err := db.execWrite(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DueMail is a claimed notification with its recipient, ready to be sent.
// LeaseToken proves the claim when the outcome is recorded.
type DueMail struct {
	Notification
	To         *User
	Attempts   int // before this one
	GiveUpAt   time.Time
	LeaseToken string
}

// ClaimMail leases up to limit notifications whose e-mail is due, until
// now+lease, and returns them with their recipients. The claim commits
// before any SMTP conversation, so no transaction stays open across the
// network; on PostgreSQL SKIP LOCKED lets several servers claim disjoint
// sets. E-mails not sent before their give-up time are marked failed
// first. Inactive users' e-mails are not sent.
func (db *DB) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*DueMail, error) {
	b := make([]byte, 12)
	rand.Read(b)
	token := hex.EncodeToString(b)
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	// Asked with a read first: the claim takes the write lock, which
	// intake's next commit would have to wait for even when nothing is due.
	var due int
	err := db.sql.QueryRowContext(ctx, db.q(`SELECT count(*) FROM (SELECT 1 FROM notifications
		WHERE mail_status = 'pending' AND mail_next_at <= ? AND (mail_lease_until IS NULL OR mail_lease_until <= ?) LIMIT 1) m`), millis(now), millis(now)).Scan(&due)
	if err != nil {
		return nil, fmt.Errorf("mail due: %w", err)
	}
	if due == 0 {
		return nil, nil
	}
	var out []*DueMail
	err = db.InTx(ctx, func(tx *Tx) error {
		out = nil
		if _, err := tx.exec(ctx, `UPDATE notifications SET mail_status = 'failed', mail_error = CASE WHEN mail_error = '' THEN 'not sent before the give-up time' ELSE mail_error END
			WHERE mail_status = 'pending' AND mail_next_at <= ? AND mail_give_up_at <= ? AND (mail_lease_until IS NULL OR mail_lease_until <= ?)`,
			millis(now), millis(now), millis(now)); err != nil {
			return fmt.Errorf("expire mail: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE notifications SET mail_status = 'failed', mail_error = 'the user is inactive'
			WHERE mail_status = 'pending' AND mail_next_at <= ? AND user_id IN (SELECT id FROM users WHERE active = 0)`, millis(now)); err != nil {
			return fmt.Errorf("skip inactive users' mail: %w", err)
		}
		res, err := tx.exec(ctx, `UPDATE notifications SET mail_lease_until = ?, mail_lease_token = ? WHERE id IN (
			SELECT id FROM notifications WHERE mail_status = 'pending' AND mail_next_at <= ? AND (mail_lease_until IS NULL OR mail_lease_until <= ?)
			ORDER BY mail_next_at, id LIMIT ?`+lock+`)`, millis(now.Add(lease)), token, millis(now), millis(now), limit)
		if err != nil {
			return fmt.Errorf("claim mail: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		rows, err := tx.rows(ctx, `SELECT n.id, n.user_id, n.kind, n.lead_id, n.data, n.created_at, n.read_at, n.mail_status, n.mail_attempts, n.mail_give_up_at
			FROM notifications n WHERE n.mail_lease_token = ? ORDER BY n.mail_next_at, n.id`, token)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				m      DueMail
				giveUp int64
			)
			n, err := scanNotification(scanPlus{rows, []any{&m.Attempts, &giveUp}})
			if err != nil {
				return err
			}
			m.Notification, m.GiveUpAt, m.LeaseToken = *n, fromMillis(giveUp), token
			out = append(out, &m)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range out {
			if m.To, err = tx.User(ctx, m.UserID); err != nil {
				return fmt.Errorf("notification %d: user %d: %w", m.ID, m.UserID, err)
			}
		}
		return nil
	})
	return out, err
}

// scanPlus scans a row whose first columns are another scanner's, and
// the rest into extra.
type scanPlus struct {
	rows  *sql.Rows
	extra []any
}

func (s scanPlus) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra...)...) }

// FinishMail records one attempt at a claimed e-mail: sent, failed for
// good, or pending again at next with the error kept. It reports false
// when the lease was lost (it ran out and another mailer took the row).
func (db *DB) FinishMail(ctx context.Context, m *DueMail, status, errText string, at, next time.Time) (bool, error) {
	var sent any
	if status == MailSent {
		sent = millis(at)
	}
	if status != MailPending {
		next = at
	}
	res, err := db.execWrite(ctx, `UPDATE notifications SET mail_status = ?, mail_attempts = mail_attempts + 1, mail_next_at = ?, mail_error = ?,
		mailed_at = COALESCE(?, mailed_at), mail_lease_until = NULL, mail_lease_token = NULL WHERE id = ? AND mail_lease_token = ?`,
		status, millis(next), errText, sent, m.ID, m.LeaseToken)
	if err != nil {
		return false, fmt.Errorf("finish mail %d: %w", m.ID, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ReleaseMail gives a claimed e-mail back without an attempt (the server
// is shutting down).
func (db *DB) ReleaseMail(ctx context.Context, m *DueMail) error {
	_, err := db.execWrite(ctx, `UPDATE notifications SET mail_lease_until = NULL, mail_lease_token = NULL WHERE id = ? AND mail_lease_token = ?`, m.ID, m.LeaseToken)
	return err
}

// MailState is a notification's e-mail state, for tests and the admin.
func (db *DB) MailState(ctx context.Context, id int64) (status string, attempts int, lastError string, err error) {
	err = db.sql.QueryRowContext(ctx, db.q(`SELECT mail_status, mail_attempts, mail_error FROM notifications WHERE id = ?`), id).Scan(&status, &attempts, &lastError)
	if err == sql.ErrNoRows {
		err = ErrNotFound
	}
	return
}
