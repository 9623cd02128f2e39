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
	"github.com/pistahq/pista/internal/lead"
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
	Owner         string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// Encoded holds Data and Eval already encoded as JSON, when the
	// caller prepared them outside the transaction; saving uses it.
	Encoded *Encoded
}

// Encoded is a lead's JSON columns, prepared ahead.
type Encoded struct {
	Data, Eval []byte
}

// Encode prepares the JSON columns of a lead.
func (l *Lead) Encode() error {
	data, err := json.Marshal(&l.Data)
	if err != nil {
		return err
	}
	var eval []byte
	if l.Eval != nil {
		if eval, err = json.Marshal(l.Eval); err != nil {
			return err
		}
	}
	l.Encoded = &Encoded{Data: data, Eval: eval}
	return nil
}

const leadColumns = `id, email, phone, company_id, data, qualification, evaluation, definition_id, merged_into, owner, created_at, updated_at, external_id`

func scanLead(sc interface{ Scan(...any) error }) (*Lead, error) {
	var (
		l                          Lead
		email, phone, qual, eval   sql.NullString
		external                   sql.NullString
		company, defID, mergedInto sql.NullInt64
		data                       string
		created, updated           int64
	)
	if err := sc.Scan(&l.ID, &email, &phone, &company, &data, &qual, &eval, &defID, &mergedInto, &l.Owner, &created, &updated, &external); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	l.Email, l.Phone, l.CompanyID, l.ExternalID = email.String, phone.String, company.Int64, external.String
	l.DefinitionID, l.MergedInto = defID.Int64, mergedInto.Int64
	l.CreatedAt, l.UpdatedAt = fromMillis(created), fromMillis(updated)
	if err := json.Unmarshal([]byte(data), &l.Data); err != nil {
		return nil, fmt.Errorf("lead %d: %w", l.ID, err)
	}
	if qual.Valid {
		l.Qualification = new(lead.Qualification)
		if err := json.Unmarshal([]byte(qual.String), l.Qualification); err != nil {
			return nil, fmt.Errorf("lead %d qualification: %w", l.ID, err)
		}
	}
	if eval.Valid {
		l.Eval = new(engine.Result)
		if err := json.Unmarshal([]byte(eval.String), l.Eval); err != nil {
			return nil, fmt.Errorf("lead %d evaluation: %w", l.ID, err)
		}
	}
	return &l, nil
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
		eval = string(l.Encoded.Eval)
		stage, band, action, team, quality, score = r.Stage, r.Band, r.Action, r.Team, r.Quality, r.Total
	}
	country := l.Data.Person.Country
	if country == "" {
		country = l.Data.Company.Country
	}
	search := strings.ToLower(strings.Join([]string{l.Data.Person.FirstName, l.Data.Person.LastName, l.Email, l.Data.Company.Name, l.Data.Company.Domain}, " "))
	return []any{nullString(l.Email), nullString(l.Phone), nullInt(l.CompanyID), string(data), qual, eval,
		stage, band, action, team, quality, score, country, l.Data.Source.Format, l.Owner, search,
		nullInt(l.DefinitionID), nullInt(l.MergedInto), nullString(l.ExternalID), millis(l.UpdatedAt)}, nil
}

// InsertLead stores a new lead and sets its ID.
func (tx *Tx) InsertLead(ctx context.Context, l *Lead) error {
	vals, err := leadValues(l)
	if err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO leads (email, phone, company_id, data, qualification, evaluation,
		stage, band, action, team, quality, score, country, source_format, owner, search,
		definition_id, merged_into, external_id, updated_at, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		append(vals, millis(l.CreatedAt))...)
	if err != nil {
		return fmt.Errorf("insert lead: %w", err)
	}
	l.ID = id
	return nil
}

// UpdateLead saves every column of an existing lead.
func (tx *Tx) UpdateLead(ctx context.Context, l *Lead) error {
	vals, err := leadValues(l)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE leads SET email=?, phone=?, company_id=?, data=?, qualification=?, evaluation=?,
		stage=?, band=?, action=?, team=?, quality=?, score=?, country=?, source_format=?, owner=?, search=?,
		definition_id=?, merged_into=?, external_id=?, updated_at=?, needs_eval=0 WHERE id=?`, append(vals, l.ID)...)
	if err != nil {
		return fmt.Errorf("update lead %d: %w", l.ID, err)
	}
	return nil
}

// Leads read inside a transaction are locked until it ends, because the
// transaction is about to change them: on PostgreSQL another server could
// otherwise change the same lead in between and one change would be lost.
// SQLite has one writer at a time, so it needs no lock.
func (tx *Tx) forUpdate() string {
	if tx.db.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// LeadByEmail finds and locks the live lead with a normalised e-mail address.
func (tx *Tx) LeadByEmail(ctx context.Context, email string) (*Lead, error) {
	return scanLead(tx.row(ctx, `SELECT `+leadColumns+` FROM leads WHERE email = ? AND merged_into IS NULL`+tx.forUpdate(), email))
}

// LeadByPhone finds and locks the oldest live lead with an E.164 phone number.
func (tx *Tx) LeadByPhone(ctx context.Context, phone string) (*Lead, error) {
	return scanLead(tx.row(ctx, `SELECT `+leadColumns+` FROM leads WHERE phone = ? AND merged_into IS NULL ORDER BY id LIMIT 1`+tx.forUpdate(), phone))
}

// LeadByExternalID finds and locks the live lead with an external ID.
func (tx *Tx) LeadByExternalID(ctx context.Context, id string) (*Lead, error) {
	return scanLead(tx.row(ctx, `SELECT `+leadColumns+` FROM leads WHERE external_id = ? AND merged_into IS NULL`+tx.forUpdate(), id))
}

// Lead loads and locks a lead by ID inside the transaction.
func (tx *Tx) Lead(ctx context.Context, id int64) (*Lead, error) {
	return scanLead(tx.row(ctx, `SELECT `+leadColumns+` FROM leads WHERE id = ?`+tx.forUpdate(), id))
}

// Lead loads a lead by ID.
func (db *DB) Lead(ctx context.Context, id int64) (*Lead, error) {
	return scanLead(db.sql.QueryRowContext(ctx, db.q(`SELECT `+leadColumns+` FROM leads WHERE id = ?`), id))
}

// UpsertCompany returns the company with a domain, creating it if needed.
func (tx *Tx) UpsertCompany(ctx context.Context, domain, name string, now time.Time) (int64, error) {
	var id int64
	err := tx.row(ctx, `SELECT id FROM companies WHERE domain = ?`, domain).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	return tx.insert(ctx, `INSERT INTO companies (domain, name, created_at) VALUES (?, ?, ?)`, domain, name, millis(now))
}

// ListFilter selects leads for GET /leads.
type ListFilter struct {
	Stage, Band, SourceFormat, Country, Owner, Text string
	MinScore, MaxScore                              *float64
	// After continues a listing: the score and ID of the last lead seen.
	AfterScore *float64
	AfterID    int64
	Limit      int
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
	eq("country", f.Country)
	eq("owner", f.Owner)
	if f.Text != "" {
		// The text is matched literally: % and _ are not wildcards.
		esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(f.Text))
		where = append(where, `search LIKE ? ESCAPE '\'`)
		args = append(args, "%"+esc+"%")
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
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+leadColumns+` FROM leads WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY score DESC, id DESC LIMIT %d`, limit)), args...)
	if err != nil {
		return nil, err
	}
	return scanLeads(rows)
}

func scanLeads(rows *sql.Rows) ([]*Lead, error) {
	defer rows.Close()
	var out []*Lead
	for rows.Next() {
		l, err := scanLead(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
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

// ReevalRow is what re-evaluating a lead needs.
type ReevalRow struct {
	ID            int64
	Data          lead.Lead
	Qualification *lead.Qualification
	Stage         string
	UpdatedAt     int64 // as stored, to detect a concurrent change
	NeedsEval     int64 // events-arrived counter as read, likewise
	Events        []lead.Event
}

// ReevalPage reads up to limit live leads with IDs in (afterID, upTo], with
// their events, outside any write transaction.
func (db *DB) ReevalPage(ctx context.Context, afterID, upTo int64, limit int) ([]*ReevalRow, error) {
	return db.reevalRows(ctx, `id > ? AND id <= ? AND merged_into IS NULL ORDER BY id LIMIT ?`, afterID, upTo, limit)
}

// ReevalByID reads live leads by ID (ascending IDs), with their events.
func (db *DB) ReevalByID(ctx context.Context, ids []int64) ([]*ReevalRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	return db.reevalRows(ctx, `id IN (`+ph+`) AND merged_into IS NULL ORDER BY id`, anySlice(ids)...)
}

func (db *DB) reevalRows(ctx context.Context, where string, args ...any) ([]*ReevalRow, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT id, data, qualification, stage, updated_at, needs_eval FROM leads WHERE `+where), args...)
	if err != nil {
		return nil, err
	}
	var out []*ReevalRow
	for rows.Next() {
		var (
			r    ReevalRow
			data string
			qual sql.NullString
		)
		if err := rows.Scan(&r.ID, &data, &qual, &r.Stage, &r.UpdatedAt, &r.NeedsEval); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &r.Data); err != nil {
			rows.Close()
			return nil, fmt.Errorf("lead %d: %w", r.ID, err)
		}
		if qual.Valid {
			r.Qualification = new(lead.Qualification)
			if err := json.Unmarshal([]byte(qual.String), r.Qualification); err != nil {
				rows.Close()
				return nil, fmt.Errorf("lead %d qualification: %w", r.ID, err)
			}
		}
		out = append(out, &r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	evRows, err := db.sql.QueryContext(ctx, db.q(`SELECT lead_id, type, at, props FROM events WHERE lead_id BETWEEN ? AND ? ORDER BY lead_id, at, id`), out[0].ID, out[len(out)-1].ID)
	if err != nil {
		return nil, err
	}
	defer evRows.Close()
	byID := make(map[int64]*ReevalRow, len(out))
	for _, r := range out {
		byID[r.ID] = r
	}
	for evRows.Next() {
		var (
			id    int64
			e     lead.Event
			at    int64
			props sql.NullString
		)
		if err := evRows.Scan(&id, &e.Type, &at, &props); err != nil {
			return nil, err
		}
		r := byID[id]
		if r == nil {
			continue
		}
		e.At = fromMillis(at)
		if props.Valid {
			if err := json.Unmarshal([]byte(props.String), &e.Props); err != nil {
				return nil, err
			}
		}
		r.Events = append(r.Events, e)
	}
	return out, evRows.Err()
}

// UpdateEvaluation saves a new evaluation of a lead unless the lead changed
// or received events since it was read (then it is, or will be, evaluated
// again with all of it). It reports whether it saved.
func (tx *Tx) UpdateEvaluation(ctx context.Context, row *ReevalRow, r *engine.Result, evalJSON []byte, definitionID int64, now time.Time) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE leads SET evaluation=?, stage=?, band=?, action=?, team=?, quality=?, score=?, definition_id=?, updated_at=?, needs_eval=0
		WHERE id=? AND updated_at=? AND needs_eval=?`, string(evalJSON), r.Stage, r.Band, r.Action, r.Team, r.Quality, r.Total, definitionID, millis(now), row.ID, row.UpdatedAt, row.NeedsEval)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// StageCount is how many live leads are in a stage.
type StageCount struct {
	Stage string
	Count int64
}

// CountByStage counts live leads per stage, largest first.
func (db *DB) CountByStage(ctx context.Context) ([]StageCount, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT stage, count(*) FROM leads WHERE merged_into IS NULL GROUP BY stage ORDER BY count(*) DESC, stage`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StageCount
	for rows.Next() {
		var c StageCount
		if err := rows.Scan(&c.Stage, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MaxLeadID is the highest lead ID so far (0 for none).
func (db *DB) MaxLeadID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT max(id) FROM leads`).Scan(&id)
	return id.Int64, err
}

// inChunks runs fn over ids in chunks small enough for one IN (...) list.
func inChunks[T any](items []T, fn func(chunk []T, placeholders string) error) error {
	const chunk = 100
	for len(items) > 0 {
		n := min(len(items), chunk)
		if err := fn(items[:n], strings.TrimSuffix(strings.Repeat("?,", n), ",")); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}

func anySlice[T any](items []T) []any {
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = v
	}
	return out
}

// LeadIDsByEmail maps the normalised e-mail addresses that belong to live
// leads to their IDs, with one query per hundred addresses.
func (tx *Tx) LeadIDsByEmail(ctx context.Context, emails []string) (map[string]int64, error) {
	out := make(map[string]int64, len(emails))
	err := inChunks(emails, func(chunk []string, ph string) error {
		rows, err := tx.rows(ctx, `SELECT email, id FROM leads WHERE merged_into IS NULL AND email IN (`+ph+`)`+tx.forUpdate(), anySlice(chunk)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				email string
				id    int64
			)
			if err := rows.Scan(&email, &id); err != nil {
				return err
			}
			out[email] = id
		}
		return rows.Err()
	})
	return out, err
}

// ExistingLeads reports which of the IDs are leads.
func (tx *Tx) ExistingLeads(ctx context.Context, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	err := inChunks(ids, func(chunk []int64, ph string) error {
		rows, err := tx.rows(ctx, `SELECT id FROM leads WHERE id IN (`+ph+`)`, anySlice(chunk)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out[id] = true
		}
		return rows.Err()
	})
	return out, err
}

// MarkNeedsEvalMany flags leads for re-evaluation (new events arrived); the
// flag is durable so a restart re-evaluates what was pending. It counts up,
// so an evaluation that read the lead before the latest events does not
// clear it (see UpdateEvaluation).
func (tx *Tx) MarkNeedsEvalMany(ctx context.Context, ids []int64) error {
	return inChunks(ids, func(chunk []int64, ph string) error {
		_, err := tx.exec(ctx, `UPDATE leads SET needs_eval = needs_eval + 1 WHERE id IN (`+ph+`)`, anySlice(chunk)...)
		return err
	})
}

// FindLead looks a person up by e-mail, then phone, then external ID, the
// order intake de-duplicates in, without locking (for previews). It
// returns 0 when none matches.
func (db *DB) FindLead(ctx context.Context, email, phone, externalID string) (id int64, by string, err error) {
	for _, k := range []struct{ col, val string }{{"email", email}, {"phone", phone}, {"external_id", externalID}} {
		if k.val == "" {
			continue
		}
		err := db.sql.QueryRowContext(ctx, db.q(`SELECT id FROM leads WHERE `+k.col+` = ? AND merged_into IS NULL ORDER BY id LIMIT 1`), k.val).Scan(&id)
		if err == nil {
			return id, k.col, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, "", err
		}
	}
	return 0, "", nil
}

// NextLeadIDs reserves IDs for n new leads, for InsertLeads. SQLite has
// one writer at a time, so the next IDs follow the highest; PostgreSQL
// takes them from the leads' identity sequence, safe with several servers.
func (tx *Tx) NextLeadIDs(ctx context.Context, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	if tx.db.dialect == Postgres {
		rows, err := tx.rows(ctx, `SELECT nextval(pg_get_serial_sequence('leads', 'id')) FROM generate_series(1, ?)`, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	var last sql.NullInt64
	if err := tx.row(ctx, `SELECT max(id) FROM leads`).Scan(&last); err != nil {
		return nil, err
	}
	for i := range n {
		ids = append(ids, last.Int64+1+int64(i))
	}
	return ids, nil
}

// InsertLeads stores new leads whose IDs were reserved with NextLeadIDs,
// fifty rows per statement: a group of imported rows is written in a few
// statements instead of one per row.
func (tx *Tx) InsertLeads(ctx context.Context, leads []*Lead) error {
	const perStatement = 50
	const width = 22
	for len(leads) > 0 {
		n := min(len(leads), perStatement)
		var b strings.Builder
		b.WriteString(`INSERT INTO leads (email, phone, company_id, data, qualification, evaluation,
		stage, band, action, team, quality, score, country, source_format, owner, search,
		definition_id, merged_into, external_id, updated_at, created_at, id) VALUES `)
		args := make([]any, 0, n*width)
		for i, l := range leads[:n] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(" + strings.TrimSuffix(strings.Repeat("?,", width), ",") + ")")
			vals, err := leadValues(l)
			if err != nil {
				return err
			}
			args = append(append(args, vals...), millis(l.CreatedAt), l.ID)
		}
		if _, err := tx.exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert leads: %w", err)
		}
		leads = leads[n:]
	}
	return nil
}

// KnownIdentities returns which of the e-mails, phones and external IDs
// belong to live leads.
func (tx *Tx) KnownIdentities(ctx context.Context, emails, phones, externalIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, q := range []struct {
		col    string
		values []string
	}{{"email", emails}, {"phone", phones}, {"external_id", externalIDs}} {
		err := inChunks(q.values, func(chunk []string, ph string) error {
			rows, err := tx.rows(ctx, `SELECT `+q.col+` FROM leads WHERE merged_into IS NULL AND `+q.col+` IN (`+ph+`)`, anySlice(chunk)...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					return err
				}
				out[v] = true
			}
			return rows.Err()
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
