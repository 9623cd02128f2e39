package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/store"
)

// cmdUserPassword gives an existing user a password: set-password reads
// it from standard input; reset-password prints a one-time link where the
// user chooses it themselves, so that nobody else ever knows it.
func cmdUserPassword(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	email := fs.String("email", "", "the user's e-mail")
	public := fs.String("public-url", getenv("PISTA_PUBLIC_URL"), "the app's address as users reach it, e.g. https://pista.example.com (PISTA_PUBLIC_URL); default: http://"+defaultAddr)
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (set-password)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError{2}
	}
	if *email == "" {
		fmt.Fprintf(stderr, "--email: missing: whose password to %s\n", strings.TrimSuffix(args[0], "-password"))
		return exitError{2}
	}
	hash := ""
	if args[0] == "set-password" {
		if !*pwStdin {
			fmt.Fprintln(stderr, "--password-stdin: set-password reads the password from standard input; to let the user choose it, use pista user reset-password")
			return exitError{2}
		}
		var err error
		if hash, err = readPassword(stdin); err != nil {
			fmt.Fprintln(stderr, err)
			return exitError{2}
		}
	}
	db, err := openDB(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(*email)))
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("--email: there is no user %s (add one with pista user create)", *email)
	}
	if err != nil {
		return err
	}
	auth := access.NewAuth(db, nil)
	if hash != "" {
		if err := db.SetPasswordHash(ctx, u.ID, hash, time.Now()); err != nil {
			return err
		}
		if err := auth.EndSessions(ctx, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password set for %s; their sessions have ended\n", u.Email)
		return nil
	}
	if !u.Active {
		return fmt.Errorf("--email: %s is deactivated; reactivate them before they can sign in", u.Email)
	}
	secret, err := auth.NewPasswordLink(ctx, u.ID)
	if err != nil {
		return err
	}
	base := *public
	if base == "" {
		base = "http://" + defaultAddr
	}
	fmt.Fprintf(stdout, "%s/login/reset/%s\n", strings.TrimRight(base, "/"), secret)
	fmt.Fprintf(stderr, "Give this link to %s only: it sets their password once, within %d hours; earlier links stop working.\n",
		u.Email, int(store.PasswordResetTTL.Hours()))
	return nil
}

// readPassword reads a password from the first line of r and returns its
// hash, or says why it is not accepted.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("--password-stdin: %v", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if f, ok := access.CheckPassword("password-stdin", pw); !ok {
		return "", fmt.Errorf("--%s: %s", f.Name, f.Reason)
	}
	return access.HashPassword(pw), nil
}
