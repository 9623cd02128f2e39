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
	err := db.sql.QueryRowContext(ctx, db.q(`SELECT t.id, t.name, t.role, t.user_id, t.created_at FROM tokens t
		LEFT JOIN users u ON u.id = t.user_id
		WHERE t.hash = ? AND t.revoked_at IS NULL AND (t.user_id IS NULL OR u.active = 1)`), hash).
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

// Definition is a stored version of a lead definition.
type Definition struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	Version     string     `json:"version,omitempty"`
	Hash        string     `json:"hash"`
	Source      string     `json:"source,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	ActivatedAt *time.Time `json:"activated_at,omitempty"`
	Active      bool       `json:"active"`
}

// InsertDefinition stores a definition version.
func (tx *Tx) InsertDefinition(ctx context.Context, d *Definition) error {
	id, err := tx.insert(ctx, `INSERT INTO definitions (name, version, hash, source, created_at) VALUES (?, ?, ?, ?, ?)`,
		d.Name, d.Version, d.Hash, d.Source, millis(d.CreatedAt))
	d.ID = id
	return err
}

// ActivateDefinition makes a version the active one.
func (tx *Tx) ActivateDefinition(ctx context.Context, id int64, now time.Time) error {
	res, err := tx.exec(ctx, `UPDATE definitions SET activated_at = ? WHERE id = ?`, millis(now), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

const definitionColumns = `id, name, version, hash, source, created_at, activated_at`

func scanDefinition(sc interface{ Scan(...any) error }) (*Definition, error) {
	var (
		d         Definition
		created   int64
		activated sql.NullInt64
	)
	if err := sc.Scan(&d.ID, &d.Name, &d.Version, &d.Hash, &d.Source, &created, &activated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	d.CreatedAt = fromMillis(created)
	if activated.Valid {
		t := fromMillis(activated.Int64)
		d.ActivatedAt = &t
	}
	return &d, nil
}

// ActiveDefinition is the most recently activated definition.
func (db *DB) ActiveDefinition(ctx context.Context) (*Definition, error) {
	d, err := scanDefinition(db.sql.QueryRowContext(ctx, `SELECT `+definitionColumns+` FROM definitions WHERE activated_at IS NOT NULL ORDER BY activated_at DESC, id DESC LIMIT 1`))
	if d != nil {
		d.Active = true
	}
	return d, err
}

// DefinitionByID loads one version.
func (db *DB) DefinitionByID(ctx context.Context, id int64) (*Definition, error) {
	return scanDefinition(db.sql.QueryRowContext(ctx, db.q(`SELECT `+definitionColumns+` FROM definitions WHERE id = ?`), id))
}

// Definitions lists versions, newest first, without their source.
func (db *DB) Definitions(ctx context.Context) ([]*Definition, error) {
	active, err := db.ActiveDefinition(ctx)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+definitionColumns+` FROM definitions ORDER BY id DESC LIMIT 200`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Definition
	for rows.Next() {
		d, err := scanDefinition(rows)
		if err != nil {
			return nil, err
		}
		d.Active = active != nil && d.ID == active.ID
		d.Source = ""
		out = append(out, d)
	}
	return out, rows.Err()
}

// Reevaluation tracks re-evaluating every lead after a definition change.
type Reevaluation struct {
	ID           int64      `json:"id"`
	DefinitionID int64      `json:"definition_id"`
	Total        int64      `json:"total"`
	Done         int64      `json:"done"`
	StartedAt    time.Time  `json:"started_at"`
	FinishedAt   *time.Time `json:"finished_at,omitempty"`
	Error        string     `json:"error,omitempty"`
}

// StartReevaluation records the start of a re-evaluation.
func (db *DB) StartReevaluation(ctx context.Context, r *Reevaluation) error {
	return db.InTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO reevaluations (definition_id, total, done, started_at) VALUES (?, ?, 0, ?)`,
			r.DefinitionID, r.Total, millis(r.StartedAt))
		r.ID = id
		return err
	})
}

// ProgressReevaluation records progress, and the end when finished is set.
func (db *DB) ProgressReevaluation(ctx context.Context, id, done int64, finished *time.Time, errText string) error {
	var fin any
	if finished != nil {
		fin = millis(*finished)
	}
	_, err := db.sql.ExecContext(ctx, db.q(`UPDATE reevaluations SET done = ?, finished_at = ?, error = ? WHERE id = ?`), done, fin, nullString(errText), id)
	return err
}

// LatestReevaluation is the newest re-evaluation of a definition.
func (db *DB) LatestReevaluation(ctx context.Context, definitionID int64) (*Reevaluation, error) {
	var (
		r        Reevaluation
		started  int64
		finished sql.NullInt64
		errText  sql.NullString
	)
	err := db.sql.QueryRowContext(ctx, db.q(`SELECT id, definition_id, total, done, started_at, finished_at, error FROM reevaluations WHERE definition_id = ? ORDER BY id DESC LIMIT 1`), definitionID).
		Scan(&r.ID, &r.DefinitionID, &r.Total, &r.Done, &started, &finished, &errText)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	r.StartedAt, r.Error = fromMillis(started), errText.String
	if finished.Valid {
		t := fromMillis(finished.Int64)
		r.FinishedAt = &t
	}
	return &r, nil
}

// PutForm stores a web form's configuration (JSON).
func (db *DB) PutForm(ctx context.Context, name string, config []byte, now time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO forms (name, config, created_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`, name, string(config), millis(now), millis(now))
		return err
	})
}

// Form loads a web form's configuration.
func (db *DB) Form(ctx context.Context, name string) ([]byte, error) {
	var cfg string
	err := db.sql.QueryRowContext(ctx, db.q(`SELECT config FROM forms WHERE name = ?`), name).Scan(&cfg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return []byte(cfg), err
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

// RevokeToken stops a token from working (servers notice within 30 s,
// the life of their token cache).
func (db *DB) RevokeToken(ctx context.Context, id int64, now time.Time) error {
	res, err := db.sql.ExecContext(ctx, db.q(`UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`), millis(now), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
