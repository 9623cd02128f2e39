package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/access"

	"github.com/pistahq/pista/internal/store"
)

func TestUserAndTokenForUser(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	code, out, errs := runCLI(t, "", "user", "create", "--name", "Ana Restrepo", "--email", " Ana@Instrumentos.example ", "--role", "manager", "--timezone", "America/Bogota", "--db", db)
	if code != 0 || !strings.Contains(out, "ana@instrumentos.example\tmanager") {
		t.Fatalf("user create: %d %q %s", code, out, errs)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", "X", "--email", "nope", "--role", "rep"}, "--email"},
		{[]string{"--name", "X", "--email", "x@instrumentos.example", "--role", "boss"}, "--role"},
		{[]string{"--email", "x@instrumentos.example", "--role", "rep", "--timezone", "Mars/Olympus"}, "--timezone"},
	} {
		code, _, errs := runCLI(t, "", append(append([]string{"user", "create"}, c.args...), "--db", db)...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", c.args, code, errs, c.want)
		}
	}
	if code, _, errs := runCLI(t, "", "user", "create", "--name", "Ana", "--email", "ana@instrumentos.example", "--role", "rep", "--db", db); code != 1 || !strings.Contains(errs, "already") {
		t.Errorf("duplicate e-mail: %d %s", code, errs)
	}

	// A token for an unknown user is refused; one for Ana acts as her,
	// with her role unless another is given.
	if code, _, errs := runCLI(t, "", "token", "create", "--name", "x", "--user", "nobody@instrumentos.example", "--db", db); code != 1 || !strings.Contains(errs, "no user") {
		t.Errorf("unknown user: %d %s", code, errs)
	}
	code, tok, errs := runCLI(t, "", "token", "create", "--name", "ana-laptop", "--user", "ANA@instrumentos.example", "--db", db)
	if code != 0 || !strings.HasPrefix(tok, "pst_") {
		t.Fatalf("token create --user: %d %q %s", code, tok, errs)
	}
	code, out, _ = runCLI(t, "", "token", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "ana-laptop\tmanager\tuser ana@instrumentos.example") {
		t.Errorf("list: %d %q", code, out)
	}

	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.TokenByHash(ctx, access.HashToken(strings.TrimSpace(tok)))
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.User(ctx, got.UserID)
	if err != nil || u.Email != "ana@instrumentos.example" || got.Role != "manager" {
		t.Errorf("token %+v acts as %+v (%v)", got, u, err)
	}
	// Deactivating the user stops the token.
	u.Active = false
	if err := s.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenByHash(ctx, access.HashToken(strings.TrimSpace(tok))); err != store.ErrNotFound {
		t.Errorf("token of a deactivated user: %v, want ErrNotFound", err)
	}
}

// TestOnlyServerTakesServerFlags: the commands that are not the server
// refuse the server's flags by name, and take --db.
func TestOnlyServerTakesServerFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	for _, c := range []struct {
		flag string
		args []string
	}{
		{"addr", []string{"migrate", "--addr", "127.0.0.1:0"}},
		{"max-batch", []string{"token", "list", "--max-batch", "5"}},
		{"form-key", []string{"user", "create", "--name", "X", "--email", "x@instrumentos.example", "--role", "rep", "--form-key", "k"}},
		{"trusted-proxies", []string{"import", "--trusted-proxies", "10.0.0.0/8", "leads.csv"}},
		{"debug-addr", []string{"demo", "--debug-addr", "127.0.0.1:0"}},
	} {
		code, _, errs := runCLI(t, "", append(c.args, "--db", db)...)
		if code != 2 || !strings.Contains(errs, "flag provided but not defined: -"+c.flag) {
			t.Errorf("%v: exit %d, %q; want 2 naming -%s", c.args, code, errs, c.flag)
		}
	}
	if code, out, errs := runCLI(t, "", "migrate", "--db", db); code != 0 {
		t.Errorf("migrate --db: exit %d, %s %s", code, out, errs)
	}
}
