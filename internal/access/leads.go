package access

import (
	"slices"

	"github.com/pistahq/pista/internal/store"
)

// LeadScope is which leads a user may see and work. A rep sees the
// leads assigned to them and their teams' unassigned queue; a manager the
// leads of the teams they manage or belong to; a BDR, marketing and an
// admin every lead.
type LeadScope struct {
	All     bool
	UserID  int64
	Teams   []string // teams the user belongs to
	Manages []string // teams the user manages
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
	return sc
}

// Sees reports whether the scope covers a lead held by ownerID (0: none)
// in team.
func (sc LeadScope) Sees(ownerID int64, team string) bool {
	switch {
	case sc.All, ownerID != 0 && ownerID == sc.UserID:
		return true
	case team != "" && slices.Contains(sc.Manages, team):
		return true
	case team != "" && ownerID == 0 && slices.Contains(sc.Teams, team):
		return true
	}
	return false
}

// ManagesTeam reports whether the user may reassign the leads of a team.
func (sc LeadScope) ManagesTeam(role, team string) bool {
	return role == Admin || (role == Manager && slices.Contains(sc.Manages, team))
}
