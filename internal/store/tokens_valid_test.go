package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// ValidTokens, read in the transaction that stores a request, finds what
// TokenByHash finds: not a revoked token, nor a deactivated user's, nor
// one that does not exist.
func TestValidTokens(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
			u := &store.User{Name: "Rita", Email: "rita@acme.example", Role: "rep", Language: "es", Active: true, CreatedAt: now, UpdatedAt: now}
			if err := db.InsertUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			insert := func(name string, user int64) int64 {
				t.Helper()
				var id int64
				var err error
				if user != 0 {
					id, err = db.InsertUserToken(ctx, name, "integration", "hash-"+name, user, now)
				} else {
					id, err = db.InsertToken(ctx, name, "integration", "hash-"+name, now)
				}
				if err != nil {
					t.Fatal(err)
				}
				return id
			}
			works, revoked, users := insert("works", 0), insert("revoked", 0), insert("users", u.ID)
			if err := db.RevokeToken(ctx, revoked, now); err != nil {
				t.Fatal(err)
			}
			check := func(want map[int64]bool) {
				t.Helper()
				var got map[int64]bool
				err := db.InTx(ctx, func(tx *store.Tx) error {
					var err error
					got, err = tx.ValidTokens(ctx, []int64{works, revoked, users, 9999})
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Errorf("valid %v, want %v", got, want)
				}
				for id := range want {
					if !got[id] {
						t.Errorf("valid %v, want %v", got, want)
					}
				}
			}
			check(map[int64]bool{works: true, users: true})
			u.Active = false
			if err := db.UpdateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			check(map[int64]bool{works: true})
		})
	}
}

// EnsureCompanies creates a company named with no token or with one that
// works, never one named only with a revoked token.
func TestEnsureCompaniesOnlyForWorkingTokens(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
			works, err := db.InsertToken(ctx, "works", "integration", "hash-works", now)
			if err != nil {
				t.Fatal(err)
			}
			revoked, err := db.InsertToken(ctx, "revoked", "integration", "hash-revoked", now)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.RevokeToken(ctx, revoked, now); err != nil {
				t.Fatal(err)
			}
			domains := []string{"none.example", "works.example", "revoked.example"}
			err = db.EnsureCompanies(ctx, domains, []string{"None", "Works", "Revoked"}, []int64{0, works, revoked}, now)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := db.CountCompanies(ctx); err != nil || n != 2 {
				t.Errorf("%d companies (%v), want 2: none.example and works.example", n, err)
			}
		})
	}
}
