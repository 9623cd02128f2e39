package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/jsonpack"
	"github.com/pistahq/pista/internal/lead"
	lstage "github.com/pistahq/pista/internal/stage"
)

// Lead is a stored lead: the lead model, its latest BANT qualification and
// its current evaluation. The list columns (stage, score, ...) are copies
// of the evaluation, kept for filtering and sorting.
type Lead struct {
	ID            int64
	Email         string // normalised; "" if none
	Phone         string // E.164; "" if none
	ExternalID    string // source.external_id; "" if none
	CompanyID     int64
	Data          lead.Lead
	Qualification *lead.Qualification
	Eval          *engine.Result
	DefinitionID  int64
	MergedInto    int64
	Owner         string // the owner's e-mail; "" if none
	OwnerID       int64
	// HumanStage is the state the last human act left (stage.Effective);
	// Flow is the waterfall's JSON about the lead (acceptance,
	// opportunity, nurture). Only the waterfall writes them.
	HumanStage string
	Flow       []byte
	// Suspicious lists why the web-form submission that created or last
	// fed the lead looked like spam; while it is set the waterfall does not
	// route the lead (intake sets and clears it with SetSuspicious, a
	// person's assignment clears it).
	Suspicious []string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Encoded holds Data and Eval already encoded as JSON, when the
	// caller prepared them outside the transaction; saving uses it.
	Encoded *Encoded

	// partial is Eval as LeadToReevaluate left it: saving it is refused.
	partial *engine.Result
}

// Encoded is a lead's JSON columns, prepared ahead: Eval is the
// evaluation as answers show it; Data and StoredEval are the data and the
// evaluation as stored, packed (jsonpack).
type Encoded struct {
	Data, Eval, StoredEval []byte
}

// Encode prepares the JSON columns of a lead.
func (l *Lead) Encode() error {
	data, err := l.Data.AppendJSON(make([]byte, 0, 1024))
	if err != nil {
		return err
	}
	e := &Encoded{Data: jsonpack.Pack(make([]byte, 0, len(data)*3/4), data)}
	if l.Eval != nil {
		if e.Eval, err = l.Eval.AppendJSON(make([]byte, 0, 1536)); err != nil {
			return err
		}
		e.StoredEval = jsonpack.Pack(make([]byte, 0, len(e.Eval)/2+64), e.Eval)
	}
	l.Encoded = e
	return nil
}

const leadColumns = `id, email, phone, company_id, data, qualification, evaluation, definition_id, merged_into, owner, created_at, updated_at, external_id, human_stage, flow, owner_id, suspicious`

// partialColumns keep what LeadToReevaluate's lead has of its evaluation.
const partialColumns = `stage, band, action, team, quality, score`

// listColumns are leadColumns for lists (prefixed by a table alias such as
// "l.", or ""): the evaluation is read from its list columns
// (partialColumns) instead of being decoded, which took half of a leads
// list's time (fifty evaluations of 1.5 KB of JSON each). Such a lead is
// partial: saving it is refused.
func listColumns(alias string) string {
	cols := strings.Split(leadColumns, ", ")
	for i, c := range cols {
		cols[i] = alias + c
		if c == "evaluation" {
			cols[i] = "CASE WHEN " + alias + "evaluation IS NULL THEN NULL ELSE '' END"
		}
	}
	return strings.Join(cols, ", ") + ", " + prefixed(alias, partialColumns)
}

// scanListed scans listColumns.
func scanListed(sc interface{ Scan(...any) error }) (*Lead, error) { return scanLeadAs(sc, true) }

// Stage is the stage the lead shows: the definition's, combined with the
// last human act.
func (l *Lead) Stage() string {
	engineStage := ""
	if l.Eval != nil {
		engineStage = l.Eval.Stage
	}
	return lstage.Effective(engineStage, l.HumanStage)
}

func scanLead(sc interface{ Scan(...any) error }) (*Lead, error) { return scanLeadAs(sc, false) }

// scanLeadAs scans leadColumns and, with partial, partialColumns, whose
// values stand in for the evaluation, left undecoded (LeadToReevaluate).
func scanLeadAs(sc interface{ Scan(...any) error }, partial bool) (*Lead, error) {
	var row leadRow
	if err := sc.Scan(row.dest(partial)...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	return row.lead(partial)
}

// leadRow is a lead's columns as scanned, before decoding.
type leadRow struct {
	id                         int64
	email, phone, qual, eval   sql.NullString
	external, flow, suspicious sql.NullString
	company, defID, mergedInto sql.NullInt64
	ownerID                    sql.NullInt64
	owner, humanStage, data    string
	created, updated           int64
	r                          engine.Result // partialColumns
}

// dest is where Scan puts leadColumns and, with partial, partialColumns.
func (row *leadRow) dest(partial bool) []any {
	dest := []any{&row.id, &row.email, &row.phone, &row.company, &row.data, &row.qual, &row.eval, &row.defID, &row.mergedInto,
		&row.owner, &row.created, &row.updated, &row.external, &row.humanStage, &row.flow, &row.ownerID, &row.suspicious}
	if partial {
		dest = append(dest, &row.r.Stage, &row.r.Band, &row.r.Action, &row.r.Team, &row.r.Quality, &row.r.Total)
	}
	return dest
}

// lead decodes the row; with partial, the evaluation is what
// partialColumns hold (row.r), left undecoded.
func (row *leadRow) lead(partial bool) (*Lead, error) {
	l := &Lead{ID: row.id, Owner: row.owner, HumanStage: row.humanStage}
	l.Email, l.Phone, l.CompanyID, l.ExternalID = row.email.String, row.phone.String, row.company.Int64, row.external.String
	l.DefinitionID, l.MergedInto, l.OwnerID = row.defID.Int64, row.mergedInto.Int64, row.ownerID.Int64
	if row.flow.Valid {
		l.Flow = []byte(row.flow.String)
	}
	if row.suspicious.Valid {
		if err := json.Unmarshal([]byte(row.suspicious.String), &l.Suspicious); err != nil || len(l.Suspicious) == 0 {
			l.Suspicious = []string{"suspicious"} // marked, whatever the reasons said
		}
	}
	l.CreatedAt, l.UpdatedAt = fromMillis(row.created), fromMillis(row.updated)
	if err := lead.DecodeStored([]byte(row.data), &l.Data); err != nil {
		return nil, fmt.Errorf("lead %d: %w", l.ID, err)
	}
	if row.qual.Valid {
		l.Qualification = new(lead.Qualification)
		if err := json.Unmarshal([]byte(row.qual.String), l.Qualification); err != nil {
			return nil, fmt.Errorf("lead %d qualification: %w", l.ID, err)
		}
	}
	switch {
	case row.eval.Valid && partial:
		r := row.r
		l.Eval, l.partial = &r, &r
	case row.eval.Valid:
		l.Eval = new(engine.Result)
		if err := decodeEvaluation(row.eval.String, l.Eval); err != nil {
			return nil, fmt.Errorf("lead %d evaluation: %w", l.ID, err)
		}
	}
	return l, nil
}

// decodeEvaluation reads an evaluation as stored, packed or not.
func decodeEvaluation(stored string, r *engine.Result) error {
	b, err := storedJSON(stored)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, r)
}

// storedJSON is a JSON column's text as it was before it was packed.
func storedJSON(stored string) ([]byte, error) {
	return jsonpack.JSON([]byte(stored))
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// leadValues are the column values derived from a lead for saving.
func leadValues(l *Lead) ([]any, error) {
	if l.Eval != nil && l.Eval == l.partial {
		return nil, fmt.Errorf("lead %d: read with LeadToReevaluate and saved without evaluating it again", l.ID)
	}
	if l.Encoded == nil {
		if err := l.Encode(); err != nil {
			return nil, err
		}
	}
	data := l.Encoded.Data
	var qual, eval any
	if l.Qualification != nil {
		b, err := json.Marshal(l.Qualification)
		if err != nil {
			return nil, err
		}
		qual = string(b)
	}
	stage, band, action, team, quality, score := "", "", "", "", "", 0.0
	if r := l.Eval; r != nil {
		eval = string(l.Encoded.StoredEval)
		stage, band, action, team, quality, score = r.Stage, r.Band, r.Action, r.Team, r.Quality, r.Total
	}
	stage = lstage.Effective(stage, l.HumanStage)
	country := l.Data.Person.Country
	if country == "" {
		country = l.Data.Company.Country
	}
	search := strings.ToLower(strings.Join([]string{l.Data.Person.FirstName, l.Data.Person.LastName, l.Email, l.Data.Company.Name, l.Data.Company.Domain}, " "))
	return []any{nullString(l.Email), nullString(l.Phone), nullInt(l.CompanyID), string(data), qual, eval,
		stage, band, action, team, quality, score, country, l.Data.Source.Format, l.Owner, search,
		nullInt(l.DefinitionID), nullInt(l.MergedInto), nullString(l.ExternalID), millis(l.UpdatedAt)}, nil
}

// evalOf is the evaluation leadValues wrote for l (nil if none).
func evalOf(l *Lead) []byte {
	if l.Eval == nil || l.Encoded == nil {
		return nil
	}
	return l.Encoded.Eval
}

// InsertLead stores a new lead and sets its ID.
func (tx *Tx) InsertLead(ctx context.Context, l *Lead) error {
	vals, err := leadValues(l)
	if err != nil {
		return err
	}
	defer tx.prefetchWrote(l)
	id, err := tx.insert(ctx, `INSERT INTO leads (email, phone, company_id, data, qualification, evaluation,
		stage, band, action, team, quality, score, country, source_format, owner, search,
		definition_id, merged_into, external_id, updated_at, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		append(vals, millis(l.CreatedAt))...)
	if err != nil {
		return fmt.Errorf("insert lead: %w", err)
	}
	l.ID = id
	tx.newLeads++
	tx.evaluatedWith(id, l.DefinitionID)
	return nil
}

// UpdateLead saves every column of an existing lead. On PostgreSQL the
// update is written with the transaction's next statement. updated_at
// becomes l.UpdatedAt or, if that is not later than the stored one, a
// millisecond past it: every change to a lead moves updated_at forward,
// which is what SaveIfUnchanged and UpdateEvaluation check to know a lead
// they read outside the transaction did not change meanwhile.
func (tx *Tx) UpdateLead(ctx context.Context, l *Lead) error {
	vals, err := leadValues(l)
	if err != nil {
		return err
	}
	if err := tx.keepEvaluation(ctx, l.ID, l.UpdatedAt); err != nil {
		return err
	}
	tx.prefetchWrote(l)
	tx.wroteEval(l.ID, evalOf(l))
	tx.evaluatedWith(l.ID, l.DefinitionID)
	if tx.db.dialect == Postgres {
		// Held and written with the transaction's next statement (see
		// writePending); new leads held before it are written first, so
		// that one statement never inserts and updates the same lead.
		if len(tx.leads) > 0 {
			if err := tx.writePending(ctx); err != nil {
				return err
			}
		}
		row := append(vals, l.HumanStage, l.ID)
		if at, ok := tx.updateAt[l.ID]; ok {
			copy(tx.updates[at:], row) // updated twice: the last one counts
			return nil
		}
		if tx.updateAt == nil {
			tx.updateAt = map[int64]int{}
		}
		tx.updateAt[l.ID] = len(tx.updates)
		tx.updates = append(tx.updates, row...)
		return nil
	}
	at := vals[len(vals)-1]
	_, err = tx.exec(ctx, `UPDATE leads SET email=?, phone=?, company_id=?, data=?, qualification=?, evaluation=?,
		stage=?, band=?, action=?, team=?, quality=?, score=?, country=?, source_format=?, owner=?, search=?,
		definition_id=?, merged_into=?, external_id=?, updated_at = CASE WHEN updated_at < ? THEN ? ELSE updated_at + 1 END,
		human_stage=?, needs_eval=0 WHERE id=?`, append(vals, at, l.HumanStage, l.ID)...)
	if err != nil {
		return fmt.Errorf("update lead %d: %w", l.ID, err)
	}
	return nil
}

// Leads read inside a transaction are locked until it ends, because the
// transaction is about to change them: on PostgreSQL another server could
// otherwise change the same lead in between and one change would be lost.
// SQLite has one writer at a time, so it needs no lock. The lock is FOR
// NO KEY UPDATE, what an UPDATE that keeps the ID takes: rows that refer
// to the lead (events, timeline) can still be added meanwhile.
func (tx *Tx) forUpdate() string {
	if tx.db.dialect == Postgres {
		return " FOR NO KEY UPDATE"
	}
	return ""
}

// LeadBy is LeadByEmail, LeadByPhone or LeadByExternalID, by is "email",
// "phone" or "external_id".
func (tx *Tx) LeadBy(ctx context.Context, by, value string) (*Lead, error) {
	return tx.leadBy(ctx, by, value, false)
}

// leadBy reads a live lead by column, with its evaluation decoded or,
// partial, only what the lead's columns keep.
func (tx *Tx) leadBy(ctx context.Context, by, value string, partial bool) (*Lead, error) {
	where, ok := findLead[by]
	if !ok {
		return nil, fmt.Errorf("no lead is found by %q", by)
	}
	if l, ok, err := tx.prefetchedLead(by, value, partial); ok {
		return l, err
	}
	cols := leadColumns
	if partial {
		cols += `, ` + partialColumns
	}
	return scanLeadAs(tx.row(ctx, `SELECT `+cols+` FROM leads WHERE `+where+tx.forUpdate(), value), partial)
}

// findLead is how LeadByEmail, LeadByPhone and LeadByExternalID find a
// live lead, by the column they search.
var findLead = map[string]string{
	"email":       `email = ? AND merged_into IS NULL`,
	"phone":       `phone = ? AND merged_into IS NULL ORDER BY id LIMIT 1`,
	"external_id": `external_id = ? AND merged_into IS NULL`,
}

// LeadByEmail finds and locks the live lead with a normalised e-mail address.
func (tx *Tx) LeadByEmail(ctx context.Context, email string) (*Lead, error) {
	return tx.LeadBy(ctx, "email", email)
}

// LeadByPhone finds and locks the oldest live lead with an E.164 phone number.
func (tx *Tx) LeadByPhone(ctx context.Context, phone string) (*Lead, error) {
	return tx.LeadBy(ctx, "phone", phone)
}

// LeadByExternalID finds and locks the live lead with an external ID.
func (tx *Tx) LeadByExternalID(ctx context.Context, id string) (*Lead, error) {
	return tx.LeadBy(ctx, "external_id", id)
}

// LeadToReevaluate finds and locks a live lead as LeadByEmail, LeadByPhone
// or LeadByExternalID do (by is "email", "phone" or "external_id"), for a
// caller that evaluates it again before saving it: its evaluation JSON,
// the costliest part of reading a lead, is not decoded. Eval holds only
// what the lead's columns keep (stage, band, action, team, quality and
// score, no explanation), and saving the lead before evaluating it again
// is refused.
func (tx *Tx) LeadToReevaluate(ctx context.Context, by, value string) (*Lead, error) {
	return tx.leadBy(ctx, by, value, true)
}

// Lead loads and locks a lead by ID inside the transaction.
func (tx *Tx) Lead(ctx context.Context, id int64) (*Lead, error) {
	return scanLead(tx.row(ctx, `SELECT `+leadColumns+` FROM leads WHERE id = ?`+tx.forUpdate(), id))
}

// Lead loads a lead by ID.
func (db *DB) Lead(ctx context.Context, id int64) (*Lead, error) {
	return scanLead(db.queryRow(ctx, `SELECT `+leadColumns+` FROM leads WHERE id = ?`, id))
}

// ListFilter selects leads for GET /leads.
type ListFilter struct {
	Stage, Band, SourceFormat, Country, Owner, Text string
	MinScore, MaxScore                              *float64
	// After continues a listing: the score and ID of the last lead seen.
	AfterScore *float64
	AfterID    int64
	Limit      int
	// Scope is what the token's user may see.
	Scope LeadScope
	// Suspicious keeps only the leads held out of the queues as
	// suspicious (Lead.Suspicious).
	Suspicious bool
}

// ListLeads returns live leads by priority (score, then newest first).
func (db *DB) ListLeads(ctx context.Context, f ListFilter) ([]*Lead, error) {
	var where []string
	var args []any
	eq := func(col, v string) {
		if v != "" {
			where = append(where, col+" = ?")
			args = append(args, v)
		}
	}
	where = append(where, "merged_into IS NULL")
	eq("stage", f.Stage)
	eq("band", f.Band)
	eq("source_format", f.SourceFormat)
	if f.Suspicious {
		where = append(where, "suspicious IS NOT NULL")
	}
	eq("country", f.Country)
	eq("owner", f.Owner)
	text := textFilter{From: "leads"}
	if f.Text != "" {
		// The text is matched literally: % and _ are not wildcards.
		var err error
		if text, err = db.textMatch(ctx, f.Text, f.Scope.Limited); err != nil {
			return nil, err
		}
		if text.Cond != "" {
			where = append(where, text.Cond)
			args = append(args, text.Args...)
		}
	}
	if f.MinScore != nil {
		where = append(where, "score >= ?")
		args = append(args, *f.MinScore)
	}
	if f.MaxScore != nil {
		where = append(where, "score <= ?")
		args = append(args, *f.MaxScore)
	}
	if f.AfterScore != nil {
		where = append(where, "(score < ? OR (score = ? AND id < ?))")
		args = append(args, *f.AfterScore, *f.AfterScore, f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 501 {
		limit = 50
	}
	query, args := scopedSelect(func(alias string) string { return prefixed(alias, leadColumns) }, text.From, text.FromArgs, strings.Join(where, " AND "), args,
		"score DESC, id DESC", limit, f.Scope)
	rows, err := db.sql.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	return scanLeads(rows)
}

func scanLeads(rows *sql.Rows) ([]*Lead, error) { return collect(rows, nil, scanLead) }

// collect scans every row of a query with scan and closes the rows; err
// is the query's own error, passed through.
// column reads a query of one column whole and closes its rows (the
// caller may then query again in the same transaction); err is the
// query's own error, passed through.
func column[T any](rows *sql.Rows, err error) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanColumn[T](rows)
}

// scanColumn reads the one column of rows.
func scanColumn[T any](rows rowReader) ([]T, error) {
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// drain reads rows to their end, for a statement whose rows say nothing.
func drain(rows rowReader) error {
	for rows.Next() {
	}
	return rows.Err()
}

func collect[T any](rows *sql.Rows, err error, scan func(interface{ Scan(...any) error }) (*T, error)) ([]*T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CountLiveLeads counts leads not merged away.
func (db *DB) CountLiveLeads(ctx context.Context) (int64, error) {
	var n int64
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM leads WHERE merged_into IS NULL`).Scan(&n)
	return n, err
}

// LeadsNeedingEval lists flagged leads.
func (db *DB) LeadsNeedingEval(ctx context.Context, limit int) ([]int64, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT id FROM leads WHERE needs_eval > 0 ORDER BY id LIMIT ?`), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
