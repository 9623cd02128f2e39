package web

import (
	"github.com/pistahq/pista/internal/access"
	"net/http"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
)

// Sales' acts on a lead. Each body may name the acting user in "by" (an
// e-mail) when the token is not linked to a user.

type actBody struct {
	By   string `json:"by,omitempty"`
	Note string `json:"note,omitempty"`
}

type rejectBody struct {
	By     string `json:"by,omitempty"`
	Reason string `json:"reason"`
	Text   string `json:"text,omitempty"`
}

type touchBody struct {
	By      string     `json:"by,omitempty"`
	Kind    string     `json:"kind"`
	Outcome string     `json:"outcome"`
	Note    string     `json:"note,omitempty"`
	At      *time.Time `json:"at,omitempty"`
}

type opportunityBody struct {
	By       string  `json:"by,omitempty"`
	Name     string  `json:"name,omitempty"`
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
}

type assignBody struct {
	By     string `json:"by,omitempty"`
	User   string `json:"user"`
	Reason string `json:"reason,omitempty"`
}

type pauseBody struct {
	By     string `json:"by,omitempty"`
	Reason string `json:"reason"`
}

// actor is who acts: the token's user, else the user named in "by", else
// the token itself (admin and manager tokens only may act without a user).
func (s *Server) actor(r *http.Request, tok *store.Token, by string) (waterfall.Actor, error) {
	a := waterfall.Actor{Role: tok.Role, Name: "token:" + tok.Name}
	if tok.UserID != 0 {
		u, err := s.db.User(r.Context(), tok.UserID)
		if err != nil {
			return a, err
		}
		if by != "" && !strings.EqualFold(by, u.Email) {
			return a, problem.Fields("the token acts as another user", problem.Field{Name: "by", Reason: "this token acts as " + u.Email + "; leave by out"})
		}
		a.User, a.Name = u, u.Email
		return a, nil
	}
	if by == "" {
		return a, nil
	}
	u, err := s.userField(r, by, "by")
	if err != nil {
		return a, err
	}
	// A token may name only a user who may do no more than its own role:
	// a rep's token signing as the manager would pass the manager's checks.
	if access.Allows(u.Role, access.ManageLeads) && !access.Allows(tok.Role, access.ManageLeads) {
		return a, problem.New(problem.Forbidden, "a %s token may not act as %s, a %s; use that person's own token", tok.Role, u.Email, u.Role)
	}
	a.User, a.Name = u, u.Email
	return a, nil
}

// userField finds the user a field names (e-mail or ID), with a 422 that
// names the field when there is none.
func (s *Server) userField(r *http.Request, ref, field string) (*store.User, error) {
	u, why, err := access.FindUser(r.Context(), s.db, access.UserRef(strings.TrimSpace(ref)))
	if err != nil {
		return nil, err
	}
	if why != "" {
		return nil, problem.Fields("unknown user", problem.Field{Name: field, Reason: why})
	}
	return u, nil
}

// leadAct decodes a body, resolves the actor and runs an act.
func leadAct[B any](s *Server, by func(*B) string, run func(r *http.Request, id int64, a waterfall.Actor, b *B) (*waterfall.View, error)) apiFunc {
	return func(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var b B
		// Acts whose fields are all optional (accept, won, resume) may be
		// sent without a body.
		if r.ContentLength != 0 {
			if err := decodeJSON(r, &b); err != nil {
				return err
			}
		}
		a, err := s.actor(r, tok, by(&b))
		if err != nil {
			return err
		}
		// A lead out of the user's sight is refused before the act, as in
		// the web app; who may work it (owner, team manager) the
		// waterfall checks inside the act.
		if tok.UserID != 0 {
			if _, err := s.visibleLead(r, tok, id); err != nil {
				return err
			}
		}
		v, err := run(r, id, a, &b)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	}
}

// The acts, one handler each (server.go routes them).

func (s *Server) acceptLead(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	return leadAct(s, func(b *actBody) string { return b.By }, func(r *http.Request, id int64, a waterfall.Actor, b *actBody) (*waterfall.View, error) {
		return s.wf.Accept(r.Context(), id, a, b.Note)
	})(w, r, tok)
}

func (s *Server) rejectLead(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	return leadAct(s, func(b *rejectBody) string { return b.By }, func(r *http.Request, id int64, a waterfall.Actor, b *rejectBody) (*waterfall.View, error) {
		return s.wf.Reject(r.Context(), id, a, b.Reason, b.Text)
	})(w, r, tok)
}

func (s *Server) touchLead(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	return leadAct(s, func(b *touchBody) string { return b.By }, func(r *http.Request, id int64, a waterfall.Actor, b *touchBody) (*waterfall.View, error) {
		in := waterfall.TouchInput{Kind: b.Kind, Outcome: b.Outcome, Note: b.Note}
		if b.At != nil {
			in.At = *b.At
		}
		return s.wf.Touch(r.Context(), id, a, in)
	})(w, r, tok)
}

func (s *Server) opportunityLead(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	return leadAct(s, func(b *opportunityBody) string { return b.By }, func(r *http.Request, id int64, a waterfall.Actor, b *opportunityBody) (*waterfall.View, error) {
		return s.wf.Opportunity(r.Context(), id, a, waterfall.OpportunityInput{Name: b.Name, Amount: b.Amount, Currency: b.Currency})
	})(w, r, tok)
}

func (s *Server) wonLead(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	return leadAct(s, func(b *actBody) string { return b.By }, func(r *http.Request, id int64, a waterfall.Actor, b *actBody) (*waterfall.View, error) {
		return s.wf.Won(r.Context(), id, a, b.Note)
	})(w, r, tok)
}

func (s *Server) lostLead(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	return leadAct(s, func(b *rejectBody) string { return b.By }, func(r *http.Request, id int64, a waterfall.Actor, b *rejectBody) (*waterfall.View, error) {
		return s.wf.Lost(r.Context(), id, a, b.Reason, b.Text)
	})(w, r, tok)
}

func (s *Server) assignLead(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	return leadAct(s, func(b *assignBody) string { return b.By }, func(r *http.Request, id int64, a waterfall.Actor, b *assignBody) (*waterfall.View, error) {
		u, err := s.userField(r, b.User, "user")
		if err != nil {
			return nil, err
		}
		return s.wf.Assign(r.Context(), id, a, u.ID, b.Reason)
	})(w, r, tok)
}

func (s *Server) pauseLead(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	return leadAct(s, func(b *pauseBody) string { return b.By }, func(r *http.Request, id int64, a waterfall.Actor, b *pauseBody) (*waterfall.View, error) {
		return s.wf.Pause(r.Context(), id, a, b.Reason)
	})(w, r, tok)
}

// takeLead: a member of the lead's team takes it from the team's queue.
func (s *Server) takeLead(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	return leadAct(s, func(b *actBody) string { return b.By }, func(r *http.Request, id int64, a waterfall.Actor, b *actBody) (*waterfall.View, error) {
		return s.wf.Take(r.Context(), id, a)
	})(w, r, tok)
}

func (s *Server) resumeLead(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	return leadAct(s, func(b *actBody) string { return b.By }, func(r *http.Request, id int64, a waterfall.Actor, b *actBody) (*waterfall.View, error) {
		return s.wf.Resume(r.Context(), id, a)
	})(w, r, tok)
}
