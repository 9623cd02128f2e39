package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/quality"
	"github.com/pistahq/pista/internal/store"
)

// cmdUser adds users from the command line, so that the first admin (and
// the tokens acting as people) can exist before anyone calls the API.
func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) > 0 && (args[0] == "reset-password" || args[0] == "set-password") {
		return cmdUserPassword(ctx, args, stdin, stdout, stderr, getenv)
	}
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: pista user create --name NAME --email EMAIL --role ROLE [--language es|pt|en] [--timezone TZ] [--password-stdin] [--db ...]")
		fmt.Fprintln(stderr, "       pista user reset-password --email EMAIL [--public-url URL] [--db ...]")
		fmt.Fprintln(stderr, "       pista user set-password --email EMAIL --password-stdin [--db ...]")
		return exitError{2}
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	name := fs.String("name", "", "the person's name")
	email := fs.String("email", "", "their e-mail (how the API and tokens name them)")
	role := fs.String("role", "", strings.Join(access.UserRoles, ", "))
	language := fs.String("language", "es", strings.Join(access.Languages, ", "))
	timezone := fs.String("timezone", "", "IANA time zone, e.g. America/Bogota")
	pwStdin := fs.Bool("password-stdin", false, "read their password from the first line of standard input (to sign in to the web app)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError{2}
	}
	hash := ""
	if *pwStdin {
		var err error
		if hash, err = readPassword(stdin); err != nil {
			fmt.Fprintln(stderr, err)
			return exitError{2}
		}
	}
	u, err := access.NewUser(*name, *email, *role, *language, *timezone, time.Now())
	if err != nil {
		if pe, ok := problem.As(err); ok {
			for _, f := range pe.Fields {
				fmt.Fprintf(stderr, "--%s: %s\n", f.Name, f.Reason)
			}
			return exitError{2}
		}
		return err
	}
	db, err := openDB(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.InsertUser(ctx, u); store.IsConflict(err) {
		return fmt.Errorf("there is already a user with e-mail %s", u.Email)
	} else if err != nil {
		return err
	}
	if hash != "" {
		if err := db.SetPasswordHash(ctx, u.ID, hash, u.CreatedAt); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\n", u.ID, u.Name, u.Email, u.Role)
	return nil
}

// userByEmail finds an active user for pista token create --user.
func userByEmail(ctx context.Context, db *store.DB, email string) (*store.User, error) {
	norm, err := quality.NormalizeEmail(email)
	if err != nil {
		return nil, fmt.Errorf("--user: %v", err)
	}
	u, err := db.UserByEmail(ctx, strings.ToLower(norm))
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("--user: there is no user %s (add one with pista user create)", norm)
	}
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, fmt.Errorf("--user: %s is deactivated; a token for them would not work", u.Email)
	}
	return u, nil
}
