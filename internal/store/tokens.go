package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Token is an API token; only its hash is stored.
type Token struct {
	ID   int64
	Name string
	Role string
	// UserID is the user the token acts as (0: a token for a system, such
	// as a website's integration). Load the user with DB.User.
	UserID    int64
	CreatedAt time.Time
}

// InsertToken stores a token by its hash.
func (db *DB) InsertToken(ctx context.Context, name, role, hash string, now time.Time) (int64, error) {
	return db.InsertUserToken(ctx, name, role, hash, 0, now)
}

// InsertUserToken stores a token that acts as a user (userID 0: none).
func (db *DB) InsertUserToken(ctx context.Context, name, role, hash string, userID int64, now time.Time) (int64, error) {
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.insert(ctx, `INSERT INTO tokens (name, role, hash, user_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			name, role, hash, nullInt(userID), millis(now))
		return err
	})
	return id, err
}

// TokenByHash finds a live token: not revoked, and not linked to a user
// who was deactivated (someone who left loses API access with their user).
func (db *DB) TokenByHash(ctx context.Context, hash string) (*Token, error) {
	var (
		t    Token
		at   int64
		user sql.NullInt64
	)
	err := db.queryRow(ctx, `SELECT t.id, t.name, t.role, t.user_id, t.created_at FROM tokens t
		LEFT JOIN users u ON u.id = t.user_id
		WHERE t.hash = ? AND `+tokenWorks, hash).
		Scan(&t.ID, &t.Name, &t.Role, &user, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	t.UserID, t.CreatedAt = user.Int64, fromMillis(at)
	return &t, nil
}

// Tokens lists the tokens (never their secrets), newest first.
func (db *DB) Tokens(ctx context.Context) ([]TokenInfo, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT t.id, t.name, t.role, t.user_id, COALESCE(u.email, ''), t.created_at, t.revoked_at
		FROM tokens t LEFT JOIN users u ON u.id = t.user_id ORDER BY t.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TokenInfo
	for rows.Next() {
		var (
			t       TokenInfo
			created int64
			revoked sql.NullInt64
			user    sql.NullInt64
		)
		if err := rows.Scan(&t.ID, &t.Name, &t.Role, &user, &t.UserEmail, &created, &revoked); err != nil {
			return nil, err
		}
		t.UserID, t.CreatedAt = user.Int64, fromMillis(created)
		if revoked.Valid {
			r := fromMillis(revoked.Int64)
			t.RevokedAt = &r
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TokenInfo describes a token for listing.
type TokenInfo struct {
	Token
	UserEmail string // of the user the token acts as, if any
	RevokedAt *time.Time
}

// RevokeToken stops a token from working at once: servers look tokens up
// on every request, or, for what they store, check them in the
// transaction that stores it (ValidTokens).
func (db *DB) RevokeToken(ctx context.Context, id int64, now time.Time) error {
	res, err := db.execWrite(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, millis(now), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// tokenWorks is the condition on a token t and its user u (LEFT JOIN)
// under which the token works, as TokenByHash, ValidTokens and
// EnsureCompanies read it.
const tokenWorks = `t.revoked_at IS NULL AND (t.user_id IS NULL OR u.active = 1)`

// validTokensQuery reads the IDs of the tokens that work among those its
// condition on t.id, which ends it, names.
const validTokensQuery = `SELECT t.id FROM tokens t LEFT JOIN users u ON u.id = t.user_id WHERE ` + tokenWorks + ` AND t.id `

// ValidTokens returns those of the tokens that still work: not revoked,
// and their user, if any, active. Read in the transaction that stores what
// the tokens sent, it refuses what a token revoked meanwhile sent, however
// the server found the token.
func (tx *Tx) ValidTokens(ctx context.Context, ids []int64) (map[int64]bool, error) {
	valid := map[int64]bool{}
	err := inChunks(ids, func(chunk []int64, ph string) error {
		found, err := column[int64](tx.rows(ctx, validTokensQuery+`IN (`+ph+`)`, anySlice(chunk)...))
		for _, id := range found {
			valid[id] = true
		}
		return err
	})
	return valid, err
}
