// Package storetest opens real databases for tests: SQLite in a temporary
// directory, and PostgreSQL when PISTA_TEST_POSTGRES_URL is set (CI sets
// it). Each PostgreSQL test gets its own schema, dropped afterwards.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/testenv"
)

// Target is a database to run a test against.
type Target struct {
	Name string
	Open func(t testing.TB) *store.DB
}

// Targets returns SQLite, plus PostgreSQL when configured, or in CI, where
// its tests then fail for want of a database (testenv.PostgresURL).
func Targets() []Target {
	out := []Target{{Name: "sqlite", Open: OpenSQLite}}
	if os.Getenv(testenv.PostgresVar) != "" || testenv.InCI() {
		out = append(out, Target{Name: "postgres", Open: OpenPostgres})
	}
	return out
}

// OpenSQLite opens a migrated SQLite database in t.TempDir().
func OpenSQLite(t testing.TB) *store.DB {
	t.Helper()
	return OpenAt(t, filepath.Join(t.TempDir(), "pista.db"), 1)[0]
}

// OpenAt opens n handles on the database at target (a SQLite file or a
// PostgreSQL URL), as n servers sharing it would, each having migrated
// it; they are closed when the test ends.
func OpenAt(t testing.TB, target string, n int) []*store.DB {
	t.Helper()
	dbs := make([]*store.DB, n)
	for i := range dbs {
		db, err := store.Open(context.Background(), target)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	return dbs
}

// PostgresURL returns a URL for a fresh schema in the test database, and a
// function that drops it.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := testenv.PostgresURL(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema (is PostgreSQL running at %s?): %v", base, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenPostgres opens a migrated PostgreSQL database in a fresh schema.
func OpenPostgres(t testing.TB) *store.DB {
	t.Helper()
	return OpenServers(t, 1)[0]
}

// OpenServers opens n handles on one migrated PostgreSQL database in a
// fresh schema, as n servers sharing it would.
func OpenServers(t testing.TB, n int) []*store.DB {
	t.Helper()
	return OpenAt(t, PostgresURL(t), n)
}
