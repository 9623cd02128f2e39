package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// TestUserPasswords: a user created with --password-stdin signs in with
// it; reset-password prints a one-time link that sets a new password once;
// set-password replaces it and ends the user's sessions.
func TestUserPasswords(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	code, out, errs := runCLI(t, "first secret pw\n", "user", "create", "--name", "Rita Rep", "--email", "rita@example.com", "--role", "rep", "--password-stdin", "--db", db)
	if code != 0 || !strings.Contains(out, "rita@example.com\trep") {
		t.Fatalf("user create --password-stdin: %d %q %s", code, out, errs)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"short\n", []string{"user", "create", "--name", "X", "--email", "x@example.com", "--role", "rep", "--password-stdin"}, "--password-stdin: shorter than 10"},
		{"", []string{"user", "set-password", "--email", "rita@example.com"}, "--password-stdin"},
		{"", []string{"user", "reset-password"}, "--email: missing"},
		{"", []string{"user", "reset-password", "--email", "nobody@example.com"}, "no user nobody@example.com"},
	} {
		code, _, errs := runCLI(t, c.stdin, append(c.args, "--db", db)...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want an error naming %q", c.args, code, errs, c.want)
		}
	}
	if code, _, _ := runCLI(t, "", "user", "create", "--name", "X", "--email", "x@example.com", "--role", "rep", "--db", db); code != 0 {
		t.Errorf("the refused password left no user behind: create again exits %d", code)
	}

	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	auth := access.NewAuth(s, nil)
	signIn := func(pw string) bool {
		t.Helper()
		_, _, err := auth.SignIn(ctx, "rita@example.com", pw, "127.0.0.1", "test")
		if err != nil {
			if _, ok := problem.As(err); !ok {
				t.Fatal(err)
			}
		}
		return err == nil
	}
	if !signIn("first secret pw") {
		t.Fatal("cannot sign in with the password given to user create")
	}

	code, link, errs := runCLI(t, "", "user", "reset-password", "--email", "RITA@example.com", "--public-url", "https://pista.example.com/", "--db", db)
	link = strings.TrimSpace(link)
	if code != 0 || !strings.HasPrefix(link, "https://pista.example.com/login/reset/"+access.ResetPrefix) || !strings.Contains(errs, "72 hours") {
		t.Fatalf("reset-password: %d %q %s", code, link, errs)
	}
	secret := strings.TrimPrefix(link, "https://pista.example.com/login/reset/")
	if _, err := auth.ResetPassword(ctx, secret, "short"); err == nil {
		t.Error("a short password was accepted")
	}
	if _, err := auth.ResetPassword(ctx, secret, "second secret pw"); err != nil {
		t.Fatalf("the link (after a refused password): %v", err)
	}
	if _, err := auth.ResetPassword(ctx, secret, "third secret pw"); err == nil {
		t.Error("the link worked twice")
	}
	if signIn("first secret pw") || !signIn("second secret pw") {
		t.Error("after the reset the old password still works or the new one does not")
	}

	if code, out, errs := runCLI(t, "fourth secret pw\n", "user", "set-password", "--email", "rita@example.com", "--password-stdin", "--db", db); code != 0 || !strings.Contains(out, "password set") {
		t.Fatalf("set-password: %d %q %s", code, out, errs)
	}
	if !signIn("fourth secret pw") {
		t.Error("cannot sign in with the password from set-password")
	}
}
