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
			// Read alone, and with a group's locks (LockGroup, waiting for
			// them or not), which on PostgreSQL sends both at once.
			reads := map[string]func(tx *store.Tx, ids []int64) (map[int64]bool, error){
				"ValidTokens": func(tx *store.Tx, ids []int64) (map[int64]bool, error) { return tx.ValidTokens(ctx, ids) },
				"LockGroup": func(tx *store.Tx, ids []int64) (map[int64]bool, error) {
					_, valid, err := tx.LockGroup(ctx, []string{"email:ana@acme.example"}, ids, false)
					return valid, err
				},
				"LockGroup waiting": func(tx *store.Tx, ids []int64) (map[int64]bool, error) {
					_, valid, err := tx.LockGroup(ctx, []string{"email:ana@acme.example"}, ids, true)
					return valid, err
				},
			}
			check := func(want map[int64]bool) {
				t.Helper()
				for name, read := range reads {
					var got map[int64]bool
					err := db.InTx(ctx, func(tx *store.Tx) error {
						var err error
						got, err = read(tx, []int64{works, revoked, users, 9999})
						return err
					})
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if len(got) != len(want) {
						t.Errorf("%s: valid %v, want %v", name, got, want)
					}
					for id := range want {
						if !got[id] {
							t.Errorf("%s: valid %v, want %v", name, got, want)
						}
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

// LockGroup without waiting reports the names another transaction holds
// and takes the others, which a third transaction then finds busy; on
// SQLite, one writer at a time, nothing is ever busy.
func TestLockGroupBusy(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			if db.Dialect() != store.Postgres {
				err := db.InTx(ctx, func(tx *store.Tx) error {
					busy, valid, err := tx.LockGroup(ctx, []string{"email:a@x.example"}, nil, false)
					if len(busy) != 0 || valid != nil {
						t.Errorf("busy %v, valid %v on SQLite, want none", busy, valid)
					}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			held := make(chan struct{})
			release := make(chan struct{})
			done := make(chan error, 1)
			go func() {
				done <- db.InTx(ctx, func(tx *store.Tx) error {
					if err := tx.LockIdentities(ctx, []string{"email:a@x.example"}); err != nil {
						return err
					}
					close(held)
					<-release
					return nil
				})
			}()
			<-held
			err := db.InTx(ctx, func(tx *store.Tx) error {
				busy, _, err := tx.LockGroup(ctx, []string{"email:a@x.example", "email:b@x.example"}, nil, false)
				if err != nil {
					return err
				}
				if len(busy) != 1 || !busy["email:a@x.example"] {
					t.Errorf("busy %v, want email:a@x.example alone", busy)
				}
				// b is this transaction's now.
				return db.InTx(ctx, func(other *store.Tx) error {
					busy, _, err := other.LockGroup(ctx, []string{"email:b@x.example", "email:c@x.example"}, nil, false)
					if len(busy) != 1 || !busy["email:b@x.example"] {
						t.Errorf("another transaction: busy %v, want email:b@x.example alone", busy)
					}
					return err
				})
			})
			close(release)
			if err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		})
	}
}
