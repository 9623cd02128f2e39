package ui

import (
	"net/http"

	"github.com/pistahq/pista/internal/access"
)

// home is each role's first page.
func home(role string) string {
	switch role {
	case access.Rep, access.BDR:
		return "/app/queue"
	case access.Manager:
		return "/app/team"
	case access.Marketing:
		return "/app/definitions"
	}
	return "/app/leads"
}

// homePage sends /app/ to the role's home.
func (u *UI) homePage(w http.ResponseWriter, r *http.Request, rq *request) error {
	http.Redirect(w, r, home(rq.User.Role), http.StatusSeeOther)
	return nil
}
