package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Definition is a stored version of a lead definition.
type Definition struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	Version     string     `json:"version,omitempty"`
	Hash        string     `json:"hash"`
	Source      string     `json:"source,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	ActivatedAt *time.Time `json:"activated_at,omitempty"`
	// ActivatedBy is who last activated it: a user's e-mail or a token's name.
	ActivatedBy string `json:"activated_by,omitempty"`
	Active      bool   `json:"active"`
}

// InsertDefinition stores a definition version.
func (tx *Tx) InsertDefinition(ctx context.Context, d *Definition) error {
	id, err := tx.insert(ctx, `INSERT INTO definitions (name, version, hash, source, created_at) VALUES (?, ?, ?, ?, ?)`,
		d.Name, d.Version, d.Hash, d.Source, millis(d.CreatedAt))
	d.ID = id
	return err
}

// ActivateDefinition makes a version the active one, recording who did.
func (tx *Tx) ActivateDefinition(ctx context.Context, id int64, now time.Time, by string) error {
	if err := tx.lockDefinitions(ctx); err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE definitions SET activated_at = ?, activated_by = ? WHERE id = ?`, millis(now), by, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

const definitionColumns = `id, name, version, hash, source, created_at, activated_at, activated_by`

func scanDefinition(sc interface{ Scan(...any) error }) (*Definition, error) {
	var (
		d         Definition
		created   int64
		activated sql.NullInt64
	)
	if err := sc.Scan(&d.ID, &d.Name, &d.Version, &d.Hash, &d.Source, &created, &activated, &d.ActivatedBy); err != nil {
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
