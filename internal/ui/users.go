package ui

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// usersPage lists the people who use Pista, with their role, language,
// time zone, teams and weights, and absence; and the form to add one.
func (u *UI) usersPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := &view.Users{Base: u.base(r, rq, "users.title"), Form: view.UserForm{Role: access.Rep, Language: rq.User.Language, Active: true}}
	if get(r, "done") == "saved" {
		p.Flash = rq.P.T("users.saved")
	}
	return u.renderUsers(w, r, rq, http.StatusOK, p)
}

func (u *UI) renderUsers(w http.ResponseWriter, r *http.Request, rq *request, status int, p *view.Users) error {
	users, err := u.db.Users(r.Context())
	if err != nil {
		return err
	}
	teams, err := u.teamsOf(r.Context(), rq)
	if err != nil {
		return err
	}
	now := u.now()
	for _, usr := range users {
		p.Rows = append(p.Rows, view.UserRow{ID: usr.ID, Name: usr.Name, Email: usr.Email, Role: rq.P.Maybe("role."+usr.Role, usr.Role),
			Language: usr.Language, Timezone: usr.Timezone, Active: usr.Active, Away: usr.Away(now), AwayUntil: usr.AwayUntil, Teams: teams[usr.ID]})
	}
	p.Roles, p.Languages = u.roleOptions(rq, p.Form.Role), languageOptions(rq, p.Form.Language)
	return u.render(w, status, "users", p)
}

// teamsOf says, per user, the teams they are in (by label) and their
// weight there, or that they manage it.
func (u *UI) teamsOf(ctx context.Context, rq *request) (map[int64][]string, error) {
	teams, err := u.db.Teams(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64][]string{}
	for _, t := range teams {
		for _, m := range t.Members {
			out[m.UserID] = append(out[m.UserID], fmt.Sprintf("%s ×%s", cmp.Or(t.Label, t.Name), rq.P.Number(m.Weight, decimals(m.Weight))))
		}
		if t.ManagerID != 0 {
			out[t.ManagerID] = append(out[t.ManagerID], cmp.Or(t.Label, t.Name)+" ("+rq.P.T("role.manager")+")")
		}
	}
	return out, nil
}

// roleOptions are the roles the signed-in user may give.
func (u *UI) roleOptions(rq *request, selected string) []view.Option {
	var out []view.Option
	for _, role := range access.UserRoles {
		if access.MayGrant(rq.User.Role, role) == nil || role == selected {
			out = append(out, view.Option{Value: role, Label: rq.P.Maybe("role."+role, role), Selected: role == selected})
		}
	}
	return out
}

func languageOptions(rq *request, selected string) []view.Option {
	return options(access.Languages, func(l string) string { return rq.P.T("lang." + l) }, selected)
}

// userCreate adds a person as the API does and shows, once, a one-time
// link where they choose their password (an invitation to pass on).
func (u *UI) userCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	f := view.UserForm{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Role: r.PostFormValue("role"),
		Language: r.PostFormValue("language"), Timezone: strings.TrimSpace(r.PostFormValue("timezone")), Active: true}
	p := &view.Users{Base: u.base(r, rq, "users.title"), Form: f}
	usr, err := access.NewUser(f.Name, f.Email, f.Role, f.Language, f.Timezone, u.now())
	if err == nil {
		err = access.MayGrant(rq.User.Role, usr.Role)
	}
	if err == nil {
		if err = u.db.InsertUser(r.Context(), usr); store.IsConflict(err) {
			err = fieldProblem("email", "email_taken", "there is already a user with this e-mail")
		}
	}
	if err != nil {
		if !problemShown(&p.Base, rq, err) {
			return err
		}
		return u.renderUsers(w, r, rq, http.StatusUnprocessableEntity, p)
	}
	secret, err := u.auth.NewPasswordLink(r.Context(), usr.ID)
	if err != nil {
		return err
	}
	p.Form = view.UserForm{Role: f.Role, Language: f.Language, Active: true}
	p.Invite, p.Invited = u.scheme(r)+"://"+r.Host+"/login/reset/"+secret, usr.Email
	return u.renderUsers(w, r, rq, http.StatusOK, p)
}

// fieldProblem is an invalid field, for a form.
func fieldProblem(name, code, reason string) error {
	return problem.Fields(reason, problem.Field{Name: name, Reason: reason, Code: code})
}

// problemShown puts a problem above a form that is shown again, and
// reports false for errors that are not problems (they become the error
// page).
func problemShown(b *view.Base, rq *request, err error) bool {
	pe, ok := problem.As(err)
	if !ok {
		return false
	}
	b.Error, b.Fields = rq.P.Problem(err), pe.Fields
	return true
}

// decimals is how many decimals a weight needs (1, 0.5, 1.25).
func decimals(v float64) int {
	for d := 0; d < 3; d++ {
		if p := math.Pow(10, float64(d)); math.Round(v*p) == v*p {
			return d
		}
	}
	return 3
}
