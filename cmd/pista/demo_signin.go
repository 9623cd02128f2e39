package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/demo"
	"github.com/pistahq/pista/internal/demo/play"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
)

// demoSignIns gives four demo people passwords so that a newcomer can sign
// in to the web app with each role: a rep and the manager of the largest
// sales team, and a marketing and an admin user made for the purpose. The
// passwords are random, printed here once and stored only as hashes; a
// person who already has one (a second demo run) keeps it.
func demoSignIns(ctx context.Context, db *store.DB, svc *intake.Service, addr string, now time.Time, w io.Writer) error {
	act := svc.Active()
	if act == nil {
		return nil
	}
	var people []demo.Seller
	if org := demo.SalesOrg(slices.Collect(maps.Keys(act.Def.Routing.Teams))); len(org) > 0 {
		// The busiest team's first rep, whose queue is fullest.
		big := org[0]
		for _, t := range org[1:] {
			if len(t.Reps) > len(big.Reps) {
				big = t
			}
		}
		people = append(people, big.Reps[0], big.Manager)
	}
	people = append(people,
		demo.Seller{Name: "Marta Marketing", Email: "marketing@" + demo.SalesDomain, Role: "marketing", Language: "es", Timezone: "America/Bogota"},
		demo.Seller{Name: "Ada Admin", Email: "admin@" + demo.SalesDomain, Role: "admin", Language: "en", Timezone: "America/New_York"})
	fmt.Fprintf(w, "Sign in to the web app (http://%s/login after pista serve) as:\n", addr)
	for _, p := range people {
		u, err := play.EnsureUser(ctx, db, p, now)
		if err != nil {
			return err
		}
		hash, err := db.PasswordHash(ctx, u.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		pw := "(unchanged; a new one: pista user reset-password --email " + u.Email + ")"
		if hash == "" {
			pw = demoPassword()
			if err := db.SetPasswordHash(ctx, u.ID, access.HashPassword(pw), now); err != nil {
				return err
			}
		}
		fmt.Fprintf(w, "  %-10s %-42s %s\n", u.Role, u.Email, pw)
	}
	fmt.Fprintln(w, "These passwords are shown only now.")
	return nil
}

// demoPassword is 12 random letters and digits, without look-alikes.
func demoPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 12)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
