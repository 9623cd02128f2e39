package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/ui/view"
)

// loginPage shows the sign-in form. Before there is a session the CSRF
// token is a random value in a cookie and in the form (double submit).
func (u *UI) loginPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.User != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	return u.renderLogin(w, r, rq, http.StatusOK, "", nil)
}

func (u *UI) renderLogin(w http.ResponseWriter, r *http.Request, rq *request, status int, email string, err error) error {
	token := access.NewSecret("")
	u.setCookie(w, r, loginCSRF, token, 3600)
	p := &view.Login{Base: u.base(r, rq, "login.title"), Email: email, Next: r.FormValue("next")}
	p.CSRF = token
	if r.Method == http.MethodPost && p.Next != "" {
		// the language links of a refused sign-in keep where to go next
		p.Path = "/login?next=" + url.QueryEscape(p.Next)
	}
	switch r.URL.Query().Get("bye") {
	case "1":
		p.Message = rq.P.T("login.signed_out")
	}
	if r.URL.Query().Get("reset") == "1" {
		p.Message = rq.P.T("reset.done")
	}
	if err != nil {
		p.Error = rq.P.Problem(err)
	}
	return u.render(w, status, "login", p)
}

// login checks the e-mail and password and starts a session.
func (u *UI) login(w http.ResponseWriter, r *http.Request, rq *request) error {
	r.Body = http.MaxBytesReader(w, r.Body, formLimit)
	c, err := r.Cookie(loginCSRF)
	if err != nil || !sameToken(r.PostFormValue("csrf"), c.Value) {
		return errCSRF
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	s, secret, err := u.auth.SignIn(r.Context(), email, r.PostFormValue("password"), u.ip(r), r.UserAgent())
	if err != nil {
		pe, ok := problem.As(err)
		if !ok {
			return err
		}
		if pe.Kind == problem.TooMany && len(pe.Args) == 1 {
			if mins, ok := pe.Args[0].(int); ok {
				w.Header().Set("Retry-After", strconv.Itoa(mins*60))
			}
		}
		return u.renderLogin(w, r, rq, statusOf(err), email, err)
	}
	u.setCookie(w, r, sessionCookie, secret, int(access.AbsoluteTimeout.Seconds()))
	u.setCookie(w, r, loginCSRF, "", -1)
	next := r.PostFormValue("next")
	if next == "" {
		next = home(s.User.Role)
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}

// logout ends the session.
func (u *UI) logout(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := u.auth.SignOut(r.Context(), rq.Session); err != nil {
		return err
	}
	u.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login?bye=1", http.StatusSeeOther)
	return nil
}
