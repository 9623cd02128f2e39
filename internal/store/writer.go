package store

import (
	"context"
	"database/sql"
	"time"
)

// Writer runs intake's group commits. On SQLite they run on the
// connection every write transaction runs on, ahead of the others (see
// yield.go), which holds in its page cache the pages the last transactions
// touched; and the Writer copies the write-ahead log into the database on
// another connection (see checkpointer). On PostgreSQL the cache is the
// server's, and the Writer uses the pool.
type Writer struct {
	db *DB

	// The checkpointer's: stop, and how often it copies.
	stop, stopped chan struct{}
	every         time.Duration
}

// Writer returns a Writer; Close stops its checkpointer.
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

// InTx is DB.InTx for group commits: on SQLite the other write
// transactions give way to them (see yield.go). On PostgreSQL their
// statements run with generic plans (genericPlans).
func (w *Writer) InTx(ctx context.Context, fn func(*Tx) error) error {
	if w.db.dialect != SQLite {
		return w.db.InTx(ctx, func(tx *Tx) error {
			tx.prelude = genericPlans
			return fn(tx)
		})
	}
	return w.db.inWriteTx(ctx, true, fn)
}

// genericPlans makes PostgreSQL plan each of a transaction's prepared
// statements once, not for each run's values. Left to choose, it planned
// the group commits' lookups again on every run: a lookup by a list of
// identities (= ANY) costs more in its generic plan's estimate than in
// one planned for a short list, so the generic plan never wins, and
// planning a statement on leads reads every one of its sixteen indexes'
// sizes. Planned once, a single request's group took half the time (4.7
// against 9.8 ms at 850 requests/s) and the server 14 % less processor
// time (docs/PERFORMANCE.md). The plans do not depend on the values: each
// looks identities, keys and IDs up by their unique indexes. Sent with
// the transaction's first pipeline (LockGroup, for a group of inquiries),
// not in a round trip of its own.
const genericPlans = `SET LOCAL plan_cache_mode = force_generic_plan`

// Close stops the checkpointer.
func (w *Writer) Close() error {
	if w.stop != nil {
		close(w.stop)
		<-w.stopped
		w.stop = nil
	}
	return nil
}
