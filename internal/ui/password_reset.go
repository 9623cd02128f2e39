package ui

import (
	"net/http"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/ui/view"
)

// passwordResetPage is where a one-time link from pista user
// reset-password leads: the user chooses their password. Like sign-in,
// the form's CSRF token is a random value in a cookie and in the form.
func (u *UI) passwordResetPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	usr, err := u.auth.PasswordLinkUser(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return u.renderReset(w, r, rq, http.StatusOK, usr.Email, nil)
}

func (u *UI) renderReset(w http.ResponseWriter, r *http.Request, rq *request, status int, email string, err error) error {
	token := access.NewSecret("")
	u.setCookie(w, r, loginCSRF, token, 3600)
	p := &view.PasswordReset{Base: u.base(r, rq, "reset.title"), Email: email, Token: r.PathValue("token")}
	p.CSRF = token
	if err != nil {
		p.Error = rq.P.Problem(err)
		if pe, ok := problem.As(err); ok {
			p.Fields = pe.Fields
		}
	}
	return u.render(w, status, "password_reset", p)
}

// passwordReset spends the link to set the password (ending the user's
// sessions), then sends them to sign in with it.
func (u *UI) passwordReset(w http.ResponseWriter, r *http.Request, rq *request) error {
	r.Body = http.MaxBytesReader(w, r.Body, formLimit)
	c, err := r.Cookie(loginCSRF)
	if err != nil || !sameToken(r.PostFormValue("csrf"), c.Value) {
		return errCSRF
	}
	secret := r.PathValue("token")
	usr, err := u.auth.PasswordLinkUser(r.Context(), secret)
	if err != nil {
		return err
	}
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("again") {
		err := problem.Fields("the passwords differ", problem.Field{Name: "again", Reason: "not the same as the password", Code: "password_mismatch"})
		return u.renderReset(w, r, rq, http.StatusUnprocessableEntity, usr.Email, err)
	}
	if _, err := u.auth.ResetPassword(r.Context(), secret, pw); err != nil {
		if pe, ok := problem.As(err); ok && pe.Kind == problem.Invalid {
			return u.renderReset(w, r, rq, http.StatusUnprocessableEntity, usr.Email, err)
		}
		return err
	}
	u.setCookie(w, r, loginCSRF, "", -1)
	http.Redirect(w, r, "/login?reset=1", http.StatusSeeOther)
	return nil
}
