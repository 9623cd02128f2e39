package main

import (
	"context"
	"flag"
	"net/url"
	"os"
	"path/filepath"

	"github.com/pistahq/pista/internal/store"
)

// dbFlags registers --db, the only flag of the commands that open the
// database and are not the server.
func (c *config) dbFlags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.db, "db", envOr(getenv, "PISTA_DB", "pista.db"), "SQLite file or postgres:// URL (PISTA_DB)")
}

// envOr is the PISTA_ variable name, or def when it is not set.
func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// openDB opens the database and brings its schema up to date.
func openDB(ctx context.Context, target string) (*store.DB, error) {
	return openWith(ctx, store.Open, target)
}

// openWith opens a database with open and brings its schema up to date.
func openWith(ctx context.Context, open func(context.Context, string) (*store.DB, error), target string) (*store.DB, error) {
	db, err := open(ctx, target)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// dbName is how messages name a database: a SQLite file by its absolute
// path, so that a command run in another folder says which file it used,
// and a PostgreSQL URL without its password.
func dbName(target string) string {
	if isPostgres(target) {
		if u, err := url.Parse(target); err == nil {
			return u.Redacted()
		}
		return "postgres://…"
	}
	if abs, err := filepath.Abs(target); err == nil {
		return abs
	}
	return target
}

func isPostgres(target string) bool { return store.IsPostgresURL(target) }

// sqliteExists reports whether target is a SQLite file that exists already;
// false for PostgreSQL.
func sqliteExists(target string) bool {
	if isPostgres(target) {
		return false
	}
	_, err := os.Stat(target)
	return err == nil
}
