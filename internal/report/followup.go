package report

import (
	"context"
	"sort"
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/store"
)

// FollowUp is what became of the leads routed in a period: were they
// touched at all, within the SLA, and how soon.
type FollowUp struct {
	From  time.Time    `json:"from"`
	To    time.Time    `json:"to"`
	Total FollowLine   `json:"total"`
	Teams []FollowLine `json:"teams"`
	Reps  []FollowLine `json:"reps"`
	// Weeks holds each rep's line per ISO week of routing (the heat map),
	// and each team's (user_id 0).
	Weeks []FollowLine `json:"weeks"`
}

// FollowLine is the follow-up of one team, rep or week, or the total.
type FollowLine struct {
	Team   string `json:"team,omitempty"`
	UserID int64  `json:"user_id,omitempty"`
	User   string `json:"user,omitempty"`
	Week   string `json:"week,omitempty"`
	Routed int64  `json:"routed"`
	// Touched at all, by now; WithinSLA before the clock's deadline.
	Touched        int64    `json:"touched"`
	TouchedShare   *float64 `json:"touched_share"`
	WithinSLA      int64    `json:"within_sla"`
	WithinSLAShare *float64 `json:"within_sla_share"`
	// Business hours from routing to the first touch, over touched leads.
	MedianHours *float64 `json:"median_business_hours_to_first_touch"`
	P90Hours    *float64 `json:"p90_business_hours_to_first_touch"`

	hours histogram
}

type followKey struct {
	team string
	user int64
	week string
}

// FollowUp answers GET /api/v1/reports/follow-up. A rep's line counts
// each first-touch clock the rep was given (a lead reassigned after a
// breach counts for both reps); the team lines and the total count each
// lead once: touched if anyone touched it, within the SLA if a clock was
// met, timed from its first routing in the period. team "" is every
// team.
func (r *Reports) FollowUp(ctx context.Context, from, to time.Time, team string) (*FollowUp, error) {
	return r.FollowUpIn(ctx, from, to, team, Scope{})
}

// FollowUpIn is FollowUp over the clocks of the teams in a scope (a
// manager's).
func (r *Reports) FollowUpIn(ctx context.Context, from, to time.Time, team string, sc Scope) (*FollowUp, error) {
	var clocks []*store.ClockFact
	err := r.db.ClockFacts(ctx, from, to, func(c *store.ClockFact) {
		if (team == "" || c.Team == team) && sc.Has(c.Team) {
			v := *c
			if c.TouchedAt != nil {
				t := *c.TouchedAt
				v.TouchedAt = &t
			}
			clocks = append(clocks, &v)
		}
	})
	if err != nil {
		return nil, err
	}
	users, err := r.db.Users(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
	}
	cal, err := r.calendars(ctx)
	if err != nil {
		return nil, err
	}
	loc, err := r.Location(ctx)
	if err != nil {
		return nil, err
	}
	return followUp(clocks, names, cal, from, to, loc), nil
}

// followUp is the report over the clocks; pure.
func followUp(clocks []*store.ClockFact, names map[int64]string, cal func(string) *calendar.Calendar, from, to time.Time, loc *time.Location) *FollowUp {
	lines := map[followKey]*FollowLine{}
	week := weeks(loc)
	get := func(k followKey) *FollowLine {
		if l, ok := lines[k]; ok {
			return l
		}
		l := &FollowLine{Team: k.team, UserID: k.user, Week: k.week, hours: histogram{}}
		if k.user != 0 {
			l.User = names[k.user]
			if l.User == "" {
				l.User = "#" + itoa(k.user) // a user since removed still has their line
			}
		}
		lines[k] = l
		return l
	}
	// Reps: one clock, one count.
	for _, c := range clocks {
		if c.UserID == 0 {
			continue // still in the team's queue: counted on the team lines
		}
		week := week(c.StartedAt)
		for _, k := range []followKey{{c.Team, c.UserID, ""}, {c.Team, c.UserID, week}} {
			addClock(get(k), c, cal)
		}
	}
	// Leads: the first clock in the period decides the team and week.
	type leadState struct {
		first   *store.ClockFact
		touched *time.Time
		met     bool
	}
	leads := map[int64]*leadState{}
	var order []int64
	for _, c := range clocks {
		s := leads[c.LeadID]
		if s == nil {
			s = &leadState{first: c}
			leads[c.LeadID] = s
			order = append(order, c.LeadID)
		}
		if c.StartedAt.Before(s.first.StartedAt) {
			s.first = c
		}
		if c.TouchedAt != nil && (s.touched == nil || c.TouchedAt.Before(*s.touched)) {
			s.touched = c.TouchedAt
		}
		s.met = s.met || c.Status == store.ClockMet
	}
	total := &FollowLine{hours: histogram{}}
	for _, id := range order {
		s := leads[id]
		c := *s.first
		c.TouchedAt = s.touched
		if s.met {
			c.Status = store.ClockMet
		} else if c.Status == store.ClockMet {
			c.Status = store.ClockBreached
		}
		for _, l := range []*FollowLine{total, get(followKey{c.Team, 0, ""}), get(followKey{c.Team, 0, week(c.StartedAt)})} {
			addClock(l, &c, cal)
		}
	}
	out := &FollowUp{From: from, To: to, Teams: []FollowLine{}, Reps: []FollowLine{}, Weeks: []FollowLine{}}
	total.finish()
	out.Total = *total
	for k, l := range lines {
		l.finish()
		switch {
		case k.week != "":
			out.Weeks = append(out.Weeks, *l)
		case k.user == 0:
			out.Teams = append(out.Teams, *l)
		default:
			out.Reps = append(out.Reps, *l)
		}
	}
	for _, ls := range [][]FollowLine{out.Teams, out.Reps, out.Weeks} {
		sort.Slice(ls, func(i, j int) bool {
			a, b := ls[i], ls[j]
			if a.Team != b.Team {
				return a.Team < b.Team
			}
			if a.User != b.User {
				return a.User < b.User
			}
			if a.UserID != b.UserID {
				return a.UserID < b.UserID
			}
			return a.Week < b.Week
		})
	}
	return out
}

func addClock(l *FollowLine, c *store.ClockFact, cal func(string) *calendar.Calendar) {
	l.Routed++
	if c.Status == store.ClockMet {
		l.WithinSLA++
	}
	if c.TouchedAt != nil {
		l.Touched++
		l.hours[businessHours(cal(c.Team), c.StartedAt, *c.TouchedAt)]++
	}
}

func (l *FollowLine) finish() {
	l.TouchedShare = rate(l.Touched, l.Routed)
	l.WithinSLAShare = rate(l.WithinSLA, l.Routed)
	l.MedianHours = l.hours.percentile(0.5)
	l.P90Hours = l.hours.percentile(0.9)
}

// weeks returns the ISO week of instants in loc, worked out once per UTC
// day whose instants all fall in one week (every day but the ones a
// week starts in, in a zone that is not UTC).
func weeks(loc *time.Location) func(time.Time) string {
	byDay := map[int64]dayLabel{}
	return func(t time.Time) string {
		d := store.DayOf(t)
		l, ok := byDay[d]
		if !ok {
			a, b := isoWeek(store.DayStart(d), loc), isoWeek(store.DayStart(d+1).Add(-time.Nanosecond), loc)
			l = dayLabel{uniform: a == b, label: a}
			byDay[d] = l
		}
		if l.uniform {
			return l.label
		}
		return isoWeek(t, loc)
	}
}
