package access

import (
	"context"
	"errors"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// ResetPrefix starts the secret of a one-time password link.
const ResetPrefix = "pwr_"

// NewPasswordLink makes a one-time secret that lets a user choose a new
// password (for the page /login/reset/{secret}); the user's earlier
// links stop working. Only its hash is stored.
func (a *Auth) NewPasswordLink(ctx context.Context, userID int64) (string, error) {
	secret := NewSecret(ResetPrefix)
	if err := a.db.AddPasswordReset(ctx, userID, HashToken(secret), a.now()); err != nil {
		return "", err
	}
	return secret, nil
}

// errLinkGone is a password link that is unknown, used, expired or for a
// deactivated user: all get the same answer.
func errLinkGone() error {
	return problem.Coded(problem.NotFound, "reset_link_gone", nil, "this password link is not valid any more: ask an admin for a new one")
}

// PasswordLinkUser is the active user a one-time link is for.
func (a *Auth) PasswordLinkUser(ctx context.Context, secret string) (*store.User, error) {
	id, err := a.db.PasswordResetUser(ctx, HashToken(secret), a.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, errLinkGone()
	}
	if err != nil {
		return nil, err
	}
	u, err := a.db.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, errLinkGone()
	}
	return u, nil
}

// ResetPassword spends a one-time link to set its user's password, ending
// their sessions. A refused password leaves the link usable.
func (a *Auth) ResetPassword(ctx context.Context, secret, password string) (*store.User, error) {
	u, err := a.PasswordLinkUser(ctx, secret)
	if err != nil {
		return nil, err
	}
	if f, ok := CheckPassword("password", password); !ok {
		return nil, problem.Fields("the password is not accepted", f)
	}
	if ok, err := a.db.UsePasswordReset(ctx, HashToken(secret), a.now()); err != nil {
		return nil, err
	} else if !ok {
		return nil, errLinkGone()
	}
	return u, a.SetPassword(ctx, u.ID, password, "")
}
