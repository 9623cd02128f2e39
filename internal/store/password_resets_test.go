package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestPasswordResetOnce: a link works once, not after it expires, and a
// newer link for the same user replaces the older one.
func TestPasswordResetOnce(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			u := &store.User{Name: "Ana", Email: "ana@example.com", Role: "rep", Language: "es", Active: true, CreatedAt: now, UpdatedAt: now}
			if err := db.InsertUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			if err := db.AddPasswordReset(ctx, u.ID, "old", now); err != nil {
				t.Fatal(err)
			}
			if err := db.AddPasswordReset(ctx, u.ID, "new", now); err != nil {
				t.Fatal(err)
			}
			if _, err := db.PasswordResetUser(ctx, "old", now); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the replaced link: %v, want not found", err)
			}
			if id, err := db.PasswordResetUser(ctx, "new", now.Add(time.Hour)); err != nil || id != u.ID {
				t.Fatalf("the new link: user %d, %v", id, err)
			}
			if _, err := db.PasswordResetUser(ctx, "new", now.Add(store.PasswordResetTTL)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("an expired link: %v, want not found", err)
			}
			if ok, err := db.UsePasswordReset(ctx, "new", now.Add(time.Hour)); !ok || err != nil {
				t.Fatalf("first use: %v %v", ok, err)
			}
			if ok, _ := db.UsePasswordReset(ctx, "new", now.Add(time.Hour)); ok {
				t.Error("a link worked twice")
			}
		})
	}
}
