package store

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
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
