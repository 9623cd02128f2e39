package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// ErrBackupUnsupported: PostgreSQL is backed up with its own tools.
var ErrBackupUnsupported = errors.New("pista backup copies SQLite databases; back up PostgreSQL with pg_dump or continuous archiving (docs/operations.md)")

// Backup writes a consistent copy of a SQLite database to the file to,
// while other connections go on writing. VACUUM INTO reads one snapshot of
// the database in a read transaction, so the copy holds every transaction
// committed before it began and none after; the copy is also compacted.
// It refuses to overwrite an existing file.
func (db *DB) Backup(ctx context.Context, to string) error {
	if db.dialect != SQLite {
		return ErrBackupUnsupported
	}
	if _, err := os.Stat(to); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", to)
	}
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, to); err != nil {
		os.Remove(to)
		return fmt.Errorf("backup to %s: %w", to, err)
	}
	return nil
}

// Restore puts the SQLite backup from in place of the database file to.
// It checks that from is a whole Pista database this binary can run on
// before touching to, refuses to replace an existing database unless
// replace is set, and swaps the file in with a rename, so a crash leaves
// either the old database or the new one. No server may be running on to.
func Restore(ctx context.Context, from, to string, replace bool) error {
	if IsPostgresURL(to) {
		return ErrBackupUnsupported
	}
	if _, err := os.Stat(from); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	src, err := Open(ctx, from)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	var check string
	err = src.sql.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&check)
	if err == nil && check != "ok" {
		err = fmt.Errorf("integrity check: %s", check)
	}
	if err == nil {
		var states []MigrationState
		states, err = src.MigrationStatus(ctx)
		if err == nil && (len(states) == 0 || !states[0].Applied) {
			err = errors.New("it holds no Pista schema")
		}
	}
	src.Close()
	if err != nil {
		return fmt.Errorf("restore: %s is not a usable Pista backup: %w", from, err)
	}
	if _, err := os.Stat(to); err == nil && !replace {
		return fmt.Errorf("restore: %s exists; stop the server and add --replace to overwrite it", to)
	}
	tmp := to + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %w", err)
	}
	// The old database's write-ahead log belongs to the old file: left
	// behind, SQLite would replay it onto the restored one.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(to + suffix); err != nil && !os.IsNotExist(err) {
			os.Remove(tmp)
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, to); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// IsPostgresURL says whether a database target is a PostgreSQL URL (the
// other targets are SQLite files).
func IsPostgresURL(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// Check runs SQLite's integrity check (PostgreSQL keeps its own): a
// database that was stopped or killed mid-write must still be whole.
func (db *DB) Check(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	var res string
	if err := db.sql.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	return nil
}
