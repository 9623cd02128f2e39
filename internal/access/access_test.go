package access_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store/storetest"
)

func TestPasswordHash(t *testing.T) {
	h := access.HashPassword("correct horse battery")
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		got, err := access.PasswordMatches(h, pw)
		if err != nil || got != want {
			t.Errorf("PasswordMatches(%q) = %v, %v; want %v", pw, got, err, want)
		}
	}
	if h2 := access.HashPassword("correct horse battery"); h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	if ok, _ := access.PasswordMatches("", "x"); ok {
		t.Error("a user without a password signed in")
	}
	if _, err := access.PasswordMatches("$bcrypt$junk", "x"); err == nil {
		t.Error("an unreadable hash gave no error")
	}
}

// The sign-in limits, in memory and in each database. Stored, they hold
// across servers: failures counted by one limiter slow down another on
// the same database (a second instance).
func TestLimiterNeverLocksForGood(t *testing.T) {
	type pair struct{ first, second *access.Limiter }
	limiters := map[string]func(t *testing.T) pair{
		"memory": func(*testing.T) pair { l := access.NewLimiter(); return pair{l, l} },
	}
	for _, target := range storetest.Targets() {
		limiters[target.Name] = func(t *testing.T) pair {
			db := target.Open(t)
			return pair{access.NewStoredLimiter(db), access.NewStoredLimiter(db)}
		}
	}
	for name, mk := range limiters {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			ls := mk(t)
			l, other := ls.first, ls.second
			wait := func(l *access.Limiter, account, ip string, at time.Time) time.Duration {
				t.Helper()
				w, err := l.Wait(ctx, account, ip, at)
				if err != nil {
					t.Fatal(err)
				}
				return w
			}
			fail := func(account, ip string, at time.Time) {
				t.Helper()
				if err := l.Fail(ctx, account, ip, at); err != nil {
					t.Fatal(err)
				}
			}
			now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
			for i := range 5 {
				if w := wait(l, "ana@x.co", "10.0.0.1", now); w != 0 {
					t.Fatalf("try %d waits %v", i, w)
				}
				fail("ana@x.co", "10.0.0.1", now)
			}
			for _, lim := range []*access.Limiter{l, other} {
				if w := wait(lim, "ana@x.co", "10.0.0.1", now); w != 15*time.Minute {
					t.Errorf("after 5 failures the wait is %v, want 15m (on either server)", w)
				}
			}
			if w := wait(l, "ana@x.co", "10.0.0.2", now); w != 0 {
				t.Errorf("the real user at another address waits %v: the attacker locked them out", w)
			}
			if w := wait(other, "ana@x.co", "10.0.0.1", now.Add(15*time.Minute+time.Second)); w != 0 {
				t.Errorf("after the window the wait is still %v", w)
			}
			// A success forgets the failures from that address.
			if err := other.Succeed(ctx, "ana@x.co", "10.0.0.1"); err != nil {
				t.Fatal(err)
			}
			if w := wait(l, "ana@x.co", "10.0.0.1", now); w != 0 {
				t.Errorf("after a success the wait is %v", w)
			}
			// Many addresses against one account: at most an hour.
			for i := range 100 {
				fail("bo@x.co", "10.1.0."+string(rune('a'+i%26))+string(rune('a'+i/26)), now)
			}
			if w := wait(other, "bo@x.co", "192.168.1.1", now); w <= 0 || w > time.Hour {
				t.Errorf("a distributed attack: wait %v, want (0, 1h]", w)
			}
		})
	}
}

func TestSessions(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
			clock := func() time.Time { return now }
			auth := access.NewAuth(db, clock)
			u, err := access.NewUser("Rita Rep", "rita@example.com", access.Rep, "es", "", now)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.InsertUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			if _, _, err := auth.SignIn(ctx, "rita@example.com", "whatever-long", "1.2.3.4", "test"); err == nil {
				t.Fatal("a user without a password signed in")
			}
			if err := auth.SetPassword(ctx, u.ID, "short", ""); err == nil {
				t.Fatal("a 5-character password was accepted")
			}
			if err := auth.SetPassword(ctx, u.ID, "rita-secret-1", ""); err != nil {
				t.Fatal(err)
			}
			_, _, err = auth.SignIn(ctx, "rita@example.com", "rita-secret-2", "1.2.3.4", "test")
			if pe, ok := problem.As(err); !ok || pe.Code != "signin_failed" {
				t.Fatalf("wrong password: %v", err)
			}
			s, secret, err := auth.SignIn(ctx, " Rita@Example.com ", "rita-secret-1", "1.2.3.4", "test")
			if err != nil {
				t.Fatal(err)
			}
			if s.User.ID != u.ID || s.CSRF == "" || secret == "" {
				t.Fatalf("session %+v", s)
			}
			if got, err := auth.Session(ctx, secret); err != nil || got.User.Email != "rita@example.com" {
				t.Fatalf("Session: %v %v", got, err)
			}
			// Idle expiry.
			now = now.Add(access.IdleTimeout + time.Minute)
			if _, err := auth.Session(ctx, secret); !errors.Is(err, access.ErrNoSession) {
				t.Fatalf("idle session: %v", err)
			}
			// Absolute expiry, even when used every hour.
			_, secret, _ = auth.SignIn(ctx, "rita@example.com", "rita-secret-1", "1.2.3.4", "test")
			for range 7*24 + 1 {
				now = now.Add(time.Hour)
				if _, err := auth.Session(ctx, secret); err != nil {
					break
				}
			}
			if _, err := auth.Session(ctx, secret); !errors.Is(err, access.ErrNoSession) {
				t.Fatalf("a week-old session lives: %v", err)
			}
			// Sign-out, and deactivation ending a session at once.
			s, secret, _ = auth.SignIn(ctx, "rita@example.com", "rita-secret-1", "1.2.3.4", "test")
			if err := auth.SignOut(ctx, s); err != nil {
				t.Fatal(err)
			}
			if _, err := auth.Session(ctx, secret); !errors.Is(err, access.ErrNoSession) {
				t.Fatalf("signed-out session: %v", err)
			}
			_, secret, _ = auth.SignIn(ctx, "rita@example.com", "rita-secret-1", "1.2.3.4", "test")
			u.Active = false
			if err := db.UpdateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			if _, err := auth.Session(ctx, secret); !errors.Is(err, access.ErrNoSession) {
				t.Fatalf("a deactivated user's session: %v", err)
			}
			if _, _, err := auth.SignIn(ctx, "rita@example.com", "rita-secret-1", "1.2.3.4", "test"); err == nil {
				t.Fatal("a deactivated user signed in")
			}
		})
	}
}
