package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// Session is a signed-in browser, known by the hash of its cookie.
type Session struct {
	IDHash    string
	UserID    int64
	CSRF      string
	CreatedAt time.Time
	SeenAt    time.Time
	IP        string
	UserAgent string
}

// InsertSession stores a new session.
func (db *DB) InsertSession(ctx context.Context, s *Session) error {
	_, err := db.execWrite(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created_at, seen_at, ip, user_agent) VALUES (?,?,?,?,?,?,?)`,
		s.IDHash, s.UserID, s.CSRF, millis(s.CreatedAt), millis(s.SeenAt), s.IP, s.UserAgent)
	return err
}

// SessionByHash loads a session and its user in one query.
func (db *DB) SessionByHash(ctx context.Context, hash string) (*Session, *User, error) {
	var (
		s             Session
		created, seen int64
	)
	row := db.queryRow(ctx, `SELECT s.id_hash, s.user_id, s.csrf, s.created_at, s.seen_at, s.ip, s.user_agent, `+
		prefixed("u.", userColumns)+` FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, hash)
	u, err := scanUser(scanFunc(func(dest ...any) error {
		return row.Scan(append([]any{&s.IDHash, &s.UserID, &s.CSRF, &created, &seen, &s.IP, &s.UserAgent}, dest...)...)
	}))
	if err != nil {
		return nil, nil, err
	}
	s.CreatedAt, s.SeenAt = fromMillis(created), fromMillis(seen)
	return &s, u, nil
}

// scanFunc lets a function stand for a row's Scan.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// prefixed qualifies each column of a list with a table alias.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// TouchSession records that a session was used at now.
func (db *DB) TouchSession(ctx context.Context, hash string, now time.Time) error {
	_, err := db.execWrite(ctx, `UPDATE sessions SET seen_at = ? WHERE id_hash = ?`, millis(now), hash)
	return err
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	_, err := db.execWrite(ctx, `DELETE FROM sessions WHERE id_hash = ?`, hash)
	return err
}

// DeleteUserSessions ends every session of a user but keep (which may be
// "").
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64, keep string) error {
	_, err := db.execWrite(ctx, `DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?`, userID, keep)
	return err
}

// DeleteSessionsBefore removes sessions last seen before a time (expired).
func (db *DB) DeleteSessionsBefore(ctx context.Context, seen time.Time) error {
	_, err := db.execWrite(ctx, `DELETE FROM sessions WHERE seen_at < ?`, millis(seen))
	return err
}

// SetPasswordHash stores a user's password hash.
func (db *DB) SetPasswordHash(ctx context.Context, userID int64, hash string, now time.Time) error {
	res, err := db.execWrite(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, millis(now), userID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

// PasswordHash loads a user's password hash ("" when they have none).
func (db *DB) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var h string
	err := db.sql.QueryRowContext(ctx, db.q(`SELECT password_hash FROM users WHERE id = ?`), userID).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return h, err
}
