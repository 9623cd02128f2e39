package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"time"
)

// On SQLite one transaction writes at a time, and every write transaction
// of the process runs on one connection, kept for them (writeConn): a
// connection that sees another connection's commit throws its whole page
// cache away when its next transaction begins. The group commit's
// connection holds tens of megabytes of index pages; dropping them took
// 100–290 ms (page by page, the memory handed back to the system) each time
// a timer, a webhook claim or a report refresh had committed on another
// connection, and every request of the group waited for it, then for the
// pages read again. On one connection no commit is foreign.
//
// Intake's group commit (the Writer) answers people waiting; the other
// writers (timers, webhook and e-mail claims, report refreshes, sales'
// acts, sign-ins) can wait a little:
//
//   - a background transaction first waits until no group commit is
//     running or waiting (at most yieldBackground, so that timers still fire
//     under a steady load), then for the connection;
//   - a group commit waits for the connection only: for the background
//     transaction running now and those already waiting for the connection
//     (each of which gave way first).
//
// Waiting for the connection is bounded by writeWait, as SQLite's
// busy_timeout bounds waiting for its lock, so that a transaction begun
// inside another (a bug) fails instead of waiting forever. Other processes
// (pista import, pista token) still take SQLite's lock in turn.
// PostgreSQL writes rows concurrently and needs none of this.
const yieldBackground = 100 * time.Millisecond

// writeWait is a variable for a test.
var writeWait = 10 * time.Second

// writeConn is the connection SQLite's write transactions run on, one at a
// time.
type writeConn struct {
	slot   chan struct{} // holds one value while a transaction runs
	conn   *sql.Conn     // opened when first needed; guarded by slot
	intake *txGauge      // group commits running or waiting
}

func newWriteConn() *writeConn {
	return &writeConn{slot: make(chan struct{}, 1), intake: newTxGauge()}
}

// errWriteBusy is what a write transaction gets after waiting writeWait
// for the one before it.
var errWriteBusy = errors.New("database is busy: another write transaction held it too long")

// inWriteTx runs fn in a transaction on the write connection. intake says
// whether this is a group commit, which the others give way to.
func (db *DB) inWriteTx(ctx context.Context, intake bool, fn func(*Tx) error) error {
	w := db.write
	if intake {
		w.intake.enter()
		defer w.intake.leave()
	} else {
		w.intake.wait(ctx, yieldBackground)
	}
	t := time.NewTimer(writeWait)
	select {
	case w.slot <- struct{}{}:
		t.Stop()
	case <-t.C:
		return errWriteBusy
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
	defer func() { <-w.slot }()
	if w.conn == nil {
		conn, err := db.sql.Conn(ctx)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		w.conn = conn
	}
	err := db.retry(ctx, w.conn.BeginTx, fn)
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		// Take a new connection next time.
		w.conn.Close()
		w.conn = nil
	}
	return err
}

// close closes the write connection once the transaction running ends.
func (w *writeConn) close() {
	w.slot <- struct{}{}
	defer func() { <-w.slot }()
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
}

// txGauge counts transactions of one kind in progress and tells waiters
// when there are none.
type txGauge struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while n is 0
}

func newTxGauge() *txGauge {
	g := &txGauge{idle: make(chan struct{})}
	close(g.idle)
	return g
}

func (g *txGauge) enter() {
	g.mu.Lock()
	if g.n == 0 {
		g.idle = make(chan struct{})
	}
	g.n++
	g.mu.Unlock()
}

func (g *txGauge) leave() {
	g.mu.Lock()
	g.n--
	if g.n == 0 {
		close(g.idle)
	}
	g.mu.Unlock()
}

// wait returns when no transaction of the kind is in progress, after at
// most max, or when ctx ends.
func (g *txGauge) wait(ctx context.Context, max time.Duration) {
	g.mu.Lock()
	idle, n := g.idle, g.n
	g.mu.Unlock()
	if n == 0 {
		return
	}
	t := time.NewTimer(max)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
	case <-ctx.Done():
	}
}

// execWrite runs one statement that writes, outside a transaction: on
// SQLite in a transaction of its own on the write connection, after
// intake (see above).
func (db *DB) execWrite(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if db.dialect != SQLite {
		return db.sql.ExecContext(ctx, db.q(query), args...)
	}
	var res sql.Result
	err := db.inWriteTx(ctx, false, func(tx *Tx) error {
		var err error
		res, err = tx.exec(ctx, query, args...)
		return err
	})
	return res, err
}
