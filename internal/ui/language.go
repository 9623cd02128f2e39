package ui

import (
	"net/http"
	"slices"

	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/problem"
)

// setLanguage is the header's language switch: it saves the user's
// setting and goes back to the page.
func (u *UI) setLanguage(w http.ResponseWriter, r *http.Request, rq *request) error {
	lang := r.PostFormValue("lang")
	if !slices.Contains(i18n.Languages, lang) {
		return problem.Fields("bad language", problem.Field{Name: "lang", Reason: "want es, pt or en", Code: "language", Args: []any{lang}})
	}
	usr := *rq.User
	usr.Language, usr.UpdatedAt = lang, u.now()
	if err := u.db.UpdateUser(r.Context(), &usr); err != nil {
		return err
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("back")), http.StatusSeeOther)
	return nil
}
