package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
)

// Identity is how intake recognises a person: a normalised e-mail, an
// E.164 phone and an external ID, those given.
type Identity struct{ Email, Phone, ExternalID string }

// KnownLead is a live lead read outside the transaction that will change
// it, for a caller that merges and evaluates it there, off the single
// writer (intake's known people), and saves it with SaveIfUnchanged. Lead
// is as LeadToReevaluate reads it: its stored evaluation is not decoded
// and it must be evaluated again before it is saved.
type KnownLead struct {
	Lead   *Lead
	By     string       // how it was found: "email", "phone" or "external_id"
	Events []lead.Event // its events, oldest first, as LeadEvents reads them

	// What SaveIfUnchanged checks (the lead changed since if either moved)
	// and the stored values of the columns it may leave alone.
	updatedAt, needsEval int64
	stored               []any
	eval                 sql.NullString // the stored evaluation, as read
}

// Identities are the e-mail, phone and external ID the lead had when it
// was read and has now, merged since: an inquiry naming any of them may
// be merged into it.
func (k *KnownLead) Identities() []string {
	var out []string
	was := func(column string) any { return k.stored[slices.Index(leadValueColumns, column)] }
	for _, v := range []any{k.Lead.Email, k.Lead.Phone, k.Lead.ExternalID, was("email"), was("phone"), was("external_id")} {
		if s, ok := v.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// DecodeEvaluation makes Lead.Eval the lead's stored evaluation decoded
// whole: ReadKnown leaves it undecoded (Lead.Eval holds only its list
// columns), since the lead is evaluated again, unless the caller keeps it
// (an untrusted inquiry that would have lowered the lead, see intake's
// merge).
func (k *KnownLead) DecodeEvaluation() error {
	l := k.Lead
	l.partial = nil
	if !k.eval.Valid {
		l.Eval = nil
		return nil
	}
	r := new(engine.Result)
	if err := decodeEvaluation(k.eval.String, r); err != nil {
		return fmt.Errorf("lead %d evaluation: %w", l.ID, err)
	}
	l.Eval = r
	return nil
}

// knownColumns are what ReadKnown reads: the lead, what LeadToReevaluate
// keeps of its evaluation, and the other columns leadValues derives.
const knownColumns = leadColumns + `, ` + partialColumns + `, needs_eval, country, source_format, search`

// ReadKnown finds the live leads the identities name as intake's writer
// would (by e-mail; else by phone, the oldest lead with it; else by
// external ID), with one query per kind of identity and a hundred of them,
// and reads their events with one more, without locking anything.
// out[i] is nil when ids[i] names no live lead. The same lead found for
// several identities is read once, for the first of them.
func (db *DB) ReadKnown(ctx context.Context, ids []Identity) ([]*KnownLead, error) {
	out := make([]*KnownLead, len(ids))
	byID := map[int64]*KnownLead{}
	for _, by := range []string{"email", "phone", "external_id"} {
		want := map[string][]int{} // value → the identities still unfound that give it
		var values []string
		for i, id := range ids {
			v := map[string]string{"email": id.Email, "phone": id.Phone, "external_id": id.ExternalID}[by]
			if out[i] != nil || v == "" {
				continue
			}
			if _, seen := want[v]; !seen {
				values = append(values, v)
			}
			want[v] = append(want[v], i)
		}
		err := db.inList(values, "text", func(cond string, args []any) error {
			rows, err := db.query(ctx, `SELECT `+knownColumns+` FROM leads WHERE merged_into IS NULL AND `+by+` `+cond+` ORDER BY id`, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				k, err := scanKnown(rows)
				if err != nil {
					return err
				}
				v := map[string]string{"email": k.Lead.Email, "phone": k.Lead.Phone, "external_id": k.Lead.ExternalID}[by]
				for _, i := range want[v] {
					if out[i] != nil {
						continue // an older lead with the same phone came first
					}
					if byID[k.Lead.ID] != nil {
						out[i] = &KnownLead{Lead: nil} // found, but read for another identity
						continue
					}
					k.By = by
					out[i], byID[k.Lead.ID] = k, k
				}
			}
			return rows.Err()
		})
		if err != nil {
			return nil, err
		}
	}
	for i, k := range out {
		if k != nil && k.Lead == nil {
			out[i] = nil
		}
	}
	if len(byID) == 0 {
		return out, nil
	}
	leadIDs := make([]int64, 0, len(byID))
	for id := range byID {
		leadIDs = append(leadIDs, id)
	}
	err := db.inList(leadIDs, "int8", func(cond string, args []any) error {
		rows, err := db.query(ctx, `SELECT lead_id, type, at, props FROM events WHERE lead_id `+cond+` ORDER BY lead_id, at, id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			id, e, err := scanLeadEvent(rows)
			if err != nil {
				return err
			}
			k := byID[id]
			k.Events = append(k.Events, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	for _, k := range byID {
		if n := len(k.Events); n > maxEventsLoaded { // what LeadEvents reads: the latest
			k.Events = k.Events[n-maxEventsLoaded:]
		}
	}
	return out, nil
}

// scanKnown scans knownColumns. The list columns' stored values are
// kept as scanned (by their place in scanLeadAs's destinations), to be
// compared with the values saving would write.
func scanKnown(rows *sql.Rows) (*KnownLead, error) {
	var (
		k                       KnownLead
		country, format, search sql.NullString
		list                    []any // stage, band, action, team, quality, score as scanned
	)
	l, err := scanLeadAs(scanFunc(func(dest ...any) error {
		if err := rows.Scan(append(dest, &k.needsEval, &country, &format, &search)...); err != nil {
			return err
		}
		k.updatedAt, k.eval = *dest[11].(*int64), *dest[6].(*sql.NullString)
		for _, d := range dest[16:22] {
			switch v := d.(type) {
			case *string:
				list = append(list, *v)
			case *float64:
				list = append(list, *v)
			}
		}
		return nil
	}), true)
	if err != nil {
		return nil, err
	}
	k.Lead = l
	// In leadValues' order; data, qualification and evaluation are nil:
	// SaveIfUnchanged writes the first and last always, and leaves the
	// qualification alone.
	k.stored = append([]any{nullString(l.Email), nullString(l.Phone), nullInt(l.CompanyID), nil, nil, nil}, list...)
	k.stored = append(k.stored, orNil(country), orNil(format), l.Owner, orNil(search),
		nullInt(l.DefinitionID), nullInt(l.MergedInto), nullString(l.ExternalID), nil)
	return &k, nil
}

// orNil is a scanned text as leadValues' values compare with it: nil
// for NULL.
func orNil(s sql.NullString) any {
	if !s.Valid {
		return nil
	}
	return s.String
}

// leadValueColumns name leadValues' values, in order.
var leadValueColumns = []string{"email", "phone", "company_id", "data", "qualification", "evaluation",
	"stage", "band", "action", "team", "quality", "score", "country", "source_format", "owner", "search",
	"definition_id", "merged_into", "external_id", "updated_at"}

// SaveIfUnchanged saves k.Lead, merged and evaluated since ReadKnown read
// it, unless the lead changed meanwhile (its updated_at or needs_eval
// moved, or it was merged away): then it writes nothing and reports false,
// and the caller reads the lead again in its transaction. It writes the
// lead's data and evaluation and only those other columns whose values
// changed, so that the indexes and triggers of the others are left alone.
// updated_at moves forward, at least by a millisecond (see UpdateLead).
func (tx *Tx) SaveIfUnchanged(ctx context.Context, k *KnownLead, now time.Time) (bool, error) {
	sv, err := tx.saveStatement(ctx, k, now)
	if err != nil {
		return false, err
	}
	res, err := tx.exec(ctx, sv.query, sv.args...)
	if err != nil {
		return false, fmt.Errorf("update lead %d: %w", k.Lead.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil || n != 1 {
		return false, err
	}
	if sv.keepAfter {
		// Unchanged since it was read: the evaluation the statement
		// replaced is the one read with it.
		if err := tx.keepReplaced(ctx, k.Lead.ID, k.eval, now); err != nil {
			return false, err
		}
	}
	tx.saved(sv)
	return true, nil
}

// SaveManyIfUnchanged is SaveIfUnchanged for known leads, all different.
// On PostgreSQL they are saved by one statement, after the rows held
// before it (see knownSaves); on SQLite each by its own, as
// SaveIfUnchanged saves it. saved[i] says whether ks[i] was saved.
func (tx *Tx) SaveManyIfUnchanged(ctx context.Context, ks []*KnownLead, nows []time.Time) (saved []bool, err error) {
	saved = make([]bool, len(ks))
	if tx.db.dialect != Postgres || len(ks) < 2 {
		for i, k := range ks {
			if saved[i], err = tx.SaveIfUnchanged(ctx, k, nows[i]); err != nil {
				return nil, err
			}
		}
		return saved, nil
	}
	svs := make([]saveStmt, len(ks))
	values := make([]any, 0, len(ks)*len(knownSaves.types))
	for i, k := range ks {
		vals, keep, err := saveValues(k, nows[i])
		if err != nil {
			return nil, err
		}
		mode := 0 // the evaluation replaced is not kept
		if keep {
			mode = 2 // kept if an answer marked the lead (see keepEvaluationCTE)
			if _, ok := tx.answered[k.Lead.ID]; ok {
				mode = 1 // kept: an answer of this transaction shows it
			}
		}
		svs[i] = saveStmt{k: k, keep: keep}
		values = append(values, vals[:4]...) // all but the qualification: a merge does not change it
		values = append(values, vals[5:]...)
		values = append(values, k.Lead.ID, k.updatedAt, k.needsEval, mode,
			millis(nows[i]), millis(nows[i].Add(-IdempotencyWindow)))
	}
	query, args, err := allRows([]manyRows{knownSaves}, [][]any{values})
	if err != nil {
		return nil, err
	}
	index := make(map[int64]int, len(ks))
	for i, k := range ks {
		index[k.Lead.ID] = i
	}
	err = tx.pipeline(ctx, []pgRead{{query, args, func(rows rowReader) error {
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			if i, ok := index[id]; ok {
				saved[i] = true
			}
		}
		return rows.Err()
	}}})
	if err != nil {
		return nil, fmt.Errorf("save %d known leads: %w", len(ks), err)
	}
	for i, sv := range svs {
		if saved[i] {
			tx.saved(sv)
		}
	}
	return saved, nil
}

// knownSaves is SaveManyIfUnchanged's statement on PostgreSQL: each lead
// saved unless it changed since it was read, its evaluation kept aside as
// keepEvaluationCTE keeps it (keep 1: always; 2: if an answer marked the
// lead within the idempotency window, unmarking it), and the IDs of those
// saved. One statement instead of one a lead: a statement that updates
// leads opens, locks and closes the table and its sixteen indexes, which
// took a fifth of PostgreSQL's time for a group of known people.
//
// Unlike saveStatement it writes every column: one statement text for
// any lead. A column written with the value it had is no change to
// PostgreSQL: its indexes (and so a HOT update), the foreign keys and the
// trigger that marks reports compare the values.
var knownSaves = manyRows{
	head: `UPDATE leads`,
	statement: `WITH saved AS (UPDATE leads SET needs_eval = 0, email = u.email, phone = u.phone,
		company_id = u.company_id, data = u.data, evaluation = u.evaluation, stage = u.stage, band = u.band,
		action = u.action, team = u.team, quality = u.quality, score = u.score, country = u.country,
		source_format = u.source_format, owner = u.owner, search = u.search, definition_id = u.definition_id,
		merged_into = u.merged_into, external_id = u.external_id, updated_at = u.updated_at
		FROM {rows} AS u(email, phone, company_id, data, evaluation, stage, band, action, team, quality, score,
			country, source_format, owner, search, definition_id, merged_into, external_id, updated_at,
			id, was_updated, was_needs_eval, keep, kept_at, answered_after)
		WHERE leads.id = u.id AND leads.updated_at = u.was_updated AND leads.needs_eval = u.was_needs_eval
			AND leads.merged_into IS NULL
		RETURNING leads.id, u.keep, u.kept_at, u.answered_after),
	answered AS (DELETE FROM answered_leads a USING saved s
		WHERE a.lead_id = s.id AND s.keep = 2 AND a.answered_at > s.answered_after RETURNING a.lead_id),
	kept AS (INSERT INTO kept_evaluations (lead_id, evaluation, created_at)
		SELECT l.id, l.evaluation, s.kept_at FROM leads l JOIN saved s ON s.id = l.id
		WHERE l.evaluation IS NOT NULL AND (s.keep = 1 OR s.id IN (SELECT lead_id FROM answered)))
	SELECT id FROM saved`,
	types: []string{"text", "text", "int8", "text", "text",
		"text", "text", "text", "text", "text", "float8", "text", "text", "text", "text",
		"int8", "int8", "text", "int8",
		"int8", "int8", "int8", "int8", "int8", "int8"},
}

// saveStmt is the statement that saves a known lead if it is unchanged.
type saveStmt struct {
	k     *KnownLead
	query string
	args  []any
	keep  bool // its evaluation kept aside by the statement (PostgreSQL)
	// keepAfter: its evaluation is to be kept aside once it is saved
	// (SQLite; see keepReplaced).
	keepAfter bool
}

// saveStatement is SaveIfUnchanged's statement. It writes the lead's data
// and evaluation and only those other columns whose values changed, so
// that the indexes and triggers of the others are left alone. The
// evaluation it replaces is kept aside by the statement on PostgreSQL,
// after it on SQLite (saveStmt.keepAfter).
func (tx *Tx) saveStatement(ctx context.Context, k *KnownLead, now time.Time) (saveStmt, error) {
	vals, keep, err := saveValues(k, now)
	if err != nil {
		return saveStmt{}, err
	}
	pg := tx.db.dialect == Postgres
	var set strings.Builder
	var args []any
	set.WriteString(`UPDATE leads SET needs_eval=0`)
	for i, v := range vals {
		name := leadValueColumns[i]
		switch name {
		case "qualification":
			continue // a merge does not change it
		case "data", "evaluation", "updated_at":
		default:
			if v == k.stored[i] {
				continue
			}
		}
		set.WriteString(`, ` + name + `=?`)
		args = append(args, v)
	}
	set.WriteString(` WHERE id=? AND updated_at=? AND needs_eval=? AND merged_into IS NULL`)
	args = append(args, k.Lead.ID, k.updatedAt, k.needsEval)
	query := set.String()
	if keep && pg {
		// Kept aside by the same statement, and only if the lead is
		// saved (see keepEvaluationCTE).
		query, args = tx.keepEvaluationCTE(query, args, k.Lead.ID, now)
	}
	return saveStmt{k: k, query: query, args: args, keep: keep && pg, keepAfter: keep && !pg}, nil
}

// saveValues are the values a known lead is saved with (leadValues'),
// its updated_at moved forward, at least by a millisecond (see
// UpdateLead), and whether the evaluation it replaces may be one an answer
// showed: then it is kept aside (see keepEvaluationCTE).
func saveValues(k *KnownLead, now time.Time) (vals []any, keep bool, err error) {
	k.Lead.UpdatedAt = fromMillis(max(millis(now), k.updatedAt+1))
	vals, err = leadValues(k.Lead)
	return vals, k.updatedAt > millis(now.Add(-IdempotencyWindow)), err
}

// saved notes in the transaction that sv saved its lead.
func (tx *Tx) saved(sv saveStmt) {
	l := sv.k.Lead
	if sv.keep {
		delete(tx.answered, l.ID) // kept by the statement
	}
	tx.prefetchWrote(l)
	tx.wroteEval(l.ID, evalOf(l))
	tx.evaluatedWith(l.ID, l.DefinitionID)
}

// FindLeadID is DB.FindLead within the transaction.
func (tx *Tx) FindLeadID(ctx context.Context, email, phone, externalID string) (int64, error) {
	// One statement: the first of the three lookups that finds a lead (an
	// empty value is NULL, which names none).
	var id int64
	err := tx.row(ctx, `SELECT coalesce(
		(SELECT id FROM leads WHERE email = ? AND merged_into IS NULL ORDER BY id LIMIT 1),
		(SELECT id FROM leads WHERE phone = ? AND merged_into IS NULL ORDER BY id LIMIT 1),
		(SELECT id FROM leads WHERE external_id = ? AND merged_into IS NULL ORDER BY id LIMIT 1), 0)`,
		nullString(email), nullString(phone), nullString(externalID)).Scan(&id)
	return id, err
}

// CachedCompany is the ID of the company with a domain if this process
// has it at hand (see Companies), without asking the database.
func (db *DB) CachedCompany(domain string) int64 {
	if id, ok := db.companies.Load(domain); ok {
		return id.(int64)
	}
	return 0
}

// inList is Tx.inList outside a transaction, for values of a PostgreSQL
// type (text, int8). On SQLite the lists are padded (the last value
// repeated) to one of a few lengths, so that their queries are prepared
// once each (see query).
func (db *DB) inList(values any, pgType string, fn func(cond string, args []any) error) error {
	if db.dialect == Postgres {
		switch v := values.(type) {
		case []string:
			if len(v) == 0 {
				return nil
			}
		case []int64:
			if len(v) == 0 {
				return nil
			}
		}
		return fn(`= ANY(?::`+pgType+`[])`, []any{values})
	}
	padded := func(args []any) error {
		n := len(args)
		size := 1
		for size < n {
			size *= 4
		}
		size = min(size, 100)
		for len(args) < size {
			args = append(args, args[n-1])
		}
		return fn(`IN (`+strings.TrimSuffix(strings.Repeat("?,", size), ",")+`)`, args)
	}
	switch v := values.(type) {
	case []string:
		return inChunks(v, func(chunk []string, _ string) error { return padded(anySlice(chunk)) })
	case []int64:
		return inChunks(v, func(chunk []int64, _ string) error { return padded(anySlice(chunk)) })
	}
	return fmt.Errorf("inList: %T", values)
}

// query runs a query outside a transaction; on SQLite prepared once per
// connection, as Tx.stmt does.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if db.dialect == Postgres {
		return db.sql.QueryContext(ctx, db.q(query), args...)
	}
	st, err := db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow is query for at most one row, for the reads of every request
// (a token, a session, a user): on SQLite, parsing the SQL took more than
// half of an API token's lookup.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if db.dialect == Postgres {
		return db.sql.QueryRowContext(ctx, db.q(query), args...)
	}
	st, err := db.prepared(ctx, query)
	if err != nil {
		// The same query unprepared gives the same error, in a Row.
		return db.sql.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
