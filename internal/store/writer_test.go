package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// walIndex reads from the WAL index, the -shm file, mxFrame (the length of
// the log in pages) and nBackfill (how many of them have been copied into
// the database), in the machine's byte order
// (https://sqlite.org/walformat.html). Read from the file, it copies
// nothing, as PRAGMA wal_checkpoint would.
func walIndex(t *testing.T, path string) (frames, copied int) {
	t.Helper()
	shm, err := os.ReadFile(path + "-shm")
	if err != nil || len(shm) < 100 {
		t.Fatalf("WAL index: %v", err)
	}
	return int(binary.NativeEndian.Uint32(shm[16:20])), int(binary.NativeEndian.Uint32(shm[96:100]))
}

// Under a writer that writes back to back, the checkpointer copies the log
// into the database while it grows, long before SQLite would have the
// writer copy it (at 16,384 pages), and nothing written is lost.
func TestWriterCheckpointerCopiesTheLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.sql.ExecContext(ctx, "CREATE TABLE blobs (b BLOB NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	w := newWriter(db, 2*time.Millisecond)
	blob := make([]byte, 16<<10) // four pages and more per row
	stop, done := make(chan struct{}), make(chan error, 1)
	inserted := 0
	go func() {
		for {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			err := w.InTx(ctx, func(tx *Tx) error {
				_, err := tx.exec(ctx, "INSERT INTO blobs (b) VALUES (?)", blob)
				return err
			})
			if err != nil {
				done <- err
				return
			}
			inserted++
		}
	}()
	most, copiedMost := 0, 0
	for deadline := time.Now().Add(10 * time.Second); copiedMost == 0 && most < 3000 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
		frames, copied := walIndex(t, path)
		most, copiedMost = max(most, frames), max(copiedMost, copied)
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if copiedMost == 0 {
		t.Fatalf("after %d transactions, %d pages of log, none copied into the database", inserted, most)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM blobs").Scan(&n); err != nil || n != inserted {
		t.Errorf("%d rows, want %d (%v)", n, inserted, err)
	}
}

// Every write transaction of a SQLite database runs on one connection, so
// that no commit is another connection's: one would make the group
// commit's connection drop its page cache. The page cache's size is a
// setting of each connection: set on the one the first write ran on, it
// is what group commits, other transactions and single statements, run
// at once from many goroutines, all read.
func TestWritesShareOneConnection(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "one.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := db.Writer()
	defer w.Close()
	if err := db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "CREATE TABLE probe (who TEXT NOT NULL, cache INTEGER NOT NULL)"); err != nil {
			return err
		}
		_, err := tx.tx.ExecContext(ctx, "PRAGMA cache_size = -12345")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// Readers keep other connections of the pool busy meanwhile.
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var n int
				db.sql.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n)
			}
		}()
	}
	const insert = "INSERT INTO probe (who, cache) SELECT ?, cache_size FROM pragma_cache_size"
	kinds := map[string]func() error{
		"group commit": func() error {
			return w.InTx(ctx, func(tx *Tx) error {
				_, err := tx.exec(ctx, insert, "group commit")
				return err
			})
		},
		"transaction": func() error {
			return db.InTx(ctx, func(tx *Tx) error {
				_, err := tx.exec(ctx, insert, "transaction")
				return err
			})
		},
		"statement": func() error {
			_, err := db.execWrite(ctx, insert, "statement")
			return err
		},
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for range 20 {
		for kind, run := range kinds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := run(); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s: %w", kind, err))
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d writes failed, the first: %v", len(errs), errs[0])
	}
	rows, err := db.sql.QueryContext(ctx, "SELECT who, cache, count(*) FROM probe GROUP BY who, cache ORDER BY who")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var (
			who      string
			cache, n int
		)
		if err := rows.Scan(&who, &cache, &n); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s on cache_size %d: %d", who, cache, n))
	}
	want := []string{"group commit on cache_size -12345: 20", "statement on cache_size -12345: 20", "transaction on cache_size -12345: 20"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("writes by connection:\n got %q\nwant %q", got, want)
	}
}

// A write transaction begun inside another, which can never start, fails
// after writeWait instead of waiting forever.
func TestNestedWriteFails(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "nested.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defer func(d time.Duration) { writeWait = d }(writeWait)
	writeWait = 50 * time.Millisecond
	var inner error
	if err := db.InTx(ctx, func(tx *Tx) error {
		_, inner = db.execWrite(ctx, "CREATE TABLE t (a INTEGER)")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(inner, errWriteBusy) {
		t.Fatalf("nested write: %v, want %v", inner, errWriteBusy)
	}
}
