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

// FunnelRow is one group's counts.
type FunnelRow struct {
	Key ReportKey
	// Leads counts inquiries (in the flow view: inquiries made in the
	// period); Reached counts leads per stage (flow: entries in the period).
	Leads     int64
	Reached   [5]int64
	Recycled  int64
	CameBack  int64
	Converted int64
	// Rows are the leads of this row (all selected, in the flow view
	// too); Reason is their first rejection's ("" for none), WonAmount
	// their won deals' sum in Currency.
	Rows      int64
	Reason    string
	Currency  string
	WonAmount float64
}

// HourCount is how many leads of a group took Hours business hours to
// reach a stage (an index into ReportStages).
type HourCount struct {
	Key   ReportKey
	Stage int
	Hours float64
	Count int64
}

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

// FunnelCounts counts each group's leads per stage, split by rejection
// reason and won currency: one sweep answers counts, reasons and amounts.
func (db *DB) FunnelCounts(ctx context.Context, q ReportQuery) ([]FunnelRow, error) {
	if err := CheckReportQuery(q); err != nil {
		return nil, err
	}
	g, groupBy := q.groupCols("r.rejected", "r.won_currency")
	span, spanArgs := q.span()
	from, where, args := q.where(span, spanArgs, "")
	var sel string
	var selArgs []any
	if q.Flow {
		// An entry counts when it happened in the period.
		lo, hi := millis(q.From), millis(q.To)
		parts := []string{"sum(CASE WHEN r.inquiry_at >= ? AND r.inquiry_at < ? THEN 1 ELSE 0 END)"}
		selArgs = append(selArgs, lo, hi)
		for _, s := range ReportStages {
			parts = append(parts, fmt.Sprintf("sum(CASE WHEN r.%s_at >= ? AND r.%s_at < ? THEN 1 ELSE 0 END)", s, s))
			selArgs = append(selArgs, lo, hi)
		}
		sel = strings.Join(parts, ", ")
	} else {
		sel = "count(*), count(r.mql_at), count(r.sal_at), count(r.sql_at), count(r.opportunity_at), count(r.won_at)"
	}
	query := `SELECT ` + g + `, r.rejected, r.won_currency, ` + sel + `, sum(r.recycled), sum(r.came_back), sum(r.converted), count(*),
		sum(CASE WHEN r.won_at IS NOT NULL THEN r.won_amount ELSE 0 END)
		FROM ` + from + where + groupBy
	rows, err := db.sql.QueryContext(ctx, db.q(query), append(selArgs, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FunnelRow
	for rows.Next() {
		var f FunnelRow
		var sums [10]sql.NullInt64
		var won sql.NullFloat64
		var reason, currency sql.NullString
		if err := rows.Scan(&f.Key[0], &f.Key[1], &reason, &currency, &sums[0], &sums[1], &sums[2], &sums[3], &sums[4], &sums[5],
			&sums[6], &sums[7], &sums[8], &sums[9], &won); err != nil {
			return nil, err
		}
		if sums[9].Int64 == 0 {
			continue // no rows: an aggregate without GROUP BY still answers one
		}
		f.Leads = sums[0].Int64
		for i := range f.Reached {
			f.Reached[i] = sums[i+1].Int64
		}
		f.Recycled, f.CameBack, f.Converted, f.Rows = sums[6].Int64, sums[7].Int64, sums[8].Int64, sums[9].Int64
		f.Reason, f.Currency, f.WonAmount = reason.String, currency.String, won.Float64
		out = append(out, f)
	}
	return out, rows.Err()
}

// FunnelHours counts each group's leads by the business hours they took
// to reach each stage: a histogram the caller reads percentiles from,
// exact because the hours are stored rounded to 0.1.
func (db *DB) FunnelHours(ctx context.Context, q ReportQuery) ([]HourCount, error) {
	if err := CheckReportQuery(q); err != nil {
		return nil, err
	}
	var out []HourCount
	for i, s := range ReportStages {
		g, groupBy := q.groupCols("r.h_" + s)
		// The cohort's leads that reached the stage; in the flow view,
		// the leads that reached it in the period.
		span, spanArgs := q.span()
		if q.Flow {
			span, spanArgs = fmt.Sprintf("r.%s_at >= ? AND r.%s_at < ?", s, s), []any{millis(q.From), millis(q.To)}
		}
		from, where, args := q.where(span, spanArgs, fmt.Sprintf("r.h_%s IS NOT NULL", s))
		rows, err := db.sql.QueryContext(ctx, db.q(fmt.Sprintf(`SELECT %s, r.h_%s, count(*) FROM %s%s%s`, g, s, from, where, groupBy)), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			h := HourCount{Stage: i}
			if err := rows.Scan(&h.Key[0], &h.Key[1], &h.Hours, &h.Count); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
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
