package ui

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// reportFilters are the dashboards' filters as the URL carries them, so a
// view can be shared: from and to are days in the organisation's time
// zone (to included; the same days for everyone who opens the link), team
// and source narrow the leads.
type reportFilters struct {
	From, To     string
	Team, Source string
	from, to     time.Time // to is the start of the day after To
	loc          *time.Location
	scope        report.Scope  // whose numbers the user sees
	teams        []*store.Team // the teams the user may pick
}

// reportFiltersOf reads the filters; the default period is this month
// until today.
func (u *UI) reportFiltersOf(r *http.Request, rq *request) (reportFilters, error) {
	loc, err := u.rep.Location(r.Context())
	if err != nil {
		return reportFilters{}, err
	}
	now := u.now().In(loc)
	f := reportFilters{Team: get(r, "team"), Source: get(r, "source"), loc: loc,
		From: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc).Format(time.DateOnly), To: now.Format(time.DateOnly)}
	f.From, f.To = firstOf(get(r, "from"), f.From), firstOf(get(r, "to"), f.To)
	var bad []problem.Field
	day := func(label, v string) (time.Time, string) {
		d, ok := rq.P.ParseDay(v, loc)
		if !ok {
			bad = append(bad, badDay(rq.P, rq.P.T(label), v))
			return d, v
		}
		return d, d.Format(time.DateOnly) // ISO in links and CSV addresses
	}
	f.from, f.From = day("reports.from", f.From)
	f.to, f.To = day("reports.to", f.To)
	f.to = f.to.AddDate(0, 0, 1)
	if len(bad) == 0 && !f.to.After(f.from) {
		bad = append(bad, problem.Field{Name: "to", Reason: "must not be before from"})
	}
	if len(bad) > 0 {
		return f, problem.Fields("bad report filters", bad...)
	}
	teams, err := u.db.Teams(r.Context())
	if err != nil {
		return f, err
	}
	// A manager sees their teams' numbers; another team's, asked by
	// name, is the 403 page.
	scoped, all, err := access.ReportScope(rq.User, teams, f.Team)
	if err != nil {
		return f, err
	}
	if all {
		f.teams = teams
		return f, nil
	}
	f.scope = report.Scope{Limited: true, Teams: scoped}
	for _, t := range teams {
		if slices.Contains(scoped, t.Name) {
			f.teams = append(f.teams, t)
		}
	}
	return f, nil
}

// query is the report query of the filters over [from, to).
func (f reportFilters) query(from, to time.Time) report.Query {
	q := report.Query{From: from, To: to, Filters: map[string][]string{}, Scope: f.scope}
	if f.Team != "" {
		q.Filters["team"] = []string{f.Team}
	}
	if f.Source != "" {
		q.Filters["source"] = []string{f.Source}
	}
	return q
}

// values is the filters as a query string.
func (f reportFilters) values() url.Values {
	v := url.Values{"from": {f.From}, "to": {f.To}}
	if f.Team != "" {
		v.Set("team", f.Team)
	}
	if f.Source != "" {
		v.Set("source", f.Source)
	}
	return v
}

// reportsPage is the dashboards: the waterfall of the period's cohort as
// a funnel with its table, this month against the last three, and why
// sales rejected leads. The numbers are the report API's (report.Funnel).
func (u *UI) reportsPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	if isoDates(w, r, rq.P, "from", "to") {
		return nil
	}
	return u.showReports(w, r, rq, http.StatusOK, nil, nil)
}

// showReports renders the page, with a problem of the campaign cost form
// (and what was typed in it) when there is one.
func (u *UI) showReports(w http.ResponseWriter, r *http.Request, rq *request, status int, formErr error, typed *view.CostForm) error {
	ctx := r.Context()
	f, err := u.reportFiltersOf(r, rq)
	if err != nil {
		return err
	}
	fun, err := u.rep.Funnel(ctx, f.query(f.from, f.to))
	if err != nil {
		return err
	}
	p := &view.Reports{Base: u.base(r, rq, "reports.title"), From: f.From, To: f.To, Team: f.Team, Source: f.Source,
		CSV: "/app/reports/funnel.csv?" + f.values().Encode(), Timezone: f.loc.String()}
	if formErr != nil {
		p.Error = rq.P.Problem(formErr)
		if pe, ok := problem.As(formErr); ok {
			p.Fields = pe.Fields
		}
	}
	for _, t := range f.teams {
		p.Teams = append(p.Teams, view.Option{Value: t.Name, Label: firstOf(t.Label, t.Name), Selected: t.Name == f.Team})
	}
	p.SourceOptions = u.sourceOptions(rq.P, f.Source)
	p.Funnel = funnelChart(rq, fun.Total)
	p.Reasons = reasonRows(rq, fun.Total.Rejected)
	fu, err := u.rep.FollowUpIn(ctx, f.from, f.to, f.Team, f.scope)
	if err != nil {
		return err
	}
	teamName, err := u.teamNames(ctx)
	if err != nil {
		return err
	}
	p.FollowUp, p.FollowUpCSV = followUpHeat(rq, fu, teamName), f.followUpCSV()
	if err := u.marketing(ctx, rq, f, p); err != nil {
		return err
	}
	if err := u.months(ctx, rq, f, p); err != nil {
		return err
	}
	if err := u.campaigns(ctx, rq, f, p, typed); err != nil {
		return err
	}
	return u.render(w, status, "reports", p)
}

// months fills this month against the three before it, with the page's
// team and source.
func (u *UI) months(ctx context.Context, rq *request, f reportFilters, p *view.Reports) error {
	now := u.now().In(f.loc)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, f.loc)
	rows := make([]view.MonthRow, len(report.Stages))
	for i, s := range report.Stages {
		rows[i].Label = rq.P.Maybe("stage."+s, s)
	}
	for m := 0; m < 4; m++ {
		from := first.AddDate(0, -m, 0)
		fun, err := u.rep.Funnel(ctx, f.query(from, from.AddDate(0, 1, 0)))
		if err != nil {
			return err
		}
		p.Months = append(p.Months, rq.P.MonthInput(from.Format("2006-01"))) // 11/2026 in es and pt
		for i, s := range report.Stages {
			rows[i].Counts = append(rows[i].Counts, rq.P.Int(fun.Total.Counts[s]))
		}
	}
	p.MonthRows = rows
	return nil
}

// reasonRows are the rejection reasons, most frequent first.
func reasonRows(rq *request, rj report.Rejected) []view.CountRow {
	type kv struct {
		k string
		n int64
	}
	var all []kv
	for k, n := range rj.Reasons {
		all = append(all, kv{k, n})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].n > all[j].n || all[i].n == all[j].n && all[i].k < all[j].k })
	out := make([]view.CountRow, 0, len(all))
	for _, r := range all {
		out = append(out, view.CountRow{Label: rq.P.Maybe("reason."+r.k, r.k), Count: rq.P.Int(r.n),
			Share: percent(rq, ratio(r.n, rj.Count))})
	}
	return out
}

func ratio(n, d int64) *float64 {
	if d == 0 {
		return nil
	}
	v := float64(n) / float64(d)
	return &v
}

// percent shows a rate in the page's number format; a dash when it is
// undefined (nothing to divide by).
func percent(rq *request, v *float64) string {
	if v == nil {
		return "—"
	}
	return rq.P.Percent(*v, 1)
}

// reportsCSV is the funnel's table as CSV, the same the API's
// ?format=csv gives, for a signed-in user.
func (u *UI) reportsCSV(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := u.reportFiltersOf(r, rq)
	if err != nil {
		return err
	}
	fun, err := u.rep.Funnel(r.Context(), f.query(f.from, f.to))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="funnel.csv"`)
	return fun.Table().WriteCSV(w)
}
