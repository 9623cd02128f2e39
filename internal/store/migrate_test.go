package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
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
	return storetest.OpenAt(t, dsn, 1)[0]
}

// TestLeadsCompressedWithLZ4: on a PostgreSQL server that has lz4,
// migration 069 makes new leads' data and evaluation compress with it
// (pglz took 6 % of PostgreSQL's processor time in batch intake), and a
// lead so stored reads back whole.
func TestLeadsCompressedWithLZ4(t *testing.T) {
	ctx := context.Background()
	for _, target := range rawTargets(t) {
		if target.name != "postgres" {
			continue
		}
		db := openMigrated(t, target.dsn)
		raw, err := sql.Open(target.driver, target.dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(`CREATE TEMP TABLE lz4_here (a text COMPRESSION lz4)`); err != nil {
			t.Skipf("this PostgreSQL has no lz4: %v", err)
		}
		l := newLead("lz4@example.com", "", "", 10)
		l.Data.Person.Title = strings.Repeat("Gerente de compras y abastecimiento ", 100) // 3.6 KB, compressed
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, l) }); err != nil {
			t.Fatal(err)
		}
		var method string
		if err := raw.QueryRow(`SELECT pg_column_compression(data) FROM leads WHERE id = $1`, l.ID).Scan(&method); err != nil || method != "lz4" {
			t.Fatalf("the lead's data is compressed with %q (%v), want lz4", method, err)
		}
		got, err := db.Lead(ctx, l.ID)
		if err != nil || got.Data.Person.Title != l.Data.Person.Title {
			t.Fatalf("read back: %v", err)
		}
	}
}
