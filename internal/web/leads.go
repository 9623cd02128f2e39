package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
)

// leadView is a lead as the API shows it.
type leadView struct {
	ID            int64                 `json:"id"`
	Email         string                `json:"email,omitempty"`
	Phone         string                `json:"phone,omitempty"`
	Person        lead.Person           `json:"person"`
	Company       lead.Company          `json:"company"`
	Source        lead.Source           `json:"source"`
	Actions       []lead.Action         `json:"actions"`
	Mappings      []lead.Mapping        `json:"mappings,omitempty"`
	Qualification *lead.Qualification   `json:"qualification,omitempty"`
	Stage         string                `json:"stage"`
	Score         float64               `json:"score"`
	Band          string                `json:"band"`
	Owner         string                `json:"owner,omitempty"`
	OwnerID       int64                 `json:"owner_id,omitempty"`
	Flow          *waterfall.Flow       `json:"flow,omitempty"`
	Assignments   []*store.Assignment   `json:"assignments,omitempty"`
	Clocks        []*store.Clock        `json:"clocks,omitempty"`
	Evaluation    *engine.Result        `json:"evaluation,omitempty"`
	CreatedAt     time.Time             `json:"created_at"`
	UpdatedAt     time.Time             `json:"updated_at"`
	Timeline      []store.TimelineEntry `json:"timeline,omitempty"`
	MergedInto    int64                 `json:"merged_into,omitempty"`
	// Suspicious lists why a web-form submission looked like spam while
	// the lead is held out of the queues for it.
	Suspicious []string `json:"suspicious,omitempty"`
}

func viewOf(l *store.Lead, full bool) leadView {
	v := leadView{ID: l.ID, Email: l.Email, Phone: l.Phone, Person: l.Data.Person, Company: l.Data.Company, Source: l.Data.Source,
		Actions: l.Data.Actions, Mappings: l.Data.Mappings, Qualification: l.Qualification, Owner: l.Owner, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt, MergedInto: l.MergedInto,
		Suspicious: l.Suspicious}
	v.Stage, v.OwnerID = l.Stage(), l.OwnerID
	if len(l.Flow) > 0 {
		f := waterfall.FlowOf(l)
		v.Flow = &f
	}
	if r := l.Eval; r != nil {
		v.Score, v.Band = r.Total, r.Band
		if full {
			r.LeadID = strconv.FormatInt(l.ID, 10)
			v.Evaluation = r
		}
	}
	return v
}

// visibleLead loads a lead the token may see: a token acting for a user
// sees what that user sees in the web app (access.VisibleLead: 403
// lead_forbidden outside the scope); a token without a user, every lead.
func (s *Server) visibleLead(r *http.Request, tok *store.Token, id int64) (*store.Lead, error) {
	if tok.UserID != 0 {
		u, err := s.tokenUser(r.Context(), tok)
		if err != nil {
			return nil, err
		}
		l, _, _, err := access.VisibleLead(r.Context(), s.db, u, id)
		return l, err
	}
	l, err := s.db.Lead(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, problem.New(problem.NotFound, "lead %d does not exist", id)
	}
	return l, err
}

// leadScope is the list filter for what the token may see: its user's
// scope, or none for a token without a user.
func (s *Server) leadScope(r *http.Request, tok *store.Token) (store.LeadScope, error) {
	if tok.UserID == 0 {
		return store.LeadScope{}, nil
	}
	u, err := s.tokenUser(r.Context(), tok)
	if err != nil {
		return store.LeadScope{}, err
	}
	teams, err := s.db.Teams(r.Context())
	if err != nil {
		return store.LeadScope{}, err
	}
	return access.ScopeOf(u, teams).Limit(), nil
}

func (s *Server) getLead(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	l, err := s.visibleLead(r, tok, id)
	if err != nil {
		return err
	}
	v := viewOf(l, true)
	if v.Timeline, err = s.db.Timeline(r.Context(), id, 500); err != nil {
		return err
	}
	if v.Assignments, err = s.db.Assignments(r.Context(), id); err != nil {
		return err
	}
	if v.Clocks, err = s.db.Clocks(r.Context(), id); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// listLeads filters by stage, band, source, country, owner, score range and
// text, sorted by priority (score), with an opaque cursor.
func (s *Server) listLeads(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	q := r.URL.Query()
	f := store.ListFilter{Stage: q.Get("stage"), Band: q.Get("band"), SourceFormat: q.Get("source"), Country: strings.ToUpper(q.Get("country")),
		Owner: strings.ToLower(q.Get("owner")), Text: q.Get("q")}
	if f.Owner == "me" {
		// A rep's own queue: the leads of the user the token acts as.
		u, err := s.tokenUser(r.Context(), tok)
		if err != nil {
			return err
		}
		f.Owner = u.Email
	}
	var bad []problem.Field
	num := func(name string) *float64 {
		v := q.Get(name)
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			bad = append(bad, problem.Field{Name: name, Reason: "want a number"})
			return nil
		}
		return &f
	}
	f.MinScore, f.MaxScore = num("min_score"), num("max_score")
	switch q.Get("suspicious") {
	case "", "false":
	case "true":
		f.Suspicious = true
	default:
		bad = append(bad, problem.Field{Name: "suspicious", Reason: "want true or false"})
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			bad = append(bad, problem.Field{Name: "limit", Reason: "want a number from 1 to 500"})
		}
		f.Limit = n
	}
	if c := q.Get("cursor"); c != "" {
		score, id, err := decodeCursor(c)
		if err != nil {
			bad = append(bad, problem.Field{Name: "cursor", Reason: "not a cursor from a previous page"})
		}
		f.AfterScore, f.AfterID = &score, id
	}
	for name := range q {
		switch name {
		case "stage", "band", "source", "country", "owner", "q", "min_score", "max_score", "suspicious", "limit", "cursor":
		default:
			bad = append(bad, problem.Field{Name: name, Reason: "unknown filter; use stage, band, source, country, owner, q, min_score, max_score, suspicious, limit, cursor"})
		}
	}
	if len(bad) > 0 {
		return problem.Fields("bad query parameters", bad...)
	}
	limit := f.Limit
	if limit == 0 {
		limit = 50
	}
	f.Limit = limit + 1 // one more tells whether there is a next page
	var err error
	if f.Scope, err = s.leadScope(r, tok); err != nil {
		return err
	}
	leads, err := s.db.ListLeads(r.Context(), f)
	if err != nil {
		return err
	}
	more := len(leads) > limit
	if more {
		leads = leads[:limit]
	}
	out := struct {
		Leads []leadView `json:"leads"`
		Next  string     `json:"next_cursor,omitempty"`
	}{Leads: make([]leadView, 0, len(leads))}
	for _, l := range leads {
		out.Leads = append(out.Leads, viewOf(l, false))
	}
	if more {
		last := leads[len(leads)-1]
		score := 0.0
		if last.Eval != nil {
			score = last.Eval.Total
		}
		out.Next = encodeCursor(score, last.ID)
	}
	return writeJSON(w, http.StatusOK, out)
}

func encodeCursor(score float64, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s/%d", strconv.FormatFloat(score, 'g', -1, 64), id)))
}

func decodeCursor(c string) (float64, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, err
	}
	sc, idText, ok := strings.Cut(string(b), "/")
	if !ok {
		return 0, 0, errors.New("bad cursor")
	}
	score, err := strconv.ParseFloat(sc, 64)
	if err != nil {
		return 0, 0, err
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return score, id, err
}

// leadExplanation answers the explanation of a lead's last evaluation as
// plain text, the text pista explain --lead prints, for the leads the
// token may read.
func (s *Server) leadExplanation(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	for name := range q {
		if name != "format" {
			return problem.Fields("bad query parameters", problem.Field{Name: name, Reason: "unknown parameter; use format=text"})
		}
	}
	if f := q.Get("format"); f != "" && f != "text" {
		return problem.Fields("bad query parameters", problem.Field{Name: "format", Reason: fmt.Sprintf("%q: use text (the explanation as JSON is evaluation.explanation in GET /api/v1/leads/{id})", f)})
	}
	l, err := s.visibleLead(r, tok, id)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := intake.ExplainStored(r.Context(), s.db, l, &b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err = w.Write(b.Bytes())
	return err
}
