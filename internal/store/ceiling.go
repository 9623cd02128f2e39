package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CeilingColumns are the leads columns the storage ceiling writes: every
// column InsertLeads writes but the ID (the table assigns it), the company
// (the ceiling writes no companies) and merged_into (never set on a new
// lead). A test fails when InsertLeads writes a column not listed here.
// The ceiling of the same rows (CeilingRowsAll) writes the ID and the
// company too.
var CeilingColumns = []string{"email", "phone", "data", "qualification", "evaluation", "stage", "band", "action",
	"team", "quality", "score", "country", "source_format", "owner", "search", "definition_id", "external_id",
	"created_at", "updated_at"}

// CeilingSet is what a storage ceiling inserts: leads a Pista database
// stored and, read with CeilingRowsAll, the other rows Pista wrote with
// them. Tables are in the order a transaction writes them (a lead's
// company before the lead, the lead before the rows that name it).
type CeilingSet struct {
	Tables []*CeilingTable
	Leads  int // leads in the set: Ceiling counts these
	offset int64
}

// CeilingTable is one table's rows in a CeilingSet.
type CeilingTable struct {
	Name    string
	Columns []string
	Rows    [][]any
	// owner is the lead (its position among the set's leads) each row
	// goes with, ascending: a transaction of leads a to b writes the rows
	// of those leads.
	owner []int
	// ids are the columns holding a lead's or a company's ID, unique the
	// columns whose text must differ from one pass to the next: rows sent
	// again have them moved (see row).
	ids, unique []int
}

// row returns row i of the table as the pass'th sending (pass > 0)
// writes it: IDs moved by pass times the set's offset, unique texts made
// different (UniqueCopy).
func (t *CeilingTable) row(i, pass int, offset int64) []any {
	r := slices.Clone(t.Rows[i])
	for _, c := range t.ids {
		if id, ok := r[c].(int64); ok {
			r[c] = id + int64(pass)*offset
		}
	}
	for _, c := range t.unique {
		r[c] = UniqueCopy(r[c], pass)
	}
	return r
}

// span is the rows of leads [a, b): from, to.
func (t *CeilingTable) span(a, b int) (int, int) {
	from, _ := slices.BinarySearch(t.owner, a)
	to, _ := slices.BinarySearch(t.owner, b)
	return from, to
}

// SetSpan is the rows of one table that go with some leads, as a ceiling
// sends them.
type SetSpan struct {
	Table *CeilingTable
	Rows  [][]any
}

// Spans returns, for leads [a, b) on the pass'th sending, each table's
// rows (tables with none left out).
func (s *CeilingSet) Spans(a, b, pass int) []SetSpan {
	var out []SetSpan
	for _, t := range s.Tables {
		from, to := t.span(a, b)
		if from == to {
			continue
		}
		rows := t.Rows[from:to]
		if pass > 0 {
			rows = make([][]any, 0, to-from)
			for i := from; i < to; i++ {
				rows = append(rows, t.row(i, pass, s.offset))
			}
		}
		out = append(out, SetSpan{t, rows})
	}
	return out
}

// Rows counts the rows of the set, every table's.
func (s *CeilingSet) Rows() int {
	n := 0
	for _, t := range s.Tables {
		n += len(t.Rows)
	}
	return n
}

// CeilingRows reads up to limit leads, oldest first, as Ceiling inserts
// them again: the rows Pista stored, to measure what the database takes of
// the same rows without Pista.
func (db *DB) CeilingRows(ctx context.Context, limit int) (*CeilingSet, error) {
	leads, err := db.ceilingTable(ctx, "leads", CeilingColumns, `ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	return LeadsSet(leads.Rows), nil
}

// LeadsSet is a set of leads rows alone, each of CeilingColumns.
func LeadsSet(rows [][]any) *CeilingSet {
	t := &CeilingTable{Name: "leads", Columns: CeilingColumns, Rows: rows,
		unique: columnsNamed(CeilingColumns, "email", "external_id")}
	for i := range rows {
		t.owner = append(t.owner, i)
	}
	return &CeilingSet{Tables: []*CeilingTable{t}, Leads: len(rows)}
}

// CeilingRowsAll is CeilingRows with the other rows Pista wrote with each
// new lead: its company (with the first lead that names it), its timeline
// entries, timers and mark of an answer, and the requests' idempotency
// records (spread evenly over the leads, as a batch's one record answers
// for its hundred). Leads and companies keep their IDs, so that the rows
// that name them can; the timeline's and timers' IDs the tables assign.
// Every column of those tables is written, so the set follows the schema.
func (db *DB) CeilingRowsAll(ctx context.Context, limit int) (*CeilingSet, error) {
	leads, err := db.ceilingTable(ctx, "leads", append([]string{"id", "company_id"}, CeilingColumns...), `ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	leads.ids = columnsNamed(leads.Columns, "id", "company_id")
	leads.unique = columnsNamed(leads.Columns, "email", "external_id")
	set := &CeilingSet{Leads: len(leads.Rows)}
	if set.Leads == 0 {
		set.Tables = []*CeilingTable{leads}
		return set, nil
	}
	at := map[int64]int{} // lead ID → position
	firstOf := map[int64]int{}
	for i, r := range leads.Rows {
		id := r[0].(int64)
		at[id] = i
		leads.owner = append(leads.owner, i)
		if c, ok := r[1].(int64); ok {
			if _, seen := firstOf[c]; !seen {
				firstOf[c] = i
			}
		}
	}
	last := leads.Rows[len(leads.Rows)-1][0].(int64)

	companies, err := db.tableRows(ctx, "companies", nil, `ORDER BY id`)
	if err != nil {
		return nil, err
	}
	companies.ids = columnsNamed(companies.Columns, "id")
	companies.unique = columnsNamed(companies.Columns, "domain")
	keepOwned(companies, func(r []any) (int, bool) {
		i, ok := firstOf[r[companies.ids[0]].(int64)]
		return i, ok
	})

	set.Tables = []*CeilingTable{companies, leads}
	for _, name := range []string{"timeline", "timers", "answered_leads"} {
		t, err := db.tableRows(ctx, name, []string{"id"}, `WHERE lead_id <= ? ORDER BY lead_id`, last)
		if err != nil {
			return nil, err
		}
		lead := columnsNamed(t.Columns, "lead_id")
		t.ids = lead
		keepOwned(t, func(r []any) (int, bool) {
			i, ok := at[r[lead[0]].(int64)]
			return i, ok
		})
		set.Tables = append(set.Tables, t)
	}
	idem, err := db.tableRows(ctx, "idempotency", nil, `ORDER BY created_at`)
	if err != nil {
		return nil, err
	}
	idem.unique = columnsNamed(idem.Columns, "key")
	for i := range idem.Rows {
		idem.owner = append(idem.owner, i*set.Leads/len(idem.Rows))
	}
	set.Tables = append(set.Tables, idem)

	var top int64
	for _, r := range companies.Rows {
		top = max(top, r[companies.ids[0]].(int64))
	}
	set.offset = max(top, last) + 1
	return set, nil
}

// keepOwned keeps the rows of t that go with a lead of the set, sorted by
// that lead, and notes it.
func keepOwned(t *CeilingTable, owner func([]any) (int, bool)) {
	type owned struct {
		at  int
		row []any
	}
	var kept []owned
	for _, r := range t.Rows {
		if i, ok := owner(r); ok {
			kept = append(kept, owned{i, r})
		}
	}
	slices.SortStableFunc(kept, func(a, b owned) int { return a.at - b.at })
	t.Rows, t.owner = t.Rows[:0], t.owner[:0]
	for _, k := range kept {
		t.Rows, t.owner = append(t.Rows, k.row), append(t.owner, k.at)
	}
}

// tableRows reads the rows of a table, every column but those left out,
// with a query's tail (WHERE, ORDER BY) and its arguments.
func (db *DB) tableRows(ctx context.Context, table string, leaveOut []string, tail string, args ...any) (*CeilingTable, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT * FROM `+table+` LIMIT 0`)
	if err != nil {
		return nil, err
	}
	all, err := rows.Columns()
	rows.Close()
	if err != nil {
		return nil, err
	}
	var cols []string
	for _, c := range all {
		if !slices.Contains(leaveOut, c) {
			cols = append(cols, c)
		}
	}
	return db.ceilingTable(ctx, table, cols, tail, args...)
}

// ceilingTable reads columns of a table's rows.
func (db *DB) ceilingTable(ctx context.Context, table string, cols []string, tail string, args ...any) (*CeilingTable, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+strings.Join(cols, ", ")+` FROM `+table+` `+tail), args...)
	if err != nil {
		return nil, fmt.Errorf("ceiling rows of %s: %w", table, err)
	}
	defer rows.Close()
	t := &CeilingTable{Name: table, Columns: cols}
	for rows.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		t.Rows = append(t.Rows, row)
	}
	return t, rows.Err()
}

// columnsNamed are the positions of the named columns among cols.
func columnsNamed(cols []string, names ...string) []int {
	var out []int
	for _, n := range names {
		if i := slices.Index(cols, n); i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

// CeilingRun is what a Ceiling run wrote.
type CeilingRun struct {
	Rows    int // leads
	Others  int // rows of the other tables
	Elapsed time.Duration
}

// PerS is leads per second.
func (r CeilingRun) PerS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Rows) / r.Elapsed.Seconds()
}

// EachTx calls send with the leads of each durable transaction of a
// ceiling, perTx leads each, until total leads, or until d has passed if
// total is 0; when the set's leads run out they are sent again (the next
// pass), with their IDs and unique texts moved. send gets the transaction's
// parts: the leads [a, b) of one pass, each with the rows of every table.
func (s *CeilingSet) EachTx(ctx context.Context, perTx int, d time.Duration, total int,
	send func(parts [][]SetSpan, leads int) error) (CeilingRun, error) {
	if s == nil || s.Leads == 0 || perTx < 1 {
		return CeilingRun{}, errors.New("ceiling: no rows to insert")
	}
	cur := s.Cursor()
	run := CeilingRun{}
	start := time.Now()
	done := func() bool {
		if total > 0 {
			return run.Rows >= total
		}
		return time.Since(start) >= d
	}
	for !done() && ctx.Err() == nil {
		parts, others := cur.Take(perTx)
		if err := send(parts, perTx); err != nil {
			return CeilingRun{}, err
		}
		run.Rows += perTx
		run.Others += others
	}
	run.Elapsed = time.Since(start)
	return run, nil
}

// CeilingCursor hands out a set's leads in order, each with its rows of
// every table, and sends them again (the next pass, made unique) when
// they run out.
type CeilingCursor struct {
	set        *CeilingSet
	next, pass int
}

// Cursor starts at the set's first lead.
func (s *CeilingSet) Cursor() *CeilingCursor { return &CeilingCursor{set: s} }

// Take returns the next n leads' parts (each part the leads of one pass,
// with every table's rows) and how many rows of other tables than leads
// they hold. The set must hold a lead.
func (c *CeilingCursor) Take(n int) (parts [][]SetSpan, others int) {
	s := c.set
	for left := n; left > 0; {
		if c.next == s.Leads {
			c.next, c.pass = 0, c.pass+1
		}
		k := min(left, s.Leads-c.next)
		spans := s.Spans(c.next, c.next+k, c.pass)
		for _, sp := range spans {
			if sp.Table.Name != "leads" {
				others += len(sp.Rows)
			}
		}
		parts = append(parts, spans)
		c.next, left = c.next+k, left-k
	}
	return parts, others
}

// Ceiling is the storage ceiling intake is measured against: it inserts
// a set's rows (from CeilingRows or CeilingRowsAll) into this database,
// perTx leads (with their other rows) per durable transaction, with one
// prepared single-row INSERT per table, as a plain program would. Run it
// on a freshly migrated database opened with Open: the tables, their
// indexes, the pragmas, the writer's connection and the copying of the
// write-ahead log are then Pista's own, so the ceiling follows the schema.
// It stops after total leads, or when d has passed if total is 0; when the
// leads run out they are sent again, made unique.
func (db *DB) Ceiling(ctx context.Context, set *CeilingSet, perTx int, d time.Duration, total int) (CeilingRun, error) {
	ins := db.CeilingInserter(set)
	defer ins.Close()
	return set.EachTx(ctx, perTx, d, total, func(parts [][]SetSpan, leads int) error {
		return ins.Insert(ctx, parts, leads)
	})
}

// A CeilingInserter writes a set's rows as the storage ceiling does: one
// prepared single-row INSERT per row, in durable transactions of this
// database's writer.
type CeilingInserter struct {
	w       *Writer
	inserts map[*CeilingTable]string
}

// CeilingInserter prepares the INSERTs of the set's tables. Close it when
// done.
func (db *DB) CeilingInserter(set *CeilingSet) *CeilingInserter {
	inserts := map[*CeilingTable]string{}
	for _, t := range set.Tables {
		inserts[t] = `INSERT INTO ` + t.Name + ` (` + strings.Join(t.Columns, ", ") + `) VALUES (` +
			strings.TrimSuffix(strings.Repeat("?, ", len(t.Columns)), ", ") + `)`
	}
	return &CeilingInserter{w: db.Writer(), inserts: inserts}
}

// Close releases the writer.
func (ci *CeilingInserter) Close() { ci.w.Close() }

// Insert writes parts (from CeilingCursor.Take), holding leads leads, in
// one durable transaction: committed when it returns nil.
func (ci *CeilingInserter) Insert(ctx context.Context, parts [][]SetSpan, leads int) error {
	err := ci.w.InTx(ctx, func(tx *Tx) error {
		for _, spans := range parts {
			for _, sp := range spans {
				query := ci.inserts[sp.Table]
				for _, r := range sp.Rows {
					if _, err := tx.exec(ctx, query, r...); err != nil {
						return fmt.Errorf("%s: %w", sp.Table.Name, err)
					}
				}
			}
		}
		// New leads, which enter the trigram index at commit as
		// Pista's do (indexNewLeads): the index is one of the table's.
		tx.newLeads += int64(leads)
		return nil
	})
	if err != nil {
		return fmt.Errorf("ceiling insert: %w", err)
	}
	return nil
}

// UniqueCopy makes a copied e-mail, external ID, domain or key differ
// from the pass before; NULL stays NULL.
func UniqueCopy(v any, pass int) any {
	switch s := v.(type) {
	case string:
		return strconv.Itoa(pass) + "." + s
	case []byte:
		return strconv.Itoa(pass) + "." + string(s)
	}
	return v
}
