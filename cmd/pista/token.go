package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/store"
)

func cmdToken(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list" && args[0] != "revoke") {
		fmt.Fprintln(stderr, "usage: pista token create --name NAME --role ROLE [--user EMAIL] | list | revoke ID   [--db ...]")
		return exitError{2}
	}
	if args[0] != "create" {
		return cmdTokenAdmin(ctx, args, stdout, stderr, getenv)
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	name := fs.String("name", "", "who or what uses the token")
	role := fs.String("role", "", "admin, marketing, manager, bdr, rep or integration (default with --user: the user's role)")
	userEmail := fs.String("user", "", "e-mail of the user the token acts as (see pista user create)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError{2}
	}
	if *name == "" || (*role == "" && *userEmail == "") || (*role != "" && !roleKnown(*role)) {
		fmt.Fprintf(stderr, "--name is required and --role must be one of %v\n", access.Roles)
		return exitError{2}
	}
	existed := isPostgres(cfg.db) || sqliteExists(cfg.db)
	db, err := openDB(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	var userID int64
	if *userEmail != "" {
		u, err := userByEmail(ctx, db, *userEmail)
		if err != nil {
			return err
		}
		if *role == "" {
			*role = u.Role
		}
		userID = u.ID
	}
	b := make([]byte, 24)
	rand.Read(b)
	token := "pst_" + hex.EncodeToString(b)
	if _, err := db.InsertUserToken(ctx, *name, *role, access.HashToken(token), userID, time.Now()); err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	fmt.Fprintf(stderr, "Token %q (%s) written to the database %s", *name, *role, dbName(cfg.db))
	if !existed {
		fmt.Fprint(stderr, ", created now: it did not exist. A server with another --db (or PISTA_DB) will not know this token")
	}
	fmt.Fprintln(stderr, ".")
	fmt.Fprintln(stderr, "Keep it safe: Pista stores only its hash. Use it as `Authorization: Bearer <token>`.")
	return nil
}

// cmdTokenAdmin lists or revokes tokens.
func cmdTokenAdmin(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("token "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	cfg.dbFlags(fs, getenv)
	rest := args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		rest = append(rest[1:], rest[0]) // "revoke ID --db x": flags may follow the ID
	}
	if err := fs.Parse(rest); err != nil {
		return exitError{2}
	}
	db, err := openDB(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "list" {
		toks, err := db.Tokens(ctx)
		if err != nil {
			return err
		}
		for _, t := range toks {
			state := "active"
			if t.RevokedAt != nil {
				state = "revoked " + t.RevokedAt.Format(time.RFC3339)
			}
			user := "-"
			if t.UserEmail != "" {
				user = "user " + t.UserEmail
			}
			fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\tcreated %s\t%s\n", t.ID, t.Name, t.Role, user, t.CreatedAt.Format(time.RFC3339), state)
		}
		return nil
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: pista token revoke ID (see pista token list)")
		return exitError{2}
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return fmt.Errorf("token revoke: %q is not a token ID (see pista token list)", fs.Arg(0))
	}
	if err := db.RevokeToken(ctx, id, time.Now()); errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("token %d does not exist or was already revoked", id)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Token %d revoked; servers stop accepting it at once.\n", id)
	return nil
}

func roleKnown(r string) bool {
	for _, x := range access.Roles {
		if x == r {
			return true
		}
	}
	return false
}
