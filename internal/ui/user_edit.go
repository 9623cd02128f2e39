package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// userByPath loads the user named in the URL.
func (u *UI) userByPath(r *http.Request) (*store.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		var usr *store.User
		if usr, err = u.db.User(r.Context(), id); err == nil {
			return usr, nil
		}
	}
	if err == nil || errors.Is(err, store.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) {
		return nil, problem.Coded(problem.NotFound, "no_user", []any{r.PathValue("id")}, "no user %s", r.PathValue("id"))
	}
	return nil, err
}

// userEditPage shows a person's role, language, time zone, whether they
// are active and when they are out of office.
func (u *UI) userEditPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	usr, err := u.userByPath(r)
	if err != nil {
		return err
	}
	f := view.UserForm{Name: usr.Name, Email: usr.Email, Role: usr.Role, Language: usr.Language, Timezone: usr.Timezone, Active: usr.Active,
		AwayFrom: dateIn(usr.AwayFrom, rq.Loc), AwayUntil: dateIn(usr.AwayUntil, rq.Loc)}
	return u.renderUserEdit(w, r, rq, http.StatusOK, usr.ID, f)
}

func (u *UI) renderUserEdit(w http.ResponseWriter, r *http.Request, rq *request, status int, id int64, f view.UserForm) error {
	p := &view.UserEdit{Base: u.base(r, rq, "users.edit_title", f.Name), ID: id, Form: f, Roles: u.roleOptions(rq, f.Role), Languages: languageOptions(rq, f.Language)}
	teams, err := u.teamsOf(r.Context(), rq)
	if err != nil {
		return err
	}
	p.Teams = teams[id]
	return u.render(w, status, "user_edit", p)
}

// userSave changes a person through the same checks as the API's PATCH;
// deactivating them ends their sessions at once.
func (u *UI) userSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	usr, err := u.userByPath(r)
	if err != nil {
		return err
	}
	f := view.UserForm{Name: r.PostFormValue("name"), Email: usr.Email, Role: r.PostFormValue("role"), Language: r.PostFormValue("language"),
		Timezone: strings.TrimSpace(r.PostFormValue("timezone")), Active: r.PostFormValue("active") == "1",
		AwayFrom: r.PostFormValue("away_from"), AwayUntil: r.PostFormValue("away_until")}
	from, err1 := dateField(rq.P, "away_from", f.AwayFrom, rq.Loc)
	until, err2 := dateField(rq.P, "away_until", f.AwayUntil, rq.Loc)
	err = errors.Join(err1, err2)
	if err == nil {
		err = access.ChangeUser(rq.User.Role, usr, access.UserChange{Name: &f.Name, Role: &f.Role, Language: &f.Language, Timezone: &f.Timezone,
			Active: &f.Active, AwayFrom: access.TimeChange{Set: true, T: from}, AwayUntil: access.TimeChange{Set: true, T: until}}, u.now())
	}
	if err != nil {
		return u.renderUserEditError(w, r, rq, usr.ID, f, err)
	}
	if err := u.db.UpdateUser(r.Context(), usr); err != nil {
		return err
	}
	if !usr.Active {
		if err := u.auth.EndSessions(r.Context(), usr.ID); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/app/users?done=saved", http.StatusSeeOther)
	return nil
}

// renderUserEditError shows the form again with what is wrong.
func (u *UI) renderUserEditError(w http.ResponseWriter, r *http.Request, rq *request, id int64, f view.UserForm, err error) error {
	p := &view.UserEdit{Base: u.base(r, rq, "users.edit_title", f.Name), ID: id, Form: f, Roles: u.roleOptions(rq, f.Role), Languages: languageOptions(rq, f.Language)}
	var fields []problem.Field
	for _, e := range unjoin(err) {
		pe, ok := problem.As(e)
		if !ok {
			return err
		}
		if pe.Kind == problem.Forbidden {
			return err
		}
		fields = append(fields, pe.Fields...)
	}
	p.Error, p.Fields = rq.P.T("problem.invalid"), fields
	return u.render(w, http.StatusUnprocessableEntity, "user_edit", p)
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// dateIn writes a time as the day it falls on in loc (for date inputs).
func dateIn(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format(time.DateOnly)
}

// dateField reads a date input as the start of that day in loc; "" is no
// date.
func dateField(p *i18n.Printer, name, v string, loc *time.Location) (*time.Time, error) {
	if v = strings.TrimSpace(v); v == "" {
		return nil, nil
	}
	t, ok := p.ParseDay(v, loc)
	if !ok {
		return nil, problem.Fields("not a date", badDay(p, name, v))
	}
	return &t, nil
}
