package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// ReportLead is a lead's row in report_leads: what its history says for
// the funnel. internal/report computes it from the lead's timeline; the
// store only saves it and aggregates over it.
type ReportLead struct {
	LeadID    int64
	InquiryAt time.Time
	Source    string // the first inquiry's format
	Campaign  string
	Form      string
	// The lead's current country, team, owner, band, score and evaluating
	// definition, as the refresher last saw them (report_dirty brings it
	// back when they change).
	Country, Team, Owner, Band string
	Score                      float64
	DefinitionID               int64
	// Version is the definition version that made the lead an MQL, ""
	// if it never was one.
	Version string
	// Reached holds when the lead first reached each stage after the
	// inquiry or a later one (index 0 is mql, then sal, sql, opportunity,
	// won); nil if never.
	Reached [5]*time.Time
	// Hours holds business hours from the previous stage to this one,
	// rounded to 0.1; meaningful where Reached is set.
	Hours       [5]float64
	Rejected    string // reason of the first rejection by sales, "" if none
	Recycled    bool   // went to nurture after reaching MQL
	CameBack    bool   // came back from that nurture
	Converted   bool   // reached SAL or later after coming back
	WonAmount   float64
	WonCurrency string
}

// ReportSource is what the report refresher needs to know about a lead.
type ReportSource struct {
	LeadID    int64
	CreatedAt time.Time
	Team      string
	// SourceFormat is the lead's format column, for a lead without an
	// inquiry entry (one split off by undoing a merge).
	SourceFormat string
	MergedInto   int64
	// The lead-side dimensions, current.
	Country, Owner, Band string
	Score                float64
	DefinitionID         int64
	Flow                 []byte
	Entries              []TimelineEntry // inquiry, stage_changed, rejected and recycled entries, oldest first
}

// ReportKinds are the timeline entries the funnel is made of.
var ReportKinds = []string{"inquiry", "stage_changed", "rejected", "recycled"}

// TimelineHigh is the highest timeline ID so far (0 for none).
func (db *DB) TimelineHigh(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT max(id) FROM timeline`).Scan(&id)
	return id.Int64, err
}

// ReportWatermark is the timeline ID up to which report_leads is current.
func (db *DB) ReportWatermark(ctx context.Context) (int64, error) {
	var v int64
	err := db.sql.QueryRowContext(ctx, `SELECT value FROM report_state WHERE name = 'timeline_id'`).Scan(&v)
	return v, err
}

// LeadsWithTimelineBetween lists the leads with timeline entries whose ID
// is in (after, upTo].
func (db *DB) LeadsWithTimelineBetween(ctx context.Context, after, upTo int64) ([]int64, error) {
	return column[int64](db.sql.QueryContext(ctx, db.q(`SELECT DISTINCT lead_id FROM timeline WHERE id > ? AND id <= ?`), after, upTo))
}

// ReportSources loads what the refresher needs about some leads.
func (db *DB) ReportSources(ctx context.Context, ids []int64) ([]*ReportSource, error) {
	byID := map[int64]*ReportSource{}
	var out []*ReportSource
	err := inChunks(ids, func(chunk []int64, ph string) error {
		rows, err := db.sql.QueryContext(ctx, db.q(`SELECT id, created_at, team, source_format, coalesce(merged_into, 0), flow,
			country, owner, band, score, coalesce(definition_id, 0) FROM leads WHERE id IN (`+ph+`)`), anySlice(chunk)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				s    ReportSource
				at   int64
				flow sql.NullString
			)
			if err := rows.Scan(&s.LeadID, &at, &s.Team, &s.SourceFormat, &s.MergedInto, &flow,
				&s.Country, &s.Owner, &s.Band, &s.Score, &s.DefinitionID); err != nil {
				return err
			}
			s.CreatedAt, s.Flow = fromMillis(at), []byte(flow.String)
			byID[s.LeadID] = &s
			out = append(out, &s)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	err = inChunks(ids, func(chunk []int64, ph string) error {
		rows, err := db.sql.QueryContext(ctx, db.q(`SELECT lead_id, id, at, kind, data FROM timeline WHERE lead_id IN (`+ph+`)
			AND kind IN ('inquiry', 'stage_changed', 'rejected', 'recycled') ORDER BY lead_id, id`), anySlice(chunk)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				lead int64
				e    TimelineEntry
				at   int64
				data string
			)
			if err := rows.Scan(&lead, &e.ID, &at, &e.Kind, &data); err != nil {
				return err
			}
			e.At, e.Data = fromMillis(at), json.RawMessage(data)
			if s := byID[lead]; s != nil {
				s.Entries = append(s.Entries, e)
			}
		}
		return rows.Err()
	})
	return out, err
}

// reportLeadCols are report_leads' columns in the order scanReportLead
// reads and SaveReportLeads writes them.
const reportLeadCols = `lead_id, inquiry_at, source, campaign, form, version, country, team, owner, band, score, definition_id,
	mql_at, sal_at, sql_at, opportunity_at, won_at, h_mql, h_sal, h_sql, h_opportunity, h_won,
	rejected, recycled, came_back, converted, won_amount, won_currency`

const reportLeadWidth = 28

func reportLeadValues(vals []any, r *ReportLead) []any {
	vals = append(vals, r.LeadID, millis(r.InquiryAt), r.Source, r.Campaign, r.Form, r.Version,
		r.Country, r.Team, r.Owner, r.Band, r.Score, r.DefinitionID)
	for _, t := range r.Reached {
		vals = append(vals, optMillis(t))
	}
	for i, h := range r.Hours {
		if r.Reached[i] == nil {
			vals = append(vals, nil)
		} else {
			vals = append(vals, h)
		}
	}
	return append(vals, r.Rejected, boolInt(r.Recycled), boolInt(r.CameBack), boolInt(r.Converted), r.WonAmount, r.WonCurrency)
}

// scanReportLead reads a row of reportLeadCols.
func scanReportLead(rows *sql.Rows) (*ReportLead, error) {
	var (
		r                             ReportLead
		inquiry                       int64
		at                            [5]sql.NullInt64
		h                             [5]sql.NullFloat64
		recycled, cameBack, converted int64
	)
	if err := rows.Scan(&r.LeadID, &inquiry, &r.Source, &r.Campaign, &r.Form, &r.Version, &r.Country, &r.Team, &r.Owner, &r.Band, &r.Score, &r.DefinitionID,
		&at[0], &at[1], &at[2], &at[3], &at[4], &h[0], &h[1], &h[2], &h[3], &h[4],
		&r.Rejected, &recycled, &cameBack, &converted, &r.WonAmount, &r.WonCurrency); err != nil {
		return nil, err
	}
	r.InquiryAt = fromMillis(inquiry)
	for i := range at {
		if at[i].Valid {
			t := fromMillis(at[i].Int64)
			r.Reached[i], r.Hours[i] = &t, h[i].Float64
		}
	}
	r.Recycled, r.CameBack, r.Converted = recycled != 0, cameBack != 0, converted != 0
	return &r, nil
}

// reportLeadsOf reads the report rows of some leads.
func (tx *Tx) reportLeadsOf(ctx context.Context, ids []int64) ([]*ReportLead, error) {
	var out []*ReportLead
	err := inChunks(ids, func(chunk []int64, ph string) error {
		rows, err := tx.tx.QueryContext(ctx, tx.db.q(`SELECT `+reportLeadCols+` FROM report_leads WHERE lead_id IN (`+ph+`)`), anySlice(chunk)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanReportLead(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// reportLock is the advisory lock that makes one refresher at a time, among
// all servers on a PostgreSQL database, change report rows and days: each
// reads the rows it replaces, so two at once would pack a lead twice.
const reportLock = 7261747

// lockReports takes reportLock for the transaction.
func (tx *Tx) lockReports(ctx context.Context) error { return tx.lockAlone(ctx, reportLock) }

// lockAlone takes an advisory lock for the rest of the transaction, alone,
// on PostgreSQL; SQLite writes one transaction at a time and needs none.
func (tx *Tx) lockAlone(ctx context.Context, key int64) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	_, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, key)
	return err
}

// SaveReportLeads stores report rows, removes those of leads merged away
// or deleted (gone), keeps report_segments in step, moves the watermark to
// upTo (0: leave it) and clears the report_dirty entries handled, in one
// transaction.
func (db *DB) SaveReportLeads(ctx context.Context, rows []*ReportLead, gone []int64, upTo int64, dirty []int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := tx.lockReports(ctx); err != nil {
			return err
		}
		ids := append([]int64{}, gone...)
		for _, r := range rows {
			ids = append(ids, r.LeadID)
		}
		old, err := tx.reportLeadsOf(ctx, ids)
		if err != nil {
			return err
		}
		// Rows that say what they said before (a touch, a note, an event
		// on the timeline) leave their row and segments alone.
		before := make(map[int64]*ReportLead, len(old))
		for _, r := range old {
			before[r.LeadID] = r
		}
		changed := rows[:0:0]
		ids = append(ids[:0:0], gone...)
		for _, r := range rows {
			o := before[r.LeadID]
			if o == nil {
				tx.newReports++
			}
			if o == nil || !sameReportLead(o, r) {
				changed = append(changed, r)
				ids = append(ids, r.LeadID)
			}
		}
		rows = changed
		moved := old[:0:0]
		for _, id := range ids {
			if o := before[id]; o != nil {
				moved = append(moved, o)
			}
		}
		old = moved
		vals := make([]any, 0, len(rows)*reportLeadWidth)
		for _, r := range rows {
			vals = reportLeadValues(vals, r)
		}
		const update = ` ON CONFLICT (lead_id) DO UPDATE SET inquiry_at=excluded.inquiry_at,
			source=excluded.source, campaign=excluded.campaign, form=excluded.form, version=excluded.version,
			country=excluded.country, team=excluded.team, owner=excluded.owner, band=excluded.band, score=excluded.score, definition_id=excluded.definition_id,
			mql_at=excluded.mql_at, sal_at=excluded.sal_at, sql_at=excluded.sql_at, opportunity_at=excluded.opportunity_at, won_at=excluded.won_at,
			h_mql=excluded.h_mql, h_sal=excluded.h_sal, h_sql=excluded.h_sql, h_opportunity=excluded.h_opportunity, h_won=excluded.h_won,
			rejected=excluded.rejected, recycled=excluded.recycled, came_back=excluded.came_back, converted=excluded.converted,
			won_amount=excluded.won_amount, won_currency=excluded.won_currency`
		if err := tx.insertRowsThen(ctx, `INSERT INTO report_leads (`+reportLeadCols+`) VALUES `, reportLeadWidth, vals, update); err != nil {
			return err
		}
		if err := inChunks(gone, func(chunk []int64, ph string) error {
			_, err := tx.exec(ctx, `DELETE FROM report_leads WHERE lead_id IN (`+ph+`)`, anySlice(chunk)...)
			return err
		}); err != nil {
			return err
		}
		if err := tx.saveReportSegments(ctx, ids, old, rows); err != nil {
			return err
		}
		if err := inChunks(dirty, func(chunk []int64, ph string) error {
			_, err := tx.exec(ctx, `DELETE FROM report_dirty WHERE id IN (`+ph+`)`, anySlice(chunk)...)
			return err
		}); err != nil {
			return err
		}
		if upTo == 0 {
			return nil
		}
		_, err = tx.exec(ctx, `UPDATE report_state SET value = ? WHERE name = 'timeline_id' AND value < ?`, upTo, upTo)
		return err
	})
}

// ReportDirty lists up to limit report_dirty entries, oldest first: the
// entries' IDs (to clear once handled) and their leads, each once.
func (db *DB) ReportDirty(ctx context.Context, limit int) (entries, leads []int64, err error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT id, lead_id FROM report_dirty ORDER BY id LIMIT ?`), limit)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	seen := map[int64]bool{}
	for rows.Next() {
		var id, lead int64
		if err := rows.Scan(&id, &lead); err != nil {
			return nil, nil, err
		}
		entries = append(entries, id)
		if !seen[lead] {
			seen[lead] = true
			leads = append(leads, lead)
		}
	}
	return entries, leads, rows.Err()
}

// ReportLeadRows calls fn with the report rows (from report_leads, row by
// row) whose inquiry is in [from, to), or in the flow view that entered
// any stage in it. Reports answer from report_segments; this is the same
// answer computed the slow way, to check the days against.
func (db *DB) ReportLeadRows(ctx context.Context, from, to time.Time, flow bool, fn func(*ReportLead)) error {
	lo, hi := millis(from), millis(to)
	where, args := "inquiry_at >= ? AND inquiry_at < ?", []any{lo, hi}
	if flow {
		for _, s := range ReportStages {
			where += fmt.Sprintf(" OR (%s_at >= ? AND %s_at < ?)", s, s)
			args = append(args, lo, hi)
		}
	}
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+reportLeadCols+` FROM report_leads WHERE `+where+` ORDER BY lead_id`), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanReportLead(rows)
		if err != nil {
			return err
		}
		fn(r)
	}
	return rows.Err()
}
