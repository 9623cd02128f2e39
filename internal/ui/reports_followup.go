package ui

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/ui/view"
)

// followUpHeat lays out report.FollowUp's weekly rep lines as a heat map:
// a row per rep (with their team's label), a column per ISO week of
// routing.
func followUpHeat(rq *request, fu *report.FollowUp, teamName func(string) string) view.Heat {
	var h view.Heat
	type repKey struct {
		team string
		id   int64
	}
	cells := map[repKey]map[string]report.FollowLine{}
	var reps []repKey
	names := map[repKey]string{}
	for _, l := range fu.Weeks {
		if l.UserID == 0 {
			continue // the team's line
		}
		k := repKey{l.Team, l.UserID}
		if cells[k] == nil {
			cells[k] = map[string]report.FollowLine{}
			reps = append(reps, k)
			names[k] = l.User
		}
		cells[k][l.Week] = l
		if !slices.Contains(h.Weeks, l.Week) {
			h.Weeks = append(h.Weeks, l.Week)
		}
	}
	slices.Sort(h.Weeks)
	for _, k := range reps {
		row := view.HeatRow{Rep: names[k], Team: teamName(k.team)}
		for _, w := range h.Weeks {
			l, ok := cells[k][w]
			c := view.HeatCell{Class: "heat-none", Share: "—"}
			if ok && l.Routed > 0 {
				c.Share = percent(rq, l.WithinSLAShare)
				c.Detail = rq.P.Int(l.WithinSLA) + "/" + rq.P.Int(l.Routed)
				c.Class = heatClass(l.WithinSLAShare)
			}
			row.Cells = append(row.Cells, c)
		}
		h.Rows = append(h.Rows, row)
	}
	return h
}

// heatClass buckets a share of first touches within the SLA.
func heatClass(v *float64) string {
	switch {
	case v == nil:
		return "heat-none"
	case *v >= 0.9:
		return "heat-good"
	case *v >= 0.6:
		return "heat-mid"
	default:
		return "heat-bad"
	}
}

// reportsFollowUpCSV is the follow-up report's table as CSV.
func (u *UI) reportsFollowUpCSV(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := u.reportFiltersOf(r, rq)
	if err != nil {
		return err
	}
	fu, err := u.rep.FollowUpIn(r.Context(), f.from, f.to, f.Team, f.scope)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="follow-up.csv"`)
	return fu.Table().WriteCSV(w)
}

// followUpCSV is the follow-up CSV's address: the page's period and team
// (the follow-up report has no source filter).
func (f reportFilters) followUpCSV() string {
	v := url.Values{"from": {f.From}, "to": {f.To}}
	if f.Team != "" {
		v.Set("team", f.Team)
	}
	return "/app/reports/follow-up.csv?" + v.Encode()
}
