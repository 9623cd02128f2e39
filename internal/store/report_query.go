package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// reportColumns maps the report dimensions to their columns. History
// facts come from report_leads (r); what a re-evaluation or a reassignment
// changes without a timeline entry comes from leads (l), current.
var reportColumns = map[string]string{
	"source":             "r.source",
	"campaign":           "r.campaign",
	"form":               "r.form",
	"definition_version": "r.version",
	"month":              "r.month",
	"week":               "r.week",
	"country":            "l.country",
	"team":               "l.team",
	"owner":              "l.owner",
	"band":               "l.band",
}

// ReportDimensions lists the names group_by and the filters accept.
var ReportDimensions = []string{"source", "campaign", "form", "country", "team", "owner", "band", "definition_version", "month", "week"}

// ReportStages are the funnel's stages after the inquiry, in the order of
// ReportLead.Reached and the *_at columns.
var ReportStages = []string{"mql", "sal", "sql", "opportunity", "won"}

// ReportQuery selects the rows of a report.
type ReportQuery struct {
	From, To time.Time // [From, To)
	// Flow counts stage entries within [From, To) whatever the inquiry
	// date; otherwise the rows are the leads whose inquiry is in it.
	Flow    bool
	GroupBy []string            // at most two of ReportDimensions
	Filters map[string][]string // dimension → accepted values
	// Version keeps only leads whose current evaluation is by this
	// definition (bands of a given definition); 0 means any.
	DefinitionID int64
}

// ReportKey is a row's group: one value per GroupBy dimension.
type ReportKey [2]string

// where builds the FROM and WHERE of a report query and its arguments:
// the rows are selected by span (see span), the filters and extra.
func (q ReportQuery) where(span string, spanArgs []any, extra string) (from, where string, args []any) {
	join := q.DefinitionID != 0
	for _, g := range q.GroupBy {
		join = join || strings.HasPrefix(reportColumns[g], "l.")
	}
	for name := range q.Filters {
		join = join || strings.HasPrefix(reportColumns[name], "l.")
	}
	from = "report_leads r"
	if join {
		from += " JOIN leads l ON l.id = r.lead_id"
	}
	conds := []string{span}
	args = append(args, spanArgs...)
	for _, name := range ReportDimensions { // a fixed order: the same SQL text for the same filters
		vals := q.Filters[name]
		if len(vals) == 0 {
			continue
		}
		conds = append(conds, reportColumns[name]+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
		args = append(args, anySlice(vals)...)
	}
	if q.DefinitionID != 0 {
		conds = append(conds, "l.definition_id = ?")
		args = append(args, q.DefinitionID)
	}
	if extra != "" {
		conds = append(conds, extra)
	}
	return from, " WHERE " + strings.Join(conds, " AND "), args
}

// span selects a query's rows in time: the cohort's inquiries in the
// period, or in the flow view every lead with an entry in it.
func (q ReportQuery) span() (string, []any) {
	lo, hi := millis(q.From), millis(q.To)
	if !q.Flow {
		return "r.inquiry_at >= ? AND r.inquiry_at < ?", []any{lo, hi}
	}
	ors := []string{"(r.inquiry_at >= ? AND r.inquiry_at < ?)"}
	args := []any{lo, hi}
	for _, s := range ReportStages {
		ors = append(ors, fmt.Sprintf("(r.%s_at >= ? AND r.%s_at < ?)", s, s))
		args = append(args, lo, hi)
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// groupCols are the SELECT expressions of the grouping (two, an empty
// string for an unused one) and the GROUP BY clause over the used ones and extra.
// PostgreSQL refuses a constant in GROUP BY, so ” is selected only.
func (q ReportQuery) groupCols(extra ...string) (sel, groupBy string) {
	cols := []string{"''", "''"}
	var by []string
	for i, g := range q.GroupBy {
		cols[i] = reportColumns[g]
		by = append(by, cols[i])
	}
	by = append(by, extra...)
	if len(by) > 0 {
		groupBy = " GROUP BY " + strings.Join(by, ", ")
	}
	return strings.Join(cols, ", "), groupBy
}

// CheckReportQuery reports a dimension name the store does not know.
func CheckReportQuery(q ReportQuery) error {
	for _, g := range q.GroupBy {
		if _, ok := reportColumns[g]; !ok {
			return fmt.Errorf("unknown dimension %q", g)
		}
	}
	for f := range q.Filters {
		if _, ok := reportColumns[f]; !ok {
			return fmt.Errorf("unknown dimension %q", f)
		}
	}
	return nil
}

// BandRow is one band's or score decile's leads and how far they went.
type BandRow struct {
	Name    string
	Leads   int64
	Reached [5]int64
}

// BandCounts counts the cohort's leads per band of their current
// evaluation, and how many reached each stage.
func (db *DB) BandCounts(ctx context.Context, q ReportQuery) ([]BandRow, error) {
	q.Flow = false
	if err := CheckReportQuery(q); err != nil {
		return nil, err
	}
	q.GroupBy = []string{"band"}
	span, spanArgs := q.span()
	from, where, args := q.where(span, spanArgs, "")
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT l.band, count(*), count(r.mql_at), count(r.sal_at), count(r.sql_at), count(r.opportunity_at), count(r.won_at)
		FROM `+from+where+` GROUP BY l.band ORDER BY l.band`), args...)
	return scanBandRows(rows, err)
}

// DecileCounts counts the cohort's leads per score decile (1 is the top
// tenth by current score), and how many reached each stage.
func (db *DB) DecileCounts(ctx context.Context, q ReportQuery) ([]BandRow, error) {
	q.Flow = false
	if err := CheckReportQuery(q); err != nil {
		return nil, err
	}
	q.GroupBy = []string{"band"} // joins leads for the score
	span, spanArgs := q.span()
	from, where, args := q.where(span, spanArgs, "")
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT CAST(d AS TEXT), count(*), count(mql_at), count(sal_at), count(sql_at), count(opportunity_at), count(won_at)
		FROM (SELECT ntile(10) OVER (ORDER BY l.score DESC, r.lead_id) AS d, r.mql_at, r.sal_at, r.sql_at, r.opportunity_at, r.won_at
		      FROM `+from+where+`) t GROUP BY d ORDER BY d`), args...)
	return scanBandRows(rows, err)
}

func scanBandRows(rows *sql.Rows, err error) ([]BandRow, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BandRow
	for rows.Next() {
		var b BandRow
		if err := rows.Scan(&b.Name, &b.Leads, &b.Reached[0], &b.Reached[1], &b.Reached[2], &b.Reached[3], &b.Reached[4]); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// FunnelLead is one lead of a funnel query, as FunnelLeads hands it over.
type FunnelLead struct {
	Key ReportKey
	// Inquiry: the inquiry is in the period (always, in the cohort view).
	Inquiry bool
	// Reached: the stage was reached (flow view: in the period); Hours
	// holds the business hours it took.
	Reached   [5]bool
	Hours     [5]float64
	Reason    string
	Currency  string
	WonAmount float64
	Recycled  bool
	CameBack  bool
	Converted bool
}

// FunnelLeads calls fn for each lead of a funnel query, reusing one value
// (the caller aggregates).
func (db *DB) FunnelLeads(ctx context.Context, q ReportQuery, fn func(*FunnelLead)) error {
	if err := CheckReportQuery(q); err != nil {
		return err
	}
	g, _ := q.groupCols()
	span, spanArgs := q.span()
	from, where, args := q.where(span, spanArgs, "")
	query := `SELECT ` + g + `, r.inquiry_at, r.mql_at, r.sal_at, r.sql_at, r.opportunity_at, r.won_at, r.h_mql, r.h_sal, r.h_sql, r.h_opportunity, r.h_won,
		r.rejected, r.won_currency, r.won_amount, r.recycled, r.came_back, r.converted FROM ` + from + where
	rows, err := db.sql.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	lo, hi := millis(q.From), millis(q.To)
	in := func(t int64) bool { return !q.Flow || (t >= lo && t < hi) }
	var (
		l                             FunnelLead
		inquiry                       int64
		at                            [5]sql.NullInt64
		h                             [5]sql.NullFloat64
		recycled, cameBack, converted int64
	)
	for rows.Next() {
		if err := rows.Scan(&l.Key[0], &l.Key[1], &inquiry, &at[0], &at[1], &at[2], &at[3], &at[4], &h[0], &h[1], &h[2], &h[3], &h[4],
			&l.Reason, &l.Currency, &l.WonAmount, &recycled, &cameBack, &converted); err != nil {
			return err
		}
		l.Inquiry = in(inquiry)
		for i := range at {
			l.Reached[i] = at[i].Valid && in(at[i].Int64)
			l.Hours[i] = h[i].Float64
		}
		l.Recycled, l.CameBack, l.Converted = recycled != 0, cameBack != 0, converted != 0
		fn(&l)
	}
	return rows.Err()
}
