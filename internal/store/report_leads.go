package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"
)

// ReportLead is a lead's row in report_leads: what its history says for
// the funnel. internal/report computes it from the lead's timeline; the
// store only saves it and aggregates over it.
type ReportLead struct {
	LeadID    int64
	InquiryAt time.Time
	Month     string // "2026-11", of InquiryAt in UTC
	Week      string // ISO week "2026-W47"
	Source    string // the first inquiry's format
	Campaign  string
	Form      string
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
	Flow         []byte
	Entries      []TimelineEntry // inquiry, stage_changed, rejected and recycled entries, oldest first
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
		rows, err := db.sql.QueryContext(ctx, db.q(`SELECT id, created_at, team, source_format, coalesce(merged_into, 0), flow FROM leads WHERE id IN (`+ph+`)`), anySlice(chunk)...)
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
			if err := rows.Scan(&s.LeadID, &at, &s.Team, &s.SourceFormat, &s.MergedInto, &flow); err != nil {
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

// SaveReportLeads stores report rows, removes those of leads merged away
// (gone), and moves the watermark to upTo, in one transaction.
func (db *DB) SaveReportLeads(ctx context.Context, rows []*ReportLead, gone []int64, upTo int64) error {
	return db.InTx(ctx, func(tx *Tx) error {
		const cols = `lead_id, inquiry_at, month, week, source, campaign, form, version, mql_at, sal_at, sql_at, opportunity_at, won_at,
			h_mql, h_sal, h_sql, h_opportunity, h_won, rejected, recycled, came_back, converted, won_amount, won_currency`
		const width = 24
		vals := make([]any, 0, len(rows)*width)
		for _, r := range rows {
			vals = append(vals, r.LeadID, millis(r.InquiryAt), r.Month, r.Week, r.Source, r.Campaign, r.Form, r.Version)
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
			vals = append(vals, r.Rejected, boolInt(r.Recycled), boolInt(r.CameBack), boolInt(r.Converted), r.WonAmount, r.WonCurrency)
		}
		const update = ` ON CONFLICT (lead_id) DO UPDATE SET inquiry_at=excluded.inquiry_at, month=excluded.month, week=excluded.week,
			source=excluded.source, campaign=excluded.campaign, form=excluded.form, version=excluded.version,
			mql_at=excluded.mql_at, sal_at=excluded.sal_at, sql_at=excluded.sql_at, opportunity_at=excluded.opportunity_at, won_at=excluded.won_at,
			h_mql=excluded.h_mql, h_sal=excluded.h_sal, h_sql=excluded.h_sql, h_opportunity=excluded.h_opportunity, h_won=excluded.h_won,
			rejected=excluded.rejected, recycled=excluded.recycled, came_back=excluded.came_back, converted=excluded.converted,
			won_amount=excluded.won_amount, won_currency=excluded.won_currency`
		if err := tx.insertRowsThen(ctx, `INSERT INTO report_leads (`+cols+`) VALUES `, width, vals, update); err != nil {
			return err
		}
		if err := inChunks(gone, func(chunk []int64, ph string) error {
			_, err := tx.exec(ctx, `DELETE FROM report_leads WHERE lead_id IN (`+ph+`)`, anySlice(chunk)...)
			return err
		}); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE report_state SET value = ? WHERE name = 'timeline_id' AND value < ?`, upTo, upTo)
		return err
	})
}
