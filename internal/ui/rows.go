package ui

import (
	"cmp"
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
	"github.com/pistahq/pista/internal/vocab"
)

// soon is when a first touch turns amber: due within two business hours.
const soon = 2 * time.Hour

// leadName is how a lead is named on screens.
func leadName(l *store.Lead) string {
	p := l.Data.Person
	if n := strings.TrimSpace(p.FirstName + " " + p.LastName); n != "" {
		return n
	}
	if l.Email != "" {
		return l.Email
	}
	return "#" + itoa64(l.ID)
}

// rows turns leads into table rows with their first-touch state, counted
// in business time on each clock's calendar.
func (u *UI) rows(ctx context.Context, rq *request, leads []*store.Lead, teams []string) ([]view.LeadRow, error) {
	ids := make([]int64, len(leads))
	for i, l := range leads {
		ids[i] = l.ID
	}
	clocks, err := u.db.LatestClocks(ctx, ids)
	if err != nil {
		return nil, err
	}
	if teams == nil {
		cur, err := u.db.CurrentTeams(ctx, ids)
		if err != nil {
			return nil, err
		}
		teams = make([]string, len(leads))
		for i, l := range leads {
			teams[i] = cur[l.ID]
		}
	}
	teamName, err := u.teamNames(ctx)
	if err != nil {
		return nil, err
	}
	cals := map[string]*calendar.Calendar{}
	names := map[int64]string{} // owners' names by user ID
	now := u.now()
	out := make([]view.LeadRow, 0, len(leads))
	for i, l := range leads {
		row := view.LeadRow{ID: l.ID, Name: leadName(l), Title: l.Data.Person.Title, Company: l.Data.Company.Name,
			Country: l.Data.Company.Country, Stage: l.Stage(), Owner: l.Owner, Team: teamName(teams[i]),
			Source: u.label(rq.P, "source.format", l.Data.Source.Format), Created: l.CreatedAt,
			Suspicious: len(l.Suspicious) > 0}
		if l.OwnerID != 0 {
			name, ok := names[l.OwnerID]
			if !ok {
				if o, err := u.db.User(ctx, l.OwnerID); err == nil {
					name = o.Name
				}
				names[l.OwnerID] = name
			}
			row.OwnerEmail = l.Owner
			row.Owner = cmp.Or(name, l.Owner)
		}
		if l.Eval != nil {
			row.Band, row.Score = u.label(rq.P, vocab.BandField, l.Eval.Band), l.Eval.Total
		}
		if c := clocks[l.ID]; c != nil {
			key := c.Team + "\x00" + c.Policy
			cal, ok := cals[key]
			if !ok {
				if cal, err = u.wf.ClockCalendar(ctx, c); err != nil {
					return nil, err
				}
				cals[key] = cal
			}
			row.SLA = slaOf(rq, c, cal, now)
			if !stage.Open(row.Stage) {
				// A closed lead (won, lost, nurture...) waits for no first
				// touch: a missed one is history, not a growing delay.
				switch row.SLA.State {
				case "breached":
					row.SLA = view.SLA{State: "late", Due: c.DueAt, Policy: c.Policy, Text: rq.P.T("sla.late")}
				case "soon", "on_time":
					row.SLA = view.SLA{State: "none", Text: rq.P.T("sla.none")}
				}
			}
			row.Overdue = row.SLA.State == "breached"
		} else {
			row.SLA = view.SLA{State: "none", Text: rq.P.T("sla.none")}
		}
		out = append(out, row)
	}
	return out, nil
}

// slaOf says where a first-touch clock stands.
func slaOf(rq *request, c *store.Clock, cal *calendar.Calendar, now time.Time) view.SLA {
	between := func(from, to time.Time) time.Duration {
		if cal == nil {
			return to.Sub(from)
		}
		return cal.BusinessTime(from, to)
	}
	s := view.SLA{Due: c.DueAt, Policy: c.Policy}
	switch {
	case c.Status == store.ClockMet:
		s.State, s.Text = "met", rq.P.T("sla.met")
	case c.Status == store.ClockCancelled:
		s.State, s.Text = "none", rq.P.T("sla.none")
	case c.Status == store.ClockPaused:
		s.State, s.Text = "paused", rq.P.T("sla.paused")
	case c.Overdue(now):
		s.State, s.Text = "breached", rq.P.T("sla.breached", rq.P.Duration(between(c.DueAt, now)))
	default:
		left := between(now, c.DueAt)
		s.State, s.Text = "on_time", rq.P.T("sla.due_in", rq.P.Duration(left))
		if left <= soon {
			s.State = "soon"
		}
	}
	return s
}

// byDue puts the first touch due first on top: breached (longest overdue
// first), then pending by due time, then the rest by score.
func byDue(rows []view.LeadRow) {
	rank := func(r view.LeadRow) int {
		switch r.SLA.State {
		case "breached":
			return 0
		case "soon", "on_time":
			return 1
		case "paused":
			return 2
		}
		return 3
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		if rank(a) <= 1 && !a.SLA.Due.Equal(b.SLA.Due) {
			return a.SLA.Due.Before(b.SLA.Due)
		}
		return a.Score > b.Score
	})
}

// scope is the signed-in user's lead scope.
func (u *UI) scope(ctx context.Context, rq *request) (access.LeadScope, []*store.Team, error) {
	teams, err := u.db.Teams(ctx)
	if err != nil {
		return access.LeadScope{}, nil, err
	}
	return access.ScopeOf(rq.User, teams), teams, nil
}

// options builds a select's options with one selected.
func options(values []string, labels func(string) string, selected string) []view.Option {
	out := make([]view.Option, 0, len(values))
	for _, v := range values {
		out = append(out, view.Option{Value: v, Label: labels(v), Selected: v == selected})
	}
	return out
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// get is a query parameter, trimmed.
func get(r *http.Request, name string) string { return strings.TrimSpace(r.URL.Query().Get(name)) }
