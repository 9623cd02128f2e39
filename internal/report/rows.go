package report

import (
	"context"
	"fmt"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// TimezoneSetting names the organisation's time zone among its settings:
// the days, ISO weeks and months reports group by.
const TimezoneSetting = "timezone"

// Location is the organisation's time zone: the one in its settings, else
// the active definition's, else UTC.
func (r *Reports) Location(ctx context.Context) (*time.Location, error) {
	v, err := r.db.Setting(ctx, TimezoneSetting)
	if err != nil {
		return nil, err
	}
	if v != "" {
		if loc, err := time.LoadLocation(v); err == nil {
			return loc, nil
		}
	}
	if d := r.def(); d != nil && d.Location != nil {
		return d.Location, nil
	}
	return time.UTC, nil
}

// inPeriod says what of a lead's history lies in the report's period: its
// inquiry, and each stage it reached (in the cohort view, all it reached).
type inPeriod struct {
	inquiry bool
	reached [5]bool
}

// dimension is a row's value of a report dimension; month and week are
// the inquiry's, in the organisation's time zone.
func dimension(row *store.ReportLead, name string, loc *time.Location) string {
	switch name {
	case "source":
		return row.Source
	case "campaign":
		return row.Campaign
	case "form":
		return row.Form
	case "definition_version":
		return row.Version
	case "country":
		return row.Country
	case "team":
		return row.Team
	case "owner":
		return row.Owner
	case "band":
		return row.Band
	case "month":
		return month(row.InquiryAt, loc)
	case "week":
		return isoWeek(row.InquiryAt, loc)
	}
	return ""
}

// checkQuery refuses dimensions the reports do not know.
func checkQuery(q Query) error {
	if len(q.GroupBy) > 2 {
		return fmt.Errorf("group by at most two dimensions, not %d", len(q.GroupBy))
	}
	if err := store.CheckReportDimensions(q.GroupBy...); err != nil {
		return err
	}
	for name := range q.Filters {
		if err := store.CheckReportDimensions(name); err != nil {
			return err
		}
	}
	return nil
}

// eachRow calls fn with each report row of the query's period, read row
// by row from report_leads, and what of it lies in the period: the
// answer the segments must give (Reports made with NewRowByRow). The
// caller applies the filters.
func (r *Reports) eachRow(ctx context.Context, q Query, fn func(*store.ReportLead, *inPeriod)) error {
	in := func(t time.Time) bool { return !t.Before(q.From) && t.Before(q.To) }
	var p inPeriod
	return r.db.ReportLeadRows(ctx, q.From, q.To, q.Flow, func(row *store.ReportLead) {
		p = inPeriod{inquiry: in(row.InquiryAt)}
		any := p.inquiry
		for i, t := range row.Reached {
			p.reached[i] = t != nil && (!q.Flow || in(*t))
			any = any || (q.Flow && p.reached[i])
		}
		if any {
			fn(row, &p)
		}
	})
}

// firstDayIn is the UTC day of the row's first entry (inquiry or stage)
// within the period.
func firstDayIn(row *store.ReportLead, in func(time.Time) bool) int64 {
	var first *time.Time
	if in(row.InquiryAt) {
		first = &row.InquiryAt
	}
	for _, t := range row.Reached {
		if t != nil && in(*t) && (first == nil || t.Before(*first)) {
			first = t
		}
	}
	if first == nil {
		return -1 << 62
	}
	return store.DayOf(*first)
}
