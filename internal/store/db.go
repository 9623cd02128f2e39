// Package store keeps leads, events and decisions in SQLite (embedded, the
// default) or PostgreSQL (for several servers sharing one database). It
// only saves and loads: every business rule lives in intake, engine and
// waterfall, so the two databases cannot drift apart. The SQL is portable;
// the schema is one numbered migration set per dialect.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// Dialect is the SQL flavour of a database.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("not found")

// DB is a Pista database. One type serves both dialects because the SQL is
// shared; only placeholders and the schema differ.
type DB struct {
	sql     *sql.DB
	dialect Dialect
	queries sync.Map // SQL with ? → SQL with $n, for PostgreSQL
	stmts   sync.Map // SQL → *sql.Stmt, prepared once per connection
	hooks   hookCache
	wake    chan struct{} // see TimerWake
	// companies caches company IDs by domain (UpsertCompany).
	companies    sync.Map
	companyCount atomic.Int64
	// lockSpace is the schema LockIdentities' keys are hashed within.
	lockSpace atomic.Value
	// Leads inserted, and when to analyze the table next (see grew).
	inserted, nextAnalyze atomic.Int64
	background            sync.WaitGroup
	// Leads stored with a definition no longer active (see flagStale),
	// not yet taken by TakeStale.
	stale atomic.Int64
	// write is the connection of SQLite's write transactions (yield.go).
	write *writeConn
	// textIndex says whether searches by text use a trigram index
	// (textIndexState, see TextIndexProblem).
	textIndex atomic.Value
	// sequences are the identity sequences' names by table (nextIDs).
	sequences  sync.Map
	ftsCap     int // see textMatch
	searchTail int // see searchTail
	// searchInBackground: RunSearchIndex keeps the trigram index, and
	// commits leave it the new leads (see indexNewLeads).
	searchInBackground atomic.Bool
}

// Open connects to a database: a postgres:// URL, or a file path for
// SQLite (created if missing, WAL mode, foreign keys on, full sync so that
// an acknowledged write survives a crash).
func Open(ctx context.Context, target string) (*DB, error) { return open(ctx, target, false) }

// OpenBulk is Open for a process that loads many rows and answers nobody
// waiting, such as pista import. On SQLite its page cache is 32 MB instead
// of 64 MB, so that memory stays flat. Every transaction is still synced
// to disk before it counts as done.
func OpenBulk(ctx context.Context, target string) (*DB, error) { return open(ctx, target, true) }

func open(ctx context.Context, target string, bulk bool) (*DB, error) {
	db := &DB{wake: make(chan struct{}, 1), write: newWriteConn(), ftsCap: ftsCap, searchTail: searchTail}
	db.nextAnalyze.Store(firstAnalyze)
	var err error
	if IsPostgresURL(target) {
		db.dialect = Postgres
		db.sql, err = openPostgres(target)
		if err == nil {
			db.sql.SetMaxOpenConns(32)
			db.sql.SetMaxIdleConns(32)
		}
	} else {
		db.dialect = SQLite
		// cache_size: a group commit writes thousands of rows; a small page
		// cache would spill them to the WAL before the commit.
		cache := "-65536" // KB
		if bulk {
			cache = "-32768"
		}
		// wal_autocheckpoint: the write-ahead log is copied into the
		// database every 64 MB instead of SQLite's 4 MB. An index page that
		// many transactions change is then copied once, not once per
		// transaction: on a large import that halves the bytes written, and
		// the writer spends less of its time copying (see
		// docs/PERFORMANCE.md). journal_size_limit gives the disk back
		// after a copy.
		dsn := "file:" + target + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
			"&_pragma=synchronous(FULL)&_pragma=cache_size(" + cache + ")&_pragma=wal_autocheckpoint(16384)" +
			"&_pragma=journal_size_limit(67108864)&_pragma=temp_store(MEMORY)&_txlock=immediate"
		db.sql, err = sql.Open("sqlite", dsn)
		if err == nil {
			db.sql.SetMaxOpenConns(8)
			db.sql.SetMaxIdleConns(8)
			db.sql.SetConnMaxIdleTime(0)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", db.dialect, err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.sql.PingContext(pctx); err != nil {
		db.sql.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.dialect, err)
	}
	return db, nil
}

// Dialect reports which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close closes the database.
func (db *DB) Close() error {
	db.background.Wait()
	if db.dialect == SQLite {
		db.write.close()
	}
	db.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	return db.sql.Close()
}

// q adapts a query written with ? placeholders to the dialect.
func (db *DB) q(query string) string {
	if db.dialect != Postgres {
		return query
	}
	if v, ok := db.queries.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	out := b.String()
	db.queries.Store(query, out)
	return out
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is a transaction; every write happens in one. Timeline entries and
// idempotency records are buffered and written with multi-row INSERTs just
// before the commit: group commit puts hundreds of requests in one
// transaction, and one statement per row would cost more than the rest.
// Merges with reserved IDs are buffered too, on both databases. On
// PostgreSQL so are new leads and lead updates, until the transaction's
// next statement or its end, and everything buffered is written by one
// statement (see flush): each statement is a round trip to the server.
type Tx struct {
	db   *DB
	tx   *sql.Tx
	conn *sql.Conn // tx's connection, on PostgreSQL (see pipeline)
	// prelude is a statement the transaction's first pipeline sends
	// ahead of its own (see Writer.InTx), "" once sent or if none.
	prelude string
	leads   []any // new leads' rows (InsertLeads), on PostgreSQL
	// On PostgreSQL, lead updates (UpdateLead) are held like new leads:
	// the row of each, and where a lead's update starts in updates. So
	// are merges with IDs from ReserveMergeIDs, on both databases.
	updates  []any
	updateAt map[int64]int
	merges   []any
	mergeIDs []int64
	// lastMergeID is the highest merge ID reserved, on SQLite.
	lastMergeID int64
	timeline    []any // lead_id, at, kind, data per entry
	idem        map[idemKey]*Idempotent
	idemRows    []any // token_id, key, fingerprint, status, body, created_at, evals per record
	timers      []any // lead_id, kind, ref, due_at, created_at per timer
	// imported rows (PutImportedRow)
	imported     map[string]*ImportedRow
	importedRows []any // lead_id, key, status, body, created_at per row
	wake         bool  // a timer due now was scheduled
	// Companies: the IDs this transaction found or made (Companies), and
	// those it inserted, domain and ID, cached once it commits.
	companyIDs   map[string]int64
	newCompanies []any
	newLeads     int64     // leads inserted (see DB.grew)
	newReports   int64     // report rows inserted (see DB.grew)
	pre          *prefetch // leads read ahead (PrefetchLeads)
	// answered: the leads whose evaluations answers stored in this
	// transaction showed, and when (see keepEvaluation), written at commit.
	answered map[int64]int64
	// marks: the answered marks read ahead (ReadAnsweredMarks), true
	// while not taken, and unmark: those taken, to delete at commit.
	marks  map[int64]bool
	unmark []int64
	// evalWritten: the evaluation this transaction last wrote over each
	// lead's earlier one (see wroteEval), and kept: the evaluations of kept_evaluations rows to write
	// at commit (see PutIdempotent).
	evalWritten map[int64][]byte
	kept        []any // lead_id, evaluation, created_at per row
	// evaluated: the leads stored and the definitions they were evaluated
	// with, and staleLeads: how many were flagged as stale (see flagStale).
	evaluated  []leadDefinition
	staleLeads int64
}

type idemKey struct {
	token int64
	key   string
}

// InTx runs fn in a transaction and commits when it returns nil. On
// PostgreSQL a serialization or unique-key conflict with another server is
// retried a few times.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	if db.dialect == SQLite {
		// On the write connection, after intake (see yield.go).
		return db.inWriteTx(ctx, false, fn)
	}
	return db.retry(ctx, db.sql.BeginTx, fn)
}

// retry runs fn in a transaction begun by begin, retrying conflicts.
func (db *DB) retry(ctx context.Context, begin beginFunc, fn func(*Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := db.inTx(ctx, begin, fn)
		if err == nil || attempt >= 4 || !IsConflict(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
}

type beginFunc func(context.Context, *sql.TxOptions) (*sql.Tx, error)

func (db *DB) inTx(ctx context.Context, begin beginFunc, fn func(*Tx) error) error {
	var conn *sql.Conn
	if db.dialect == Postgres {
		// Begun on a connection of its own, which pipeline can reach.
		var err error
		if conn, err = db.sql.Conn(ctx); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer conn.Close()
		begin = conn.BeginTx
	}
	sqlTx, err := begin(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{db: db, tx: sqlTx, conn: conn}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := tx.beforeCommit(ctx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	db.grew(tx.newLeads + tx.newReports)
	db.stale.Add(tx.staleLeads)
	for i := 0; i < len(tx.newCompanies); i += 2 {
		db.cacheCompany(tx.newCompanies[i].(string), tx.newCompanies[i+1].(int64))
	}
	if tx.wake {
		select {
		case db.wake <- struct{}{}:
		default:
		}
	}
	return nil
}

// IsConflict reports a unique-key violation or a serialization failure:
// another writer got there first and the transaction may be retried.
func IsConflict(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLSTATE 23505") || strings.Contains(msg, "SQLSTATE 40001") ||
		strings.Contains(msg, "SQLSTATE 40P01") || strings.Contains(msg, "UNIQUE constraint failed")
}

// stmt returns the statement for a query within the transaction. On
// SQLite, queries are prepared once per connection and reused: parsing SQL
// costs more than running these small statements. PostgreSQL's driver
// keeps its own bounded cache of prepared statements per connection, so
// there the query is sent as it is (see pgQuery).
func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := tx.db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return tx.tx.StmtContext(ctx, st), nil
}

// prepared returns the statement of a query, prepared the first time it
// is asked for and then kept (database/sql prepares it again on each
// connection it runs on, once).
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if v, ok := db.stmts.Load(query); ok {
		return v.(*sql.Stmt), nil
	}
	st, err := db.sql.PrepareContext(ctx, db.q(query))
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// pgQuery reports whether queries go to the transaction directly. On
// PostgreSQL, database/sql's own prepared statements would be prepared on
// every connection of the pool, one per statement and connection, beside
// the driver's cache, which already prepares each query once per
// connection and forgets the least used past 512.
func (tx *Tx) pgQuery() bool { return tx.db.dialect == Postgres }

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx.pgQuery() {
		if ms, values := tx.takePending(); len(ms) > 0 {
			return tx.execAfter(ctx, ms, values, tx.db.q(query), args)
		}
		if err := tx.writePending(ctx); err != nil {
			return nil, err
		}
		return tx.tx.ExecContext(ctx, tx.db.q(query), args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (tx *Tx) row(ctx context.Context, query string, args ...any) *sql.Row {
	if tx.pgQuery() {
		// If the leads could not be written the transaction has failed,
		// and so does this query.
		tx.writePending(ctx)
		return tx.tx.QueryRowContext(ctx, tx.db.q(query), args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return tx.tx.QueryRowContext(ctx, tx.db.q(query), args...) // reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

func (tx *Tx) rows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if tx.pgQuery() {
		if err := tx.writePending(ctx); err != nil {
			return nil, err
		}
		return tx.tx.QueryContext(ctx, tx.db.q(query), args...)
	}
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// insert runs an INSERT ... RETURNING id.
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.row(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// The buffered tables, and the PostgreSQL type of each column (see
// insertMany).
var (
	timelineRows = manyRows{head: `INSERT INTO timeline (lead_id, at, kind, data)`, types: []string{"int8", "int8", "text", "text"}}
	idemRowsOf   = manyRows{head: `INSERT INTO idempotency (token_id, key, fingerprint, status, body, created_at, evals)`, types: []string{"int8", "text", "text", "int8", "bytea", "int8", "text"}}
	importedOf   = manyRows{head: `INSERT INTO import_rows (lead_id, key, status, body, created_at)`, types: []string{"int8", "text", "int8", "bytea", "int8"}}
	// A lead has one pending timer of a kind and reference; a second
	// schedule keeps the first.
	timerRows = manyRows{head: `INSERT INTO timers (lead_id, kind, ref, due_at, created_at)`, types: []string{"int8", "text", "int8", "int8", "int8"}, suffix: ` ON CONFLICT DO NOTHING`}
)

// flush writes the buffered rows. The transaction's records of which
// idempotency keys and imported rows it stored stay, for lookups later
// in it (IdempotentInTx, ImportedInTx). On PostgreSQL it is one statement
// for all the tables (see insertAll).
func (tx *Tx) flush(ctx context.Context) error { return tx.flushWith(ctx, nil) }

// flushWith is flush followed, on PostgreSQL, by the reads, which go to the
// server with the rows' statement (see pipelineAfter).
func (tx *Tx) flushWith(ctx context.Context, reads []pgRead) error {
	if err := tx.deleteTakenMarks(ctx); err != nil {
		return err
	}
	parts := append(tx.pending(), []bufferedRows{{timelineRows, tx.timeline}, {idemRowsOf, tx.idemRows}, {importedOf, tx.importedRows}, {timerRows, tx.timers},
		{answeredRows, tx.answeredValues()}, {keptRows, tx.kept}}...)
	if tx.db.dialect == Postgres {
		var ms []manyRows
		var values [][]any
		for _, p := range parts {
			if len(p.values) > 0 {
				ms, values = append(ms, p.m), append(values, p.values)
			}
		}
		if err := tx.pipelineAfter(ctx, ms, values, reads); err != nil {
			return err
		}
	} else {
		for _, p := range parts {
			if err := tx.insertMany(ctx, p.m, p.values); err != nil {
				return fmt.Errorf("%s: %w", p.m.table(), err)
			}
		}
	}
	tx.dropPending()
	tx.timeline, tx.idemRows, tx.timers, tx.importedRows, tx.kept = nil, nil, nil, nil, nil
	return nil
}

// bufferedRows are a table's rows held for a multi-row statement.
type bufferedRows struct {
	m      manyRows
	values []any
}

// pending are the held rows that a statement may read or refer to: new
// leads, lead updates and merges.
func (tx *Tx) pending() []bufferedRows {
	return []bufferedRows{{leadRows, tx.leads}, {leadUpdates, tx.updates}, {mergeRows, tx.merges}}
}

func (tx *Tx) dropPending() {
	tx.leads, tx.updates, tx.updateAt, tx.merges = nil, nil, nil, nil
}

// writePending writes the held new leads, lead updates and merges, in
// one statement, before a statement that may read or refer to them.
func (tx *Tx) writePending(ctx context.Context) error {
	ms, values := tx.takePending()
	return tx.insertAll(ctx, ms, values)
}

// takePending returns the held new leads, lead updates and merges, as
// insertAll writes them, and forgets them.
func (tx *Tx) takePending() ([]manyRows, [][]any) {
	var ms []manyRows
	var values [][]any
	for _, p := range tx.pending() {
		if len(p.values) > 0 {
			ms, values = append(ms, p.m), append(values, p.values)
		}
	}
	tx.dropPending()
	return ms, values
}
