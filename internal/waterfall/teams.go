package waterfall

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// TeamInput is a team as people write it (the body of PUT
// /api/v1/teams/{name}): the rules of PutTeam apply to it wherever it
// comes from.
type TeamInput struct {
	Label    string          `json:"label"`
	Calendar *CalendarInput  `json:"calendar"`
	Manager  *access.UserRef `json:"manager"`
	Members  []MemberInput   `json:"members"`
}

// CalendarInput is calendar.Config as JSON; a team stores it in this form,
// which json.Unmarshal reads back into a calendar.Config as well.
type CalendarInput struct {
	Country  string   `json:"country,omitempty"`
	Timezone string   `json:"timezone,omitempty"`
	Hours    string   `json:"hours,omitempty"`
	Days     []string `json:"days,omitempty"`
	Holidays []string `json:"holidays,omitempty"`
}

// MemberInput is one member of a TeamInput; Weight nil means 1.
type MemberInput struct {
	User          access.UserRef `json:"user"`
	Weight        *float64       `json:"weight"`
	DailyCapacity int            `json:"daily_capacity"`
}

// teamName is a team's name: what routing rules write (team: latam).
var teamName = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// PutTeam checks a team against the rules (its name, label, calendar,
// manager and members, with their weights and capacities) and stores it,
// creating or replacing it. A bad team is a problem naming every bad
// field; nothing is stored then.
func (s *Service) PutTeam(ctx context.Context, name string, in TeamInput) (*store.Team, error) {
	t, err := CheckTeam(ctx, s.db, name, in)
	if err != nil {
		return nil, err
	}
	if err := s.db.PutTeam(ctx, t, s.now()); err != nil {
		return nil, err
	}
	return s.db.Team(ctx, name)
}

// CheckTeam checks a team and resolves its people, without storing it.
func CheckTeam(ctx context.Context, db *store.DB, name string, in TeamInput) (*store.Team, error) {
	if !teamName.MatchString(name) {
		return nil, problem.Fields("bad team name", problem.Field{Name: "name", Reason: fmt.Sprintf("%q: want 1 to 64 of a-z, 0-9 and _", name)})
	}
	pe := problem.Fields("the team has invalid fields")
	t := &store.Team{Name: name, Label: strings.TrimSpace(in.Label), Members: []store.Member{}}
	if len(t.Label) > 200 {
		pe.Fields = append(pe.Fields, problem.Field{Name: "label", Reason: "longer than 200 bytes"})
	}
	if in.Calendar != nil {
		c := *in.Calendar
		c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
		c.Timezone = strings.TrimSpace(c.Timezone)
		c.Hours = strings.TrimSpace(c.Hours)
		if bad := checkCalendar(&c); len(bad) > 0 {
			pe.Fields = append(pe.Fields, bad...)
		} else if b, err := json.Marshal(c); err != nil {
			return nil, err
		} else if string(b) != "{}" {
			t.Calendar = b
		}
	}
	if in.Manager != nil {
		u, why, err := access.FindUser(ctx, db, *in.Manager)
		if err != nil {
			return nil, err
		}
		if why != "" {
			pe.Fields = append(pe.Fields, problem.Field{Name: "manager", Reason: why})
		} else {
			t.ManagerID = u.ID
		}
	}
	seen := map[int64]int{}
	for i, m := range in.Members {
		at := fmt.Sprintf("members[%d]", i)
		u, why, err := access.FindUser(ctx, db, m.User)
		if err != nil {
			return nil, err
		}
		if why != "" {
			pe.Fields = append(pe.Fields, problem.Field{Name: at + ".user", Reason: why})
		} else if j, dup := seen[u.ID]; dup {
			pe.Fields = append(pe.Fields, problem.Field{Name: at + ".user", Reason: fmt.Sprintf("%s is already members[%d]", u.Email, j)})
		} else {
			seen[u.ID] = i
		}
		weight := 1.0
		if m.Weight != nil {
			weight = *m.Weight
		}
		if !(weight > 0) || weight > 1000 {
			pe.Fields = append(pe.Fields, problem.Field{Name: at + ".weight", Reason: fmt.Sprintf("%v: want a number above 0 and at most 1000 (a share of the rotation)", weight)})
		}
		if m.DailyCapacity < 0 {
			pe.Fields = append(pe.Fields, problem.Field{Name: at + ".daily_capacity", Reason: fmt.Sprintf("%d: want 0 (no limit) or more", m.DailyCapacity)})
		}
		if u != nil {
			t.Members = append(t.Members, store.Member{UserID: u.ID, Weight: weight, DailyCapacity: m.DailyCapacity})
		}
	}
	if len(pe.Fields) > 0 {
		return nil, pe
	}
	return t, nil
}

// checkCalendar validates each field on its own, so that every bad field,
// and the position of a bad day or holiday, is named.
func checkCalendar(c *CalendarInput) []problem.Field {
	var out []problem.Field
	check := func(name string, cfg calendar.Config) {
		if _, err := calendar.New(cfg); err != nil {
			out = append(out, problem.Field{Name: name, Reason: err.Error()})
		}
	}
	if c.Country != "" {
		check("calendar.country", calendar.Config{Country: c.Country})
	}
	if c.Timezone != "" {
		check("calendar.timezone", calendar.Config{Timezone: c.Timezone})
	}
	if c.Hours != "" {
		check("calendar.hours", calendar.Config{Hours: c.Hours})
	}
	for i, d := range c.Days {
		check(fmt.Sprintf("calendar.days[%d]", i), calendar.Config{Days: []string{d}})
	}
	for i, h := range c.Holidays {
		check(fmt.Sprintf("calendar.holidays[%d]", i), calendar.Config{Holidays: []string{h}})
	}
	if len(out) == 0 {
		check("calendar", calendar.Config{Country: c.Country, Timezone: c.Timezone, Hours: c.Hours, Days: c.Days, Holidays: c.Holidays})
	}
	return out
}
