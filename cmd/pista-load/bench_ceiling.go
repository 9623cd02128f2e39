package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pistahq/pista/internal/store"
)

// ceiling is what PostgreSQL takes of the same leads without Pista: one
// client sending plain multi-row INSERTs of --batch-inquiries rows each,
// each its own durable transaction, into a freshly migrated schema (the
// same table and indexes), for the duration. Rows are sent again with
// their e-mail and external ID made unique when they run out.
func (c *benchConfig) ceiling(ctx context.Context, admin *sql.DB, rows *store.CeilingSet) (benchFigure, error) {
	f := benchFigure{Setup: "ceiling: multi-row INSERTs"}
	if rows == nil || rows.Leads == 0 {
		return f, fmt.Errorf("the ceiling has no rows: the instances stored no lead")
	}
	dbURL, drop, err := migratedSchema(ctx, admin, c.db, c.pista)
	if err != nil {
		return f, err
	}
	defer drop()
	pg0 := postgresNow()
	run, err := pgCeiling(ctx, dbURL, rows, pgInsert, c.batch, c.duration, 0)
	if err != nil {
		return f, err
	}
	f.PerS = run.PerS()
	f.PGCPU = pg0.since() / float64(run.Rows) * 1000
	return f, nil
}

// migratedSchema creates a fresh schema migrated by `pista migrate` (the
// same tables and indexes as Pista's) and returns a URL that uses it and a
// function that drops it.
func migratedSchema(ctx context.Context, admin *sql.DB, base, pista string) (string, func(), error) {
	schema, dbURL, err := freshSchema(ctx, admin, base)
	if err != nil {
		return "", nil, err
	}
	drop := func() {
		ctx := context.WithoutCancel(ctx)
		admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		vacuumCatalog(ctx, admin)
	}
	if out, err := exec.CommandContext(ctx, pista, "migrate", "--db", dbURL).CombinedOutput(); err != nil {
		drop()
		return "", nil, fmt.Errorf("pista migrate: %v: %s", err, out)
	}
	// Every figure starts right after a checkpoint: the write-ahead log of
	// the figures before (tens of megabytes each) would otherwise set one
	// off in the middle of some figures and not of others, which then pay
	// for writing its pages. Without the right to (a superuser or
	// pg_checkpoint) the figures run without it.
	admin.ExecContext(ctx, "CHECKPOINT")
	return dbURL, drop, nil
}

// vacuumCatalog cleans the system catalog of the rows a dropped schema
// left, when the server's autovacuum is off (as on the test machines).
// Each figure's schema leaves a thousand dead rows in pg_attribute, and
// every new connection reads the catalog: with 31 MB of dead rows left by
// earlier runs, each figure of a benchmark was slower than the one before
// (one instance 3,990, 3,626 then 3,136 inquiries/s in three runs), and
// the ceiling's one connection more so. Without the right to, it does
// nothing.
func vacuumCatalog(ctx context.Context, admin *sql.DB) {
	var on string
	if admin.QueryRowContext(ctx, "SHOW autovacuum").Scan(&on) != nil || on == "on" {
		return
	}
	admin.ExecContext(ctx, `VACUUM pg_catalog.pg_attribute, pg_catalog.pg_class, pg_catalog.pg_depend, pg_catalog.pg_type,
		pg_catalog.pg_constraint, pg_catalog.pg_index, pg_catalog.pg_attrdef, pg_catalog.pg_trigger, pg_catalog.pg_sequence,
		pg_catalog.pg_namespace, pg_catalog.pg_statistic`)
}

// The two ways PostgreSQL's ceiling sends rows.
type pgWay int

const (
	pgInsert pgWay = iota // multi-row INSERT … VALUES
	pgCopy                // COPY … FROM STDIN (binary)
)

func (w pgWay) String() string {
	if w == pgCopy {
		return "COPY"
	}
	return "multi-row INSERT"
}

// pgCeiling inserts a set's rows (store.CeilingRows or CeilingRowsAll)
// into the PostgreSQL database at dbURL, perTx leads (with their other
// rows) per durable transaction, with one plain connection: each table's
// rows as COPY, or as INSERTs of at most 1,000 rows (one statement for the
// transaction when it has one table and perTx rows fit in one, sent
// without BEGIN and COMMIT around it). It stops after total leads, or when
// d has passed if total is 0; when the leads run out they are sent again,
// made unique.
func pgCeiling(ctx context.Context, dbURL string, set *store.CeilingSet, way pgWay, perTx int, d time.Duration, total int) (store.CeilingRun, error) {
	ins, err := newPGInserter(ctx, dbURL, way)
	if err != nil {
		return store.CeilingRun{}, err
	}
	defer ins.Close()
	run, err := set.EachTx(ctx, perTx, d, total, func(parts [][]store.SetSpan, leads int) error {
		return ins.Insert(ctx, parts, leads)
	})
	if err != nil {
		return run, fmt.Errorf("ceiling %s: %w", way, err)
	}
	return run, nil
}

// pgInserter writes a ceiling's rows on one plain connection, as COPY or
// as INSERTs of at most 1,000 rows.
type pgInserter struct {
	conn    *pgx.Conn
	way     pgWay
	inserts map[string]string // "table/rows" → statement
}

func newPGInserter(ctx context.Context, dbURL string, way pgWay) (*pgInserter, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	return &pgInserter{conn: conn, way: way, inserts: map[string]string{}}, nil
}

// Close closes the connection.
func (p *pgInserter) Close() { p.conn.Close(context.Background()) }

// Insert writes parts (from store.CeilingCursor.Take) in one durable
// transaction: one statement sent without BEGIN and COMMIT around it
// when the parts are one table's and fit in one.
func (p *pgInserter) Insert(ctx context.Context, parts [][]store.SetSpan, _ int) error {
	if len(parts) == 1 && len(parts[0]) == 1 && (p.way == pgCopy || len(parts[0][0].Rows) <= 1000) {
		return p.send(ctx, p.conn, parts)
	}
	return pgx.BeginFunc(ctx, p.conn, func(tx pgx.Tx) error { return p.send(ctx, tx, parts) })
}

// insert is the INSERT of n rows of the table.
func (p *pgInserter) insert(t *store.CeilingTable, n int) string {
	key := t.Name + "/" + strconv.Itoa(n)
	if q, ok := p.inserts[key]; ok {
		return q
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO ` + t.Name + ` (` + strings.Join(t.Columns, ", ") + `) VALUES `)
	width := len(t.Columns)
	for r := range n {
		if r > 0 {
			q.WriteByte(',')
		}
		q.WriteByte('(')
		for col := range width {
			if col > 0 {
				q.WriteByte(',')
			}
			q.WriteString("$" + strconv.Itoa(r*width+col+1))
		}
		q.WriteByte(')')
	}
	p.inserts[key] = q.String()
	return p.inserts[key]
}

// send writes one transaction's rows with q (the connection or a
// transaction).
func (p *pgInserter) send(ctx context.Context, q interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
	CopyFrom(context.Context, pgx.Identifier, []string, pgx.CopyFromSource) (int64, error)
}, parts [][]store.SetSpan) error {
	for _, spans := range parts {
		for _, sp := range spans {
			t := sp.Table
			if p.way == pgCopy {
				if _, err := q.CopyFrom(ctx, pgx.Identifier{t.Name}, t.Columns, pgx.CopyFromRows(sp.Rows)); err != nil {
					return fmt.Errorf("%s: %w", t.Name, err)
				}
				continue
			}
			// At most 1,000 rows a statement, and 65,535 parameters.
			perStmt := min(1000, 65535/len(t.Columns))
			for i := 0; i < len(sp.Rows); i += perStmt {
				part := sp.Rows[i:min(i+perStmt, len(sp.Rows))]
				args := make([]any, 0, len(part)*len(t.Columns))
				for _, row := range part {
					args = append(args, row...)
				}
				if _, err := q.Exec(ctx, p.insert(t, len(part)), args...); err != nil {
					return fmt.Errorf("%s: %w", t.Name, err)
				}
			}
		}
	}
	return nil
}

// cpuOf is the processor time, in seconds, the processes have used.
func cpuOf(pids []int) float64 {
	var total float64
	for _, pid := range pids {
		total += procCPU(pid)
	}
	return total
}

// postgresCPU is a snapshot of the processor time of every postgres
// process on this machine: the database server the instances share (with
// whatever else uses it meanwhile).
type postgresCPU map[int]float64

func postgresNow() postgresCPU {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	out := postgresCPU{}
	for _, d := range dirs {
		comm, err := os.ReadFile(filepath.Join(d, "comm"))
		if err != nil || !strings.HasPrefix(string(comm), "postgres") {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(d))
		own, children := procTimes(pid)
		out[pid] = own + children
	}
	return out
}

// since is the processor time postgres processes used since the snapshot:
// what those still running used since, and all of what those started
// since used. A backend that ended meanwhile (the connection of a
// `pista import` or of a ceiling, closed before the figure is read) counts
// through the postmaster, whose children's time it joined when the
// postmaster reaped it. Before that was counted, a PostgreSQL import's
// and ceiling's processor time left out their backends' work. A process
// that ended meanwhile is itself left out, so the figure never goes below
// zero.
func (s postgresCPU) since() float64 {
	var total float64
	for pid, cpu := range postgresNow() {
		if before, ok := s[pid]; ok && before <= cpu {
			cpu -= before
		}
		total += cpu
	}
	return total
}

// procCPU reads a process's user and system time from /proc (0 where
// there is no /proc).
func procCPU(pid int) float64 {
	own, _ := procTimes(pid)
	return own
}

// procTimes reads a process's user and system time from /proc, its own and
// that of its children that ended and were waited for (0 where there is
// no /proc).
func procTimes(pid int) (own, children float64) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0
	}
	// Fields after the command, which is in parentheses and may hold spaces.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 15 {
		return 0, 0
	}
	ticks := func(i int) float64 {
		v, _ := strconv.ParseFloat(fields[i], 64)
		return v / 100 // clock ticks of 10 ms on Linux
	}
	return ticks(11) + ticks(12), ticks(13) + ticks(14)
}

func runtimeCPUs() int { return runtime.NumCPU() }

// writeBench prints each run's figures, the medians and the ratios.
func writeBench(w io.Writer, c *benchConfig, figures [][]benchFigure) {
	cols := len(figures[0])
	med := make([]benchFigure, cols)
	for col := range cols {
		var per, pc, gc []float64
		for _, row := range figures {
			per, pc, gc = append(per, row[col].PerS), append(pc, row[col].PistaCPU), append(gc, row[col].PGCPU)
			med[col].Failed += row[col].Failed
		}
		med[col].Setup, med[col].Instances = figures[0][col].Setup, figures[0][col].Instances
		med[col].PerS, med[col].PistaCPU, med[col].PGCPU = median(per), median(pc), median(gc)
	}
	one, ceil := med[0].PerS, med[1].PerS
	if c.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"runs": figures, "median": med,
			"one_instance_vs_ceiling": one / ceil})
		return
	}
	fmt.Fprintf(w, "PostgreSQL scale-out: batches of %d, %d clients in all, %s per figure, %d runs, GOMAXPROCS %s, pinned %v\n\n",
		c.batch, c.concurrency, c.duration, c.runs, c.procsText(), c.pin)
	fmt.Fprintf(w, "%-28s %12s %10s %8s %14s %14s\n", "setup", "median /s", "runs", "failed", "pista cpu/1k", "postgres cpu/1k")
	for col, m := range med {
		var runs []string
		for _, row := range figures {
			runs = append(runs, fmt.Sprintf("%.0f", row[col].PerS))
		}
		fmt.Fprintf(w, "%-28s %12.0f %10s %8d %13.2fs %13.2fs\n", m.Setup, m.PerS, strings.Join(runs, "/"), m.Failed, m.PistaCPU, m.PGCPU)
	}
	fmt.Fprintf(w, "\n1 instance / ceiling: %.2f\n", one/ceil)
	for _, m := range med {
		if m.Instances > 0 && m.Instances != med[0].Instances {
			fmt.Fprintf(w, "%d instances / %d: %.2f\n", m.Instances, med[0].Instances, m.PerS/one)
		}
	}
}

// procsText says what GOMAXPROCS the instances ran with.
func (c *benchConfig) procsText() string {
	switch {
	case c.split:
		return fmt.Sprintf("processors (%d) split between the instances", runtimeCPUs())
	case c.gomaxprocs == 0:
		return "default"
	}
	return strconv.Itoa(c.gomaxprocs)
}
