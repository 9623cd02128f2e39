package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
)

// putTeam creates or replaces a team; the waterfall checks it.
func (s *Server) putTeam(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	var in waterfall.TeamInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, err := s.wf.PutTeam(r.Context(), r.PathValue("name"), in)
	if err != nil {
		return err
	}
	v, err := s.teamViews(r.Context(), t)
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
