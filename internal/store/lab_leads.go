package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

// LabLead is a lead with what its history says happened to it, for the
// definition lab's backtests: the waterfall's stages are its outcomes.
type LabLead struct {
	ID            int64
	ExternalID    string
	Email         string
	Data          lead.Lead
	Qualification *lead.Qualification
	Events        []lead.Event
	// InquiryAt is the decision moment: when the lead first inquired.
	InquiryAt time.Time
	// Reached holds when it first reached sal, sql, opportunity and won
	// (report_leads, kept by the report refresher); nil if never.
	SAL, SQL, Opportunity, Won *time.Time
	Rejected                   string // the first rejection's reason, "" if none
	// Outcomes are the names of the outcomes imported for it (lab_outcomes).
	Outcomes []string
}

// labPage is how many leads LabLeads reads at a time.
const labPage = 500

// LabLeads calls fn for every lead (not merged into another) whose first
// inquiry is in [from, to), oldest first, with its events. It reads a page
// of leads at a time, so a backtest of a large database stays small.
func (db *DB) LabLeads(ctx context.Context, from, to time.Time, fn func(*LabLead) error) error {
	after := int64(0)
	for {
		page, err := db.labPage(ctx, from, to, after)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := db.labEvents(ctx, page); err != nil {
			return err
		}
		if err := db.labOutcomes(ctx, page); err != nil {
			return err
		}
		for _, l := range page {
			if err := fn(l); err != nil {
				return err
			}
		}
		after = page[len(page)-1].ID
	}
}

func (db *DB) labPage(ctx context.Context, from, to time.Time, after int64) ([]*LabLead, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT l.id, COALESCE(l.external_id, ''), COALESCE(l.email, ''), l.data, l.qualification,
		r.inquiry_at, r.sal_at, r.sql_at, r.opportunity_at, r.won_at, r.rejected
		FROM report_leads r JOIN leads l ON l.id = r.lead_id
		WHERE l.merged_into IS NULL AND r.inquiry_at >= ? AND r.inquiry_at < ? AND l.id > ?
		ORDER BY l.id LIMIT ?`), millis(from), millis(to), after, labPage)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*LabLead
	for rows.Next() {
		var (
			l       LabLead
			data    string
			qual    sql.NullString
			inquiry int64
			reached [4]sql.NullInt64
		)
		if err := rows.Scan(&l.ID, &l.ExternalID, &l.Email, &data, &qual, &inquiry, &reached[0], &reached[1], &reached[2], &reached[3], &l.Rejected); err != nil {
			return nil, err
		}
		if err := lead.DecodeStored([]byte(data), &l.Data); err != nil {
			return nil, err
		}
		if qual.Valid && qual.String != "" {
			l.Qualification = new(lead.Qualification)
			if err := json.Unmarshal([]byte(qual.String), l.Qualification); err != nil {
				return nil, err
			}
		}
		l.Data.ID = ""
		l.InquiryAt = fromMillis(inquiry)
		for i, dst := range []**time.Time{&l.SAL, &l.SQL, &l.Opportunity, &l.Won} {
			if reached[i].Valid {
				t := fromMillis(reached[i].Int64)
				*dst = &t
			}
		}
		out = append(out, &l)
	}
	return out, rows.Err()
}

// labEvents fills in the page's events, oldest first.
func (db *DB) labEvents(ctx context.Context, page []*LabLead) error {
	byID := make(map[int64]*LabLead, len(page))
	ids := make([]int64, len(page))
	for i, l := range page {
		byID[l.ID], ids[i] = l, l.ID
	}
	return inChunks(ids, func(chunk []int64, ph string) error {
		rows, err := db.sql.QueryContext(ctx, db.q(`SELECT lead_id, type, at, props FROM events WHERE lead_id IN (`+ph+`) ORDER BY lead_id, at, id`), anySlice(chunk)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			id, e, err := scanLeadEvent(rows)
			if err != nil {
				return err
			}
			byID[id].Events = append(byID[id].Events, e)
		}
		return rows.Err()
	})
}

// labOutcomes fills in the page's imported outcomes.
func (db *DB) labOutcomes(ctx context.Context, page []*LabLead) error {
	byID := make(map[int64]*LabLead, len(page))
	ids := make([]int64, len(page))
	for i, l := range page {
		byID[l.ID], ids[i] = l, l.ID
	}
	return inChunks(ids, func(chunk []int64, ph string) error {
		rows, err := db.sql.QueryContext(ctx, db.q(`SELECT DISTINCT lead_id, outcome FROM lab_outcomes WHERE lead_id IN (`+ph+`)`), anySlice(chunk)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				id int64
				o  string
			)
			if err := rows.Scan(&id, &o); err != nil {
				return err
			}
			byID[id].Outcomes = append(byID[id].Outcomes, o)
		}
		return rows.Err()
	})
}
