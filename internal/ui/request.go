package ui

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// Cookie names.
const (
	sessionCookie = "pista_session"
	loginCSRF     = "pista_login_csrf"
	formLimit     = 64 << 10
	// definitionFormLimit bounds the definition editor's form: the largest
	// definition (definition.MaxFileSize) as a form encodes it, where an
	// accented letter or a line break takes three times its bytes.
	definitionFormLimit = 3*definition.MaxFileSize + formLimit
	// uploadLimit bounds a multipart form (a spreadsheet to import).
	uploadLimit = 64 << 20
)

// request is what a handler knows about who asks and in which language.
type request struct {
	Session *access.Session // nil on public pages
	User    *store.User
	P       *i18n.Printer
	Loc     *time.Location
}

// handler is a page or an action. It returns an error instead of writing
// one; serve renders it as the error page of its kind.
type handler func(w http.ResponseWriter, r *http.Request, rq *request) error

// headers are sent with every page: no inline scripts or styles, no
// framing, no sniffing, no referrer to other sites.
func headers(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
}

// public serves a page that needs no session (sign-in).
func (u *UI) public(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers(w)
		rq := &request{Loc: time.UTC}
		if c, err := r.Cookie(sessionCookie); err == nil {
			if s, err := u.auth.Session(r.Context(), c.Value); err == nil {
				rq.Session, rq.User = s, s.User
			}
		}
		lang := ""
		if rq.User != nil {
			lang = rq.User.Language
		}
		if l := r.URL.Query().Get("lang"); l != "" {
			lang = l
		}
		rq.P = u.cat.Printer(u.cat.Match(lang, r.Header.Get("Accept-Language")))
		u.finish(w, r, rq, h(w, r, rq))
	})
}

// app serves a page of the app: it needs a session (else to /login and
// back), a role with the permission, and on POST the session's CSRF token.
func (u *UI) app(perm access.Permission, h handler) http.Handler {
	return u.appSized(perm, formLimit, h)
}

// appSized is app for a form that may be larger than formLimit bytes.
func (u *UI) appSized(perm access.Permission, limit int64, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers(w)
		rq := &request{Loc: time.UTC}
		var s *access.Session
		c, err := r.Cookie(sessionCookie)
		if err == nil {
			s, err = u.auth.Session(r.Context(), c.Value)
		}
		if err != nil && !errors.Is(err, access.ErrNoSession) && !errors.Is(err, http.ErrNoCookie) {
			rq.P = u.cat.Printer(u.cat.Match("", r.Header.Get("Accept-Language")))
			u.finish(w, r, rq, err)
			return
		}
		if s == nil {
			next := ""
			if r.Method == http.MethodGet {
				next = "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, "/login"+next, http.StatusSeeOther)
			return
		}
		rq.Session, rq.User = s, s.User
		rq.P = u.cat.Printer(u.cat.Match(s.User.Language, r.Header.Get("Accept-Language")))
		if loc, err := time.LoadLocation(s.User.Timezone); err == nil && s.User.Timezone != "" {
			rq.Loc = loc
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
			if multipart {
				limit = uploadLimit
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			// A form over the limit is said to be so, not taken for one
			// without its CSRF token.
			if err := parseForm(r, multipart); err != nil {
				u.finish(w, r, rq, formError(err, limit, rq))
				return
			}
			if !sameToken(r.PostFormValue("csrf"), s.CSRF) {
				u.finish(w, r, rq, errCSRF)
				return
			}
		}
		if !access.Allows(s.User.Role, perm) {
			u.finish(w, r, rq, problem.Coded(problem.Forbidden, "role_forbidden", []any{rq.P.Maybe("role."+s.User.Role, s.User.Role)},
				"role %s may not open %s", s.User.Role, r.URL.Path))
			return
		}
		u.finish(w, r, rq, h(w, r, rq))
	})
}

// parseForm reads a posted form (multipart forms' files go to disk past
// 32 MiB in memory, as Request.FormValue would).
func parseForm(r *http.Request, multipart bool) error {
	if multipart {
		return r.ParseMultipartForm(32 << 20)
	}
	return r.ParseForm()
}

// formError says what was wrong with a form that could not be read.
func formError(err error, limit int64, rq *request) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		size := rq.P.Bytes(limit)
		return problem.Coded(problem.TooLarge, "form_too_large", []any{size}, "the form is over the limit of %d bytes", limit)
	}
	return problem.Coded(problem.Invalid, "form_unreadable", nil, "the form could not be read: %v", err)
}

// errCSRF is a form without the session's token: another site's, or an
// old page's.
var errCSRF = problem.Coded(problem.Forbidden, "csrf", nil, "the form has no valid CSRF token")

func sameToken(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// finish renders a handler's error, if any, as the page of its kind.
func (u *UI) finish(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	if err == nil {
		return
	}
	u.errorPage(w, r, rq, err)
}

// safeNext is where to go after sign-in: a path of the app, never another
// site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/app/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/app/"
	}
	return next
}

// setCookie sets a cookie for the whole site, Secure when the request
// came over TLS (directly or through a trusted proxy that says so).
func (u *UI) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: u.scheme(r) == "https"})
}
