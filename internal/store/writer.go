package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
	"time"
)

// Writer runs one goroutine's transactions, such as intake's group-commit
// writer, on a connection kept for it, and on SQLite copies the
// write-ahead log into the database on another (see checkpointer).
//
// On SQLite every connection has its own page cache: kept on one
// connection, the writer's holds the pages its last transactions touched,
// where a pooled connection last used by a reader would hold others. On
// PostgreSQL the cache is the server's, and the Writer uses the pool.
type Writer struct {
	db   *DB
	mu   sync.Mutex // held for each transaction
	conn *sql.Conn

	// The checkpointer's: stop, and how often it copies.
	stop, stopped chan struct{}
	every         time.Duration
}

// Writer returns a Writer; Close gives its connection back.
func (db *DB) Writer() *Writer { return newWriter(db, 100*time.Millisecond) }

func newWriter(db *DB, every time.Duration) *Writer {
	w := &Writer{db: db, every: every}
	if db.dialect == SQLite {
		w.stop, w.stopped = make(chan struct{}), make(chan struct{})
		go w.checkpointer()
	}
	return w
}

// checkpointer copies the write-ahead log into the database on its own
// connection, on the other processor, while the writer goes on writing.
// Left to SQLite, the writer copies it after the commit that takes it past
// 16,384 pages, and everyone waiting for that commit waits for the copy
// too. Copying does not block writing, but the log only starts again from
// its beginning once it has been copied whole, which a busy writer never
// lets happen; so the writer still makes that last copy when the log is
// long, but by then only what was written since the checkpointer's last
// pass is left to copy.
func (w *Writer) checkpointer() {
	defer close(w.stopped)
	ctx := context.Background()
	tick := time.NewTicker(w.every)
	defer tick.Stop()
	var conn *sql.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		select {
		case <-w.stop:
			return
		case <-tick.C:
		}
		if conn == nil {
			var err error
			if conn, err = w.db.sql.Conn(ctx); err != nil {
				continue
			}
		}
		// A passive copy waits for nobody; busy means the writer was
		// copying, and the next pass goes on.
		var busy, frames, copied int
		conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
	}
}

// InTx is DB.InTx on the writer's connection.
func (w *Writer) InTx(ctx context.Context, fn func(*Tx) error) error {
	if w.db.dialect != SQLite {
		return w.db.InTx(ctx, fn)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		conn, err := w.db.sql.Conn(ctx)
		if err != nil {
			return err
		}
		w.conn = conn
	}
	// Background writers hold back while this runs, and this starts as
	// soon as the one writing now ends (see yield.go).
	w.db.intakeTx.enter()
	defer w.db.intakeTx.leave()
	w.db.otherTx.wait(ctx, yieldIntake)
	err := w.db.retry(ctx, w.conn.BeginTx, fn)
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		// Take a new connection next time.
		w.conn.Close()
		w.conn = nil
	}
	return err
}

// Close stops the checkpointer and gives the connection back to the pool.
func (w *Writer) Close() error {
	if w.stop != nil {
		close(w.stop)
		<-w.stopped
		w.stop = nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		return nil
	}
	err := w.conn.Close()
	w.conn = nil
	return err
}
