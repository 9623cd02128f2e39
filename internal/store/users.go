package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// User is a person who works leads: marketing, a BDR, a rep, a manager.
type User struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Email     string     `json:"email"`
	Role      string     `json:"role"`
	Language  string     `json:"language"`
	Timezone  string     `json:"timezone,omitempty"`
	Active    bool       `json:"active"`
	AwayFrom  *time.Time `json:"away_from,omitempty"`
	AwayUntil *time.Time `json:"away_until,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Away reports whether the user is out of office at t.
func (u *User) Away(t time.Time) bool {
	if u.AwayFrom == nil && u.AwayUntil == nil {
		return false
	}
	if u.AwayFrom != nil && t.Before(*u.AwayFrom) {
		return false
	}
	return u.AwayUntil == nil || t.Before(*u.AwayUntil)
}

const userColumns = `id, name, email, role, language, timezone, active, away_from, away_until, created_at, updated_at`

func scanUser(sc interface{ Scan(...any) error }) (*User, error) {
	var (
		u                User
		active           int64
		from, until      sql.NullInt64
		created, updated int64
	)
	if err := sc.Scan(&u.ID, &u.Name, &u.Email, &u.Role, &u.Language, &u.Timezone, &active, &from, &until, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	u.Active, u.CreatedAt, u.UpdatedAt = active != 0, fromMillis(created), fromMillis(updated)
	u.AwayFrom, u.AwayUntil = optTime(from), optTime(until)
	return &u, nil
}

func optTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMillis(v.Int64)
	return &t
}

func optMillis(t *time.Time) any {
	if t == nil {
		return nil
	}
	return millis(*t)
}

// InsertUser stores a new user and sets its ID. A taken e-mail is a
// conflict (IsConflict).
func (db *DB) InsertUser(ctx context.Context, u *User) error {
	return db.InTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO users (name, email, role, language, timezone, active, away_from, away_until, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?)`, u.Name, u.Email, u.Role, u.Language, u.Timezone, boolInt(u.Active),
			optMillis(u.AwayFrom), optMillis(u.AwayUntil), millis(u.CreatedAt), millis(u.UpdatedAt))
		u.ID = id
		return err
	})
}

// UpdateUser saves every field of a user.
func (db *DB) UpdateUser(ctx context.Context, u *User) error {
	_, err := db.execWrite(ctx, `UPDATE users SET name=?, email=?, role=?, language=?, timezone=?, active=?, away_from=?, away_until=?, updated_at=? WHERE id=?`,
		u.Name, u.Email, u.Role, u.Language, u.Timezone, boolInt(u.Active), optMillis(u.AwayFrom), optMillis(u.AwayUntil), millis(u.UpdatedAt), u.ID)
	return err
}

// User loads a user by ID.
func (db *DB) User(ctx context.Context, id int64) (*User, error) {
	return scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// UserByEmail loads a user by e-mail (as stored: lower case).
func (db *DB) UserByEmail(ctx context.Context, email string) (*User, error) {
	return scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
}

// User loads a user by ID inside a transaction.
func (tx *Tx) User(ctx context.Context, id int64) (*User, error) {
	return scanUser(tx.row(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// Users lists every user by name.
func (db *DB) Users(ctx context.Context) ([]*User, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name, id`)
	return collect(rows, err, scanUser)
}
