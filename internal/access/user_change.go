package access

import (
	"fmt"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// UserChange is a change to a user's fields; nil (or Set false) leaves a
// field as it is.
type UserChange struct {
	Name, Role, Language, Timezone *string
	Active                         *bool
	AwayFrom, AwayUntil            TimeChange
}

// TimeChange sets a time, or clears it when set with nil.
type TimeChange struct {
	Set bool
	T   *time.Time
}

// ChangeUser applies a change made by someone with actorRole, checking
// every field as the API does (a role only one who may grant it gives, an
// absence that ends after it starts). u is changed only when all is well.
func ChangeUser(actorRole string, u *store.User, c UserChange, now time.Time) error {
	next := *u
	pe := problem.Fields("the change has invalid fields")
	add := func(f problem.Field, ok bool) {
		if !ok {
			pe.Fields = append(pe.Fields, f)
		}
	}
	if c.Name != nil {
		next.Name = strings.TrimSpace(*c.Name)
		add(CheckUserName(next.Name))
	}
	roles := []string{u.Role}
	if c.Role != nil {
		roles = append(roles, *c.Role)
	}
	if err := MayGrant(actorRole, roles...); err != nil {
		return err
	}
	if c.Role != nil {
		next.Role = *c.Role
		add(CheckRole(next.Role))
	}
	if c.Language != nil {
		next.Language = *c.Language
		add(CheckLanguage(next.Language))
	}
	if c.Timezone != nil {
		next.Timezone = strings.TrimSpace(*c.Timezone)
		add(CheckTimezone("timezone", next.Timezone))
	}
	if c.Active != nil {
		next.Active = *c.Active
	}
	if c.AwayFrom.Set {
		next.AwayFrom = c.AwayFrom.T
	}
	if c.AwayUntil.Set {
		next.AwayUntil = c.AwayUntil.T
	}
	if next.AwayFrom != nil && next.AwayUntil != nil && !next.AwayUntil.After(*next.AwayFrom) {
		field := "away_until"
		if !c.AwayUntil.Set {
			field = "away_from"
		}
		pe.Fields = append(pe.Fields, problem.Field{Name: field, Reason: fmt.Sprintf("the absence must end after it starts (away_from %s, away_until %s)",
			next.AwayFrom.Format(time.RFC3339), next.AwayUntil.Format(time.RFC3339))})
	}
	if len(pe.Fields) > 0 {
		return pe
	}
	next.UpdatedAt = now
	*u = next
	return nil
}
