package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// teamInput is the body of PUT /api/v1/teams/{name}.
type teamInput struct {
	Label    string         `json:"label"`
	Calendar *calendarInput `json:"calendar"`
	Manager  *userRef       `json:"manager"`
	Members  []memberInput  `json:"members"`
}

// calendarInput is calendar.Config as JSON; a team stores it in this form,
// which json.Unmarshal reads back into a calendar.Config as well.
type calendarInput struct {
	Country  string   `json:"country,omitempty"`
	Timezone string   `json:"timezone,omitempty"`
	Hours    string   `json:"hours,omitempty"`
	Days     []string `json:"days,omitempty"`
	Holidays []string `json:"holidays,omitempty"`
}

type memberInput struct {
	User          userRef  `json:"user"`
	Weight        *float64 `json:"weight"`
	DailyCapacity int      `json:"daily_capacity"`
}

// checkCalendar validates each field on its own, so that every bad field,
// and the position of a bad day or holiday, is named.
func checkCalendar(c *calendarInput) []problem.Field {
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

func (s *Server) putTeam(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	name := r.PathValue("name")
	if !teamName.MatchString(name) {
		return problem.Fields("bad team name", problem.Field{Name: "name", Reason: fmt.Sprintf("%q: want 1 to 64 of a-z, 0-9 and _", name)})
	}
	var in teamInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ctx := r.Context()
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
			return err
		} else if string(b) != "{}" {
			t.Calendar = b
		}
	}
	if in.Manager != nil {
		u, why, err := s.resolveUser(ctx, *in.Manager)
		if err != nil {
			return err
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
		u, why, err := s.resolveUser(ctx, m.User)
		if err != nil {
			return err
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
		return pe
	}
	if err := s.db.PutTeam(ctx, t, s.now()); err != nil {
		return err
	}
	t, err := s.db.Team(ctx, name)
	if err != nil {
		return err
	}
	v, err := s.teamViews(ctx, t)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v[0])
}

// teamView is a team as the API shows it: members and manager with their
// names and e-mails, so a screen needs no second call.
type teamView struct {
	ID        int64           `json:"id"`
	Name      string          `json:"name"`
	Label     string          `json:"label,omitempty"`
	Calendar  json.RawMessage `json:"calendar,omitempty"`
	Manager   *userBrief      `json:"manager,omitempty"`
	Members   []memberView    `json:"members"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

type userBrief struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

type memberView struct {
	UserID        int64   `json:"user_id"`
	Name          string  `json:"name"`
	Email         string  `json:"email"`
	Active        bool    `json:"active"`
	Away          bool    `json:"away"`
	Weight        float64 `json:"weight"`
	DailyCapacity int     `json:"daily_capacity"`
	Credit        float64 `json:"credit"`
}

func (s *Server) teamViews(ctx context.Context, teams ...*store.Team) ([]teamView, error) {
	users, err := s.db.Users(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*store.User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	now := s.now()
	out := make([]teamView, 0, len(teams))
	for _, t := range teams {
		v := teamView{ID: t.ID, Name: t.Name, Label: t.Label, Calendar: t.Calendar, Members: []memberView{}, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
		if u := byID[t.ManagerID]; u != nil {
			v.Manager = &userBrief{ID: u.ID, Name: u.Name, Email: u.Email}
		}
		for _, m := range t.Members {
			mv := memberView{UserID: m.UserID, Weight: m.Weight, DailyCapacity: m.DailyCapacity, Credit: m.Credit}
			if u := byID[m.UserID]; u != nil {
				mv.Name, mv.Email, mv.Active, mv.Away = u.Name, u.Email, u.Active, u.Away(now)
			}
			v.Members = append(v.Members, mv)
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Server) listTeams(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	teams, err := s.db.Teams(r.Context())
	if err != nil {
		return err
	}
	v, err := s.teamViews(r.Context(), teams...)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"teams": v})
}

func (s *Server) getTeam(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	name := r.PathValue("name")
	t, err := s.db.Team(r.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		return problem.New(problem.NotFound, "there is no team %q", name)
	}
	if err != nil {
		return err
	}
	v, err := s.teamViews(r.Context(), t)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v[0])
}
