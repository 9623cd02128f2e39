package access

import (
	"context"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// Session lengths: a session ends after IdleTimeout without use, and in
// any case AbsoluteTimeout after sign-in.
const (
	IdleTimeout     = 12 * time.Hour
	AbsoluteTimeout = 7 * 24 * time.Hour
	// touchEvery bounds the writes that keep a session alive.
	touchEvery = time.Minute
)

// ErrNoSession is a cookie that names no live session.
var ErrNoSession = errors.New("access: no session")

// Session is a signed-in user.
type Session struct {
	store.Session
	User *store.User
}

// Auth signs people in and out and finds their sessions.
type Auth struct {
	db      *store.DB
	now     func() time.Time
	limiter *Limiter
	// dummy is checked when the account does not exist, so that a
	// sign-in takes as long for an unknown e-mail as for a wrong password.
	dummy string
}

// NewAuth returns the sign-in service.
func NewAuth(db *store.DB, now func() time.Time) *Auth {
	if now == nil {
		now = time.Now
	}
	return &Auth{db: db, now: now, limiter: NewStoredLimiter(db), dummy: HashPassword("pista-no-such-user")}
}

// SignIn checks an e-mail and password and starts a session, returning it
// and the secret for the cookie. A wrong e-mail and a wrong password get
// the same answer; too many failures get a TooMany error that says when
// to try again (its Args[0] in minutes; the page sends Retry-After).
func (a *Auth) SignIn(ctx context.Context, email, password, ip, userAgent string) (*Session, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	now := a.now()
	wait, err := a.limiter.Wait(ctx, email, ip, now)
	if err != nil {
		return nil, "", err
	}
	if wait > 0 {
		mins := int(math.Ceil(wait.Minutes()))
		return nil, "", problem.Coded(problem.TooMany, "signin_throttled", []any{mins}, "too many failed sign-ins; try again in %d min", mins)
	}
	fail := func() (*Session, string, error) {
		if err := a.limiter.Fail(ctx, email, ip, now); err != nil {
			return nil, "", err
		}
		return nil, "", problem.Coded(problem.Unauthorized, "signin_failed", nil, "the e-mail or the password is not right")
	}
	u, err := a.db.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		_, _ = PasswordMatches(a.dummy, password)
		return fail()
	}
	if err != nil {
		return nil, "", err
	}
	hash, err := a.db.PasswordHash(ctx, u.ID)
	if err != nil {
		return nil, "", err
	}
	ok, err := PasswordMatches(hash, password)
	if err != nil {
		return nil, "", err
	}
	if !ok || !u.Active {
		return fail()
	}
	if err := a.limiter.Succeed(ctx, email, ip); err != nil {
		return nil, "", err
	}
	secret := NewSecret("")
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	s := &Session{Session: store.Session{IDHash: HashToken(secret), UserID: u.ID, CSRF: NewSecret(""), CreatedAt: now, SeenAt: now, IP: ip, UserAgent: userAgent}, User: u}
	if err := a.db.InsertSession(ctx, &s.Session); err != nil {
		return nil, "", err
	}
	return s, secret, nil
}

// Session finds the live session a cookie's secret names. Expired
// sessions and those of deactivated users end here, at once.
func (a *Auth) Session(ctx context.Context, secret string) (*Session, error) {
	if secret == "" {
		return nil, ErrNoSession
	}
	hash := HashToken(secret)
	s, u, err := a.db.SessionByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	now := a.now()
	if !u.Active || now.Sub(s.SeenAt) > IdleTimeout || now.Sub(s.CreatedAt) > AbsoluteTimeout {
		if err := a.db.DeleteSession(ctx, hash); err != nil {
			return nil, err
		}
		return nil, ErrNoSession
	}
	if now.Sub(s.SeenAt) > touchEvery {
		if err := a.db.TouchSession(ctx, hash, now); err != nil {
			return nil, err
		}
		s.SeenAt = now
	}
	return &Session{Session: *s, User: u}, nil
}

// SignOut ends a session.
func (a *Auth) SignOut(ctx context.Context, s *Session) error {
	return a.db.DeleteSession(ctx, s.IDHash)
}

// SetPassword gives a user a new password and ends their other sessions
// (keep, which may be "", stays: the browser that changed it).
func (a *Auth) SetPassword(ctx context.Context, userID int64, password, keep string) error {
	if f, ok := CheckPassword("password", password); !ok {
		return problem.Fields("the password is not accepted", f)
	}
	if err := a.db.SetPasswordHash(ctx, userID, HashPassword(password), a.now()); err != nil {
		return err
	}
	return a.db.DeleteUserSessions(ctx, userID, keep)
}

// ChangePassword is a signed-in user changing their own password: the
// current one is asked again, so an unattended browser cannot.
func (a *Auth) ChangePassword(ctx context.Context, s *Session, current, next string) error {
	hash, err := a.db.PasswordHash(ctx, s.UserID)
	if err != nil {
		return err
	}
	ok, err := PasswordMatches(hash, current)
	if err != nil {
		return err
	}
	if !ok {
		return &problem.Error{Kind: problem.Invalid, Detail: "the current password is not right",
			Fields: []problem.Field{{Name: "current", Reason: "not the current password", Code: "password_wrong"}}}
	}
	if f, ok := CheckPassword("password", next); !ok {
		return problem.Fields("the new password is not accepted", f)
	}
	return a.SetPassword(ctx, s.UserID, next, s.IDHash)
}

// EndSessions ends every session of a user (deactivation, removal).
func (a *Auth) EndSessions(ctx context.Context, userID int64) error {
	return a.db.DeleteUserSessions(ctx, userID, "")
}
