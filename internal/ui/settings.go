package ui

import (
	"net/http"
	"strings"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/ui/view"
)

// settingsPage shows the user's language, time zone and password forms.
func (u *UI) settingsPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.showSettings(w, r, rq, http.StatusOK, nil)
}

func (u *UI) showSettings(w http.ResponseWriter, r *http.Request, rq *request, status int, err error) error {
	p := &view.Settings{Base: u.base(r, rq, "settings.title"), Timezone: rq.User.Timezone}
	p.Languages = options(i18n.Languages, func(v string) string { return rq.P.T("lang." + v) }, rq.User.Language)
	if p.CanOrg = access.Allows(rq.User.Role, access.Configure); p.CanOrg {
		loc, lerr := u.rep.Location(r.Context())
		if lerr != nil {
			return lerr
		}
		p.OrgTimezone = loc.String()
		if v := r.PostFormValue("org_timezone"); err != nil && v != "" {
			p.OrgTimezone = v // the refused value stays in the field
		}
	}
	if err != nil {
		p.Error = rq.P.Problem(err)
		if pe, ok := problem.As(err); ok {
			p.Fields = pe.Fields
		}
	}
	return u.render(w, status, "settings", p)
}

// saveSettings changes the user's language and time zone, checked as the
// API checks them.
func (u *UI) saveSettings(w http.ResponseWriter, r *http.Request, rq *request) error {
	usr := *rq.User
	usr.Language, usr.Timezone = r.PostFormValue("language"), strings.TrimSpace(r.PostFormValue("timezone"))
	var bad []problem.Field
	if f, ok := access.CheckLanguage(usr.Language); !ok {
		bad = append(bad, f)
	}
	if f, ok := access.CheckTimezone("timezone", usr.Timezone); !ok {
		bad = append(bad, f)
	}
	if len(bad) > 0 {
		return u.showSettings(w, r, rq, http.StatusUnprocessableEntity, problem.Fields("bad settings", bad...))
	}
	usr.UpdatedAt = u.now()
	if err := u.db.UpdateUser(r.Context(), &usr); err != nil {
		return err
	}
	http.Redirect(w, r, "/app/settings?done=saved", http.StatusSeeOther)
	return nil
}

// saveOrgSettings changes the organisation's time zone (admins), checked
// as PUT /api/v1/settings checks it; reports count days and weeks in it.
func (u *UI) saveOrgSettings(w http.ResponseWriter, r *http.Request, rq *request) error {
	tz := strings.TrimSpace(r.PostFormValue("org_timezone"))
	f, ok := access.CheckTimezone("org_timezone", tz)
	if tz == "" {
		f, ok = problem.Field{Name: "org_timezone", Reason: "required: an IANA time zone name such as America/Bogota", Code: "required"}, false
	}
	if !ok {
		return u.showSettings(w, r, rq, http.StatusUnprocessableEntity, problem.Fields("bad settings", f))
	}
	if err := u.db.PutSetting(r.Context(), report.TimezoneSetting, tz, u.now()); err != nil {
		return err
	}
	http.Redirect(w, r, "/app/settings?done=org_saved", http.StatusSeeOther)
	return nil
}

// changePassword changes the user's own password; the current one is
// asked again and the user's other sessions end.
func (u *UI) changePassword(w http.ResponseWriter, r *http.Request, rq *request) error {
	next := r.PostFormValue("password")
	if next != r.PostFormValue("repeat") {
		return u.showSettings(w, r, rq, http.StatusUnprocessableEntity, problem.Fields("the new passwords differ",
			problem.Field{Name: "repeat", Reason: "the two new passwords differ", Code: "password_mismatch"}))
	}
	if err := u.auth.ChangePassword(r.Context(), rq.Session, r.PostFormValue("current"), next); err != nil {
		if _, ok := problem.As(err); !ok {
			return err
		}
		return u.showSettings(w, r, rq, statusOf(err), err)
	}
	http.Redirect(w, r, "/app/settings?done=password_changed", http.StatusSeeOther)
	return nil
}
