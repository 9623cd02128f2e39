package play

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/pistahq/pista/internal/demo"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
)

// Staff creates the demo's salespeople and teams for the active
// definition's routing teams. People who exist (a second demo run) are
// reused; a team that exists is left as its owner set it up.
func Staff(ctx context.Context, svc *intake.Service, now time.Time) (people, teams int, err error) {
	act := svc.Active()
	if act == nil {
		return 0, 0, nil
	}
	db := svc.DB()
	for _, t := range demo.SalesOrg(slices.Collect(maps.Keys(act.Def.Routing.Teams))) {
		manager, err := EnsureUser(ctx, db, t.Manager, now)
		if err != nil {
			return people, teams, err
		}
		people++
		team := &store.Team{Name: t.Name, Label: act.Def.Routing.Teams[t.Name].Label, ManagerID: manager.ID}
		for _, s := range t.Reps {
			u, err := EnsureUser(ctx, db, s, now)
			if err != nil {
				return people, teams, err
			}
			people++
			team.Members = append(team.Members, store.Member{UserID: u.ID, Weight: s.Weight})
		}
		teams++
		if _, err := db.Team(ctx, t.Name); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return people, teams, err
		}
		if t.Calendar != nil {
			if team.Calendar, err = json.Marshal(t.Calendar); err != nil {
				return people, teams, err
			}
		}
		if err := db.PutTeam(ctx, team, now); err != nil {
			return people, teams, fmt.Errorf("demo team %s: %w", t.Name, err)
		}
	}
	return people, teams, nil
}

// Forms stores the demo's web forms (demo.Forms); a form that exists is
// left as its owner set it up.
func Forms(ctx context.Context, svc *intake.Service) error {
	for _, f := range demo.Forms() {
		if _, err := svc.Form(ctx, f.Name); err == nil {
			continue
		}
		if err := svc.PutForm(ctx, f); err != nil {
			return fmt.Errorf("demo form %s: %w", f.Name, err)
		}
	}
	return nil
}

// EnsureUser returns the user with the seller's e-mail, made if missing.
func EnsureUser(ctx context.Context, db *store.DB, s demo.Seller, now time.Time) (*store.User, error) {
	u, err := db.UserByEmail(ctx, s.Email)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return u, err
	}
	u = &store.User{Name: s.Name, Email: s.Email, Role: s.Role, Language: s.Language, Timezone: s.Timezone,
		Active: true, CreatedAt: now, UpdatedAt: now}
	if err := db.InsertUser(ctx, u); err != nil {
		return nil, fmt.Errorf("demo user %s: %w", s.Email, err)
	}
	return u, nil
}
