package store

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// walFrames is the length of the write-ahead log in pages: mxFrame in the
// header of the WAL index, the -shm file, in the machine's byte order
// (https://sqlite.org/walformat.html). Read from the file, it does not copy
// anything as PRAGMA wal_checkpoint would.
func walFrames(t *testing.T, path string) int {
	t.Helper()
	shm, err := os.ReadFile(path + "-shm")
	if err != nil || len(shm) < 20 {
		t.Fatalf("WAL index: %v", err)
	}
	return int(binary.NativeEndian.Uint32(shm[16:20]))
}

// A busy writer never leaves the log copied whole, so on its own the log
// would only grow (until SQLite's automatic copy, at 16,384 pages, by the
// writer itself). The checkpointer has it start over once it is long, and
// nothing written is lost.
func TestWriterCheckpointerRestartsTheLog(t *testing.T) {
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
	w := newWriter(db, 64, 2*time.Millisecond)
	blob := make([]byte, 16<<10) // four pages and more per row
	// The writer writes back to back, as under load; the test watches the
	// length of the log.
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
	most, restarted := 0, false
	for deadline := time.Now().Add(10 * time.Second); !restarted && most < 3000 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
		frames := walFrames(t, path)
		restarted = frames < most
		most = max(most, frames)
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !restarted {
		t.Fatalf("after %d transactions the log never started over (%d pages)", inserted, most)
	}
	if most > 16384 {
		t.Errorf("the log grew to %d pages", most)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM blobs").Scan(&n); err != nil || n != inserted {
		t.Errorf("%d rows, want %d (%v)", n, inserted, err)
	}
	// The checkpointer's connection went back to the pool as it came.
	for range 8 {
		var timeout int
		if err := db.sql.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&timeout); err != nil || timeout != 10000 {
			t.Errorf("a pooled connection has busy_timeout %d (%v)", timeout, err)
		}
	}
}
