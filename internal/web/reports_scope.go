package web

import (
	"net/http"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
)

// reportScope is whose numbers the token's reports count: a token acting
// for a manager counts the leads of the manager's teams, and asking for
// another team by name is 403; a token without a user, or one of a user
// who sees every lead, counts all.
func (s *Server) reportScope(r *http.Request, tok *store.Token, asked ...string) (report.Scope, error) {
	if tok.UserID == 0 {
		return report.Scope{}, nil
	}
	u, err := s.tokenUser(r.Context(), tok)
	if err != nil {
		return report.Scope{}, err
	}
	teams, err := s.db.Teams(r.Context())
	if err != nil {
		return report.Scope{}, err
	}
	scoped, all, err := access.ReportScope(u, teams, asked...)
	if err != nil || all {
		return report.Scope{}, err
	}
	return report.Scope{Limited: true, Teams: scoped}, nil
}

// scopeQuery puts the token's scope on a report query, checking the teams
// it filters by.
func (s *Server) scopeQuery(r *http.Request, tok *store.Token, q *report.Query) error {
	sc, err := s.reportScope(r, tok, q.Filters["team"]...)
	q.Scope = sc
	return err
}
