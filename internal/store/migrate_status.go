package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNewerSchema says the database was migrated by a newer Pista than this
// one. Running on it could write rows the newer schema does not expect, so
// the server and every command refuse it.
var ErrNewerSchema = errors.New("database schema is newer than this version of Pista")

// MigrationState is one migration and whether this database has it.
type MigrationState struct {
	Migration
	Applied   bool
	AppliedAt time.Time // zero when pending
}

// MigrationStatus lists every migration this binary knows, applied or
// pending, and refuses a database that a newer version migrated.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	list, err := db.Migrations()
	if err != nil {
		return nil, err
	}
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	if err := newerThan(list, applied); err != nil {
		return nil, err
	}
	out := make([]MigrationState, len(list))
	for i, m := range list {
		out[i].Migration = m
		if at, ok := applied[m.Version]; ok {
			out[i].Applied, out[i].AppliedAt = true, time.UnixMilli(at).UTC()
		}
	}
	return out, nil
}

// appliedMigrations reads the recorded versions and when each was applied;
// a database never migrated has none.
func (db *DB) appliedMigrations(ctx context.Context) (map[int]int64, error) {
	applied := map[int]int64{}
	var exists int
	check := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if db.dialect == Postgres {
		check = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`
	}
	if err := db.sql.QueryRowContext(ctx, check).Scan(&exists); err != nil {
		return nil, fmt.Errorf("migrations table: %w", err)
	}
	if exists == 0 {
		return applied, nil
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT version, applied_at FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("migrations table: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		var at int64
		if err := rows.Scan(&v, &at); err != nil {
			return nil, err
		}
		applied[v] = at
	}
	return applied, rows.Err()
}

// refuseNewer fails when the database records a migration this binary does
// not know: a newer Pista migrated it.
func (db *DB) refuseNewer(ctx context.Context, list []Migration) error {
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	return newerThan(list, applied)
}

func newerThan(list []Migration, applied map[int]int64) error {
	known := 0
	if len(list) > 0 {
		known = list[len(list)-1].Version
	}
	newest := 0
	for v := range applied {
		newest = max(newest, v)
	}
	if newest > known {
		return fmt.Errorf("%w: the database is at schema version %d, this binary knows up to %d; run the newer Pista, or restore a backup taken before the upgrade", ErrNewerSchema, newest, known)
	}
	return nil
}
