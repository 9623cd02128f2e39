package store_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestUpgradeFromEveryVersion migrates a database made by every schema
// version Pista shipped (testdata/upgrade, filled by that version's own
// pista demo: see make.sh there) to today's schema, on SQLite and on
// PostgreSQL, and reads every lead back.
func TestUpgradeFromEveryVersion(t *testing.T) {
	ctx := context.Background()
	files, err := filepath.Glob("testdata/upgrade/v*.db")
	if err != nil || len(files) < 6 {
		t.Fatalf("want the fixtures of at least 6 earlier versions, found %v (%v)", files, err)
	}
	for _, file := range files {
		version := strings.TrimSuffix(filepath.Base(file), ".db")
		t.Run("sqlite/"+version, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "old.db")
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			upgradeAndRead(t, path, true)
		})
		dump := strings.TrimSuffix(file, ".db") + ".pg.sql"
		if _, err := os.Stat(dump); err != nil {
			continue // that version had no demo to fill a PostgreSQL database with
		}
		t.Run("postgres/"+version, func(t *testing.T) {
			target := storetest.PostgresURL(t)
			u, err := url.Parse(target)
			if err != nil {
				t.Fatal(err)
			}
			schema := u.Query().Get("search_path")
			body, err := os.ReadFile(dump)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := sql.Open("pgx", target)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.ExecContext(ctx, strings.ReplaceAll(string(body), "FIXTURE_SCHEMA.", schema+".")); err != nil {
				t.Fatalf("loading %s: %v", dump, err)
			}
			upgradeAndRead(t, target, true)
		})
	}
}

func upgradeAndRead(t *testing.T, target string, hasLeads bool) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before, err := db.MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pending := 0
	for _, m := range before {
		if !m.Applied {
			pending++
		}
	}
	if pending == 0 {
		t.Fatal("the fixture is already at today's schema: it tests no upgrade")
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if len(applied) != pending {
		t.Errorf("applied %d migrations, %d were pending", len(applied), pending)
	}
	after, err := db.MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range after {
		if !m.Applied {
			t.Errorf("%s still pending after the upgrade", m.Name)
		}
	}
	leads, err := db.ListLeads(ctx, store.ListFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if hasLeads && len(leads) == 0 {
		t.Fatal("the upgraded database lists no leads")
	}
	for _, l := range leads {
		got, err := db.Lead(ctx, l.ID)
		if err != nil || got.Eval == nil {
			t.Fatalf("lead %d after the upgrade: %v (evaluation %v)", l.ID, err, got)
		}
	}
}
