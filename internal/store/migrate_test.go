package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestImportRowsMigration: rows imported before migration 007 kept their
// keys in the idempotency table; the migration moves them under their
// leads, so importing the same file again still stores nothing.
func TestImportRowsMigration(t *testing.T) {
	ctx := context.Background()
	for _, target := range rawTargets(t) {
		insert := `INSERT INTO idempotency (token_id, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`
		if target.driver == "pgx" {
			insert = `INSERT INTO idempotency (token_id, key, fingerprint, status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)`
		}
		t.Run(target.name, func(t *testing.T) {
			db := openMigrated(t, target.dsn)
			raw, err := sql.Open(target.driver, target.dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			// The database as a session before migration 007 left it.
			for _, q := range []string{`DROP TABLE import_rows`, `DELETE FROM schema_migrations WHERE version = 7`} {
				if _, err := raw.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			for _, r := range []struct {
				token int64
				key   string
				body  string
			}{
				{-1, "import:aa", `{"lead_id":42,"created":true,"stage":"inquiry"}`},
				{-1, "import:bb", `{"lead_id":42,"created":false,"stage":"inquiry"}`},
				{7, "api-key", `{"lead_id":43}`},
			} {
				if _, err := raw.Exec(insert, r.token, r.key, r.key, 201, []byte(r.body), 1); err != nil {
					t.Fatal(err)
				}
			}
			applied, err := db.Migrate(ctx)
			if err != nil || len(applied) != 1 {
				t.Fatalf("applied %v: %v", applied, err)
			}
			var rows []store.ImportedRow
			err = db.InTx(ctx, func(tx *store.Tx) error {
				found, err := tx.ImportedRows(ctx, []int64{42, 43})
				for _, k := range []string{"import:aa", "import:bb"} {
					if r := found[k]; r != nil {
						rows = append(rows, *r)
					}
				}
				if len(found) != 2 {
					t.Errorf("found %d imported rows, want 2", len(found))
				}
				return err
			})
			if err != nil || len(rows) != 2 || rows[0].LeadID != 42 || rows[0].Status != 201 || string(rows[1].Body) != `{"lead_id":42,"created":false,"stage":"inquiry"}` {
				t.Fatalf("imported rows %+v: %v", rows, err)
			}
			var left, api int
			raw.QueryRow(`SELECT count(*) FROM idempotency WHERE token_id = -1`).Scan(&left)
			raw.QueryRow(`SELECT count(*) FROM idempotency WHERE token_id = 7`).Scan(&api)
			if left != 0 || api != 1 {
				t.Errorf("idempotency keeps %d imported rows and %d API keys, want 0 and 1", left, api)
			}
		})
	}
}

// rawTarget is a database a migration test opens both through the store
// and raw (driver, dsn), to set it back to how it was before a migration.
type rawTarget struct{ name, driver, dsn string }

// rawTargets are a new SQLite file and, where PostgreSQL is at hand, a
// new schema.
func rawTargets(t *testing.T) []rawTarget {
	targets := []rawTarget{{"sqlite", "sqlite", filepath.Join(t.TempDir(), "old.db")}}
	for _, tt := range storetest.Targets() {
		if tt.Name == "postgres" {
			targets = append(targets, rawTarget{"postgres", "pgx", storetest.PostgresURL(t)})
		}
	}
	return targets
}

// openMigrated opens the database at dsn through the store, migrated; it
// is closed when the test ends.
func openMigrated(t *testing.T, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}
