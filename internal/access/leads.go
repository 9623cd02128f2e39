package access

import (
	"context"
	"errors"
	"slices"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// LeadScope is which leads a user may see and work. A rep sees the
// leads assigned to them and their teams' unassigned queue; a manager the
// leads of the teams they manage or belong to; a BDR, marketing and an
// admin every lead. The web app and the JSON API both ask it (Sees for one
// lead, Limit for a list), so the rule is written once.
type LeadScope struct {
	All     bool
	UserID  int64
	Teams   []string // teams the user belongs to
	Manages []string // teams the user manages
	// Whole are the teams every lead of which is visible, held or not:
	// those the user manages and, for a manager, those they belong to.
	Whole []string
}

// ScopeOf works out a user's scope from the teams.
func ScopeOf(u *store.User, teams []*store.Team) LeadScope {
	sc := LeadScope{All: SeesAllLeads(u.Role), UserID: u.ID}
	for _, t := range teams {
		if t.ManagerID == u.ID {
			sc.Manages = append(sc.Manages, t.Name)
		}
		for _, m := range t.Members {
			if m.UserID == u.ID {
				sc.Teams = append(sc.Teams, t.Name)
			}
		}
	}
	sc.Whole = slices.Clone(sc.Manages)
	if u.Role == Manager {
		sc.Whole = append(sc.Whole, sc.Teams...)
	}
	return sc
}

// Sees reports whether the scope covers a lead held by ownerID (0: none)
// in team.
func (sc LeadScope) Sees(ownerID int64, team string) bool {
	switch {
	case sc.All, ownerID != 0 && ownerID == sc.UserID:
		return true
	case team != "" && slices.Contains(sc.Whole, team):
		return true
	case team != "" && ownerID == 0 && slices.Contains(sc.Teams, team):
		return true
	}
	return false
}

// Limit is the scope as a list's filter: what Sees says of one lead, in
// SQL.
func (sc LeadScope) Limit() store.LeadScope {
	if sc.All {
		return store.LeadScope{}
	}
	return store.LeadScope{Limited: true, User: sc.UserID, Teams: sc.Teams, Whole: sc.Whole}
}

// ReportTeams is whose numbers a user's reports count: every lead's
// (all) or, for a manager, the leads of the teams they manage or belong
// to, the teams whose leads they see. (Reps are refused reports by role:
// see Report.)
func (sc LeadScope) ReportTeams() (teams []string, all bool) {
	if sc.All {
		return nil, true
	}
	return slices.Clone(sc.Whole), false
}

// ManagesTeam reports whether the user may reassign the leads of a team.
func (sc LeadScope) ManagesTeam(role, team string) bool {
	return role == Admin || (role == Manager && slices.Contains(sc.Manages, team))
}

// VisibleLead loads a lead a user may see, with the team it is routed to
// (its current assignment's, else its evaluation's) and the user's scope.
// A missing lead is a 404 (lead_not_found); one outside the scope a 403
// (lead_forbidden), the same answer on every page and every API call.
func VisibleLead(ctx context.Context, db *store.DB, u *store.User, id int64) (*store.Lead, string, LeadScope, error) {
	l, err := db.Lead(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", LeadScope{}, problem.Coded(problem.NotFound, "lead_not_found", []any{id}, "lead %d does not exist", id)
	}
	if err != nil {
		return nil, "", LeadScope{}, err
	}
	cur, err := db.CurrentTeams(ctx, []int64{id})
	if err != nil {
		return nil, "", LeadScope{}, err
	}
	team := cur[id]
	if team == "" && l.Eval != nil {
		team = l.Eval.Team
	}
	teams, err := db.Teams(ctx)
	if err != nil {
		return nil, "", LeadScope{}, err
	}
	sc := ScopeOf(u, teams)
	if !sc.Sees(l.OwnerID, team) {
		return nil, "", sc, problem.Coded(problem.Forbidden, "lead_forbidden", []any{id}, "lead %d belongs to another team or owner", id)
	}
	return l, team, sc, nil
}

// ReportScope is whose numbers a user's reports count (ReportTeams), and
// refuses (403, report_team_forbidden) a report of a team outside it
// asked for by name: a manager asking for another team's numbers.
func ReportScope(u *store.User, teams []*store.Team, asked ...string) (scoped []string, all bool, err error) {
	scoped, all = ScopeOf(u, teams).ReportTeams()
	if all {
		return nil, true, nil
	}
	for _, t := range asked {
		if t != "" && !slices.Contains(scoped, t) {
			return scoped, false, problem.Coded(problem.Forbidden, "report_team_forbidden", []any{t},
				"team %q is not one of yours: a manager's reports count the teams they manage or belong to", t)
		}
	}
	return scoped, false, nil
}
