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
	type target struct{ name, driver, dsn, insert string }
	const insert = `INSERT INTO idempotency (token_id, key, fingerprint, status, body, created_at) VALUES `
	targets := []target{{"sqlite", "sqlite", filepath.Join(t.TempDir(), "old.db"), insert + `(?, ?, ?, ?, ?, ?)`}}
	for _, tt := range storetest.Targets() {
		if tt.Name == "postgres" {
			targets = append(targets, target{"postgres", "pgx", storetest.PostgresURL(t), insert + `($1, $2, $3, $4, $5, $6)`})
		}
	}
	for _, target := range targets {
		t.Run(target.name, func(t *testing.T) {
			db, err := store.Open(ctx, target.dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
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
				if _, err := raw.Exec(target.insert, r.token, r.key, r.key, 201, []byte(r.body), 1); err != nil {
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
