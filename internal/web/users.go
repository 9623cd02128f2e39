package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/pistahq/pista/internal/access"
	"net/http"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// userInput is the body of POST /api/v1/users.
type userInput struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Role     string `json:"role"`
	Language string `json:"language"`
	Timezone string `json:"timezone"`
}

func (s *Server) postUser(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	var in userInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := access.NewUser(in.Name, in.Email, in.Role, in.Language, in.Timezone, s.now())
	if err != nil {
		return err
	}
	if err := access.MayGrant(tok.Role, u.Role); err != nil {
		return err
	}
	if err := s.db.InsertUser(r.Context(), u); store.IsConflict(err) {
		return &problem.Error{Kind: problem.Conflict, Detail: fmt.Sprintf("there is already a user with e-mail %s", u.Email),
			Fields: []problem.Field{{Name: "email", Reason: "taken"}}}
	} else if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	users, err := s.db.Users(r.Context())
	if err != nil {
		return err
	}
	if users == nil {
		users = []*store.User{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

func (s *Server) pathUser(r *http.Request) (*store.User, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	u, err := s.db.User(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, problem.New(problem.NotFound, "user %d does not exist", id)
	}
	return u, err
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

// userPatch is the body of PATCH /api/v1/users/{id}: only the fields sent
// change. The e-mail is the user's identity and does not change here.
type userPatch struct {
	Name      *string      `json:"name"`
	Role      *string      `json:"role"`
	Language  *string      `json:"language"`
	Timezone  *string      `json:"timezone"`
	Active    *bool        `json:"active"`
	AwayFrom  nullableTime `json:"away_from"`
	AwayUntil nullableTime `json:"away_until"`
}

// nullableTime tells a field left out (keep) from null (clear) from a time.
type nullableTime struct {
	set bool
	t   *time.Time
}

func (n *nullableTime) UnmarshalJSON(b []byte) error {
	n.set = true
	if string(b) == "null" {
		n.t = nil
		return nil
	}
	var t time.Time
	if err := json.Unmarshal(b, &t); err != nil {
		return errors.New("want a time in RFC 3339, like 2026-11-20T15:04:05Z, or null to clear it")
	}
	t = t.UTC()
	n.t = &t
	return nil
}

func (s *Server) patchUser(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	u, err := s.pathUser(r)
	if err != nil {
		return err
	}
	var in userPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ch := access.UserChange{Name: in.Name, Role: in.Role, Language: in.Language, Timezone: in.Timezone, Active: in.Active,
		AwayFrom: access.TimeChange{Set: in.AwayFrom.set, T: in.AwayFrom.t}, AwayUntil: access.TimeChange{Set: in.AwayUntil.set, T: in.AwayUntil.t}}
	if err := access.ChangeUser(tok.Role, u, ch, s.now()); err != nil {
		return err
	}
	if err := s.db.UpdateUser(r.Context(), u); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

// tokenUser is the user a request's token acts as. Calls that act for a
// person (reassigning a lead, logging a touch) use it; a token for a
// system, with no user, is refused with 403.
func (s *Server) tokenUser(ctx context.Context, tok *store.Token) (*store.User, error) {
	if tok.UserID == 0 {
		return nil, problem.New(problem.Forbidden, "token %q acts for no user; create one with `pista token create --user EMAIL`", tok.Name)
	}
	u, err := s.db.User(ctx, tok.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, problem.New(problem.Forbidden, "the user of token %q no longer exists", tok.Name)
	}
	return u, err
}

// tokenView is the token part of GET /api/v1/me (never its secret).
type tokenView struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

// meView answers "who am I": the token and the user it acts as, if any.
type meView struct {
	Token tokenView   `json:"token"`
	User  *store.User `json:"user"`
}

func (s *Server) getMe(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	v := meView{Token: tokenView{ID: tok.ID, Name: tok.Name, Role: tok.Role}}
	if tok.UserID != 0 {
		u, err := s.tokenUser(r.Context(), tok)
		if err != nil {
			return err
		}
		v.User = u
	}
	return writeJSON(w, http.StatusOK, v)
}
