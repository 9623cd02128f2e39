package ui

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/ui/view"
)

// base fills the part every page has.
func (u *UI) base(r *http.Request, rq *request, titleKey string, args ...any) view.Base {
	b := view.Base{Title: rq.P.T(titleKey, args...), Lang: rq.P.Lang, Assets: u.assets.urls, Langs: i18n.Languages,
		P: rq.P, Loc: rq.Loc, Path: r.URL.RequestURI()}
	if rq.User != nil {
		b.User = rq.User
		b.Role = rq.P.Maybe("role."+rq.User.Role, rq.User.Role)
		b.CSRF = rq.Session.CSRF
		b.Nav = nav(rq, r.URL.Path)
		if n, err := u.db.UnreadNotifications(r.Context(), rq.User.ID); err == nil {
			b.Unread = n // without it the page is still worth showing
		}
	}
	if f := r.URL.Query().Get("done"); f != "" {
		if key := "lead.flash." + f; u.cat.Has(key) {
			b.Flash = rq.P.T(key)
		} else if key := "settings." + f; u.cat.Has(key) {
			b.Flash = rq.P.T(key)
		} else if key := "reports.flash." + f; u.cat.Has(key) {
			b.Flash = rq.P.T(key)
		}
	}
	return b
}

// menu lists the app's sections and who sees them.
var menu = []struct {
	href, label string
	perm        access.Permission
}{
	{"/app/queue", "nav.queue", access.Qualify},
	{"/app/leads", "nav.leads", access.Read},
	{"/app/team", "nav.team", access.ManageLeads},
	{"/app/reports", "nav.reports", access.Analyse},
	{"/app/campaigns", "nav.campaigns", access.Define},
	{"/app/definitions", "nav.definitions", access.Define},
	{"/app/forms", "nav.forms", access.Define},
	{"/app/imports", "nav.imports", access.Define},
	{"/app/lab", "nav.lab", access.Define},
	{"/app/users", "nav.users", access.ManagePeople},
	{"/app/settings", "nav.settings", access.Read},
}

func nav(rq *request, path string) []view.NavItem {
	var out []view.NavItem
	for _, m := range menu {
		if access.Allows(rq.User.Role, m.perm) {
			out = append(out, view.NavItem{Href: m.href, Label: rq.P.T(m.label), Current: path == m.href || (len(path) > len(m.href) && path[:len(m.href)+1] == m.href+"/")})
		}
	}
	return out
}

// render writes a page. It renders into a buffer first, so a template
// error becomes the error page, not half a page.
func (u *UI) render(w http.ResponseWriter, status int, name string, page view.Page) error {
	t, ok := u.pages[name]
	if !ok {
		return errors.New("ui: no template " + name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "page", page); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) // the client may have gone; nothing to do then
	return nil
}

// statuses maps problem kinds to HTTP statuses, as the API does.
var statuses = map[problem.Kind]int{
	problem.Invalid:          http.StatusUnprocessableEntity,
	problem.NotFound:         http.StatusNotFound,
	problem.Conflict:         http.StatusConflict,
	problem.Forbidden:        http.StatusForbidden,
	problem.Unauthorized:     http.StatusUnauthorized,
	problem.TooLarge:         http.StatusRequestEntityTooLarge,
	problem.MethodNotAllowed: http.StatusMethodNotAllowed,
	problem.UnsupportedMedia: http.StatusUnsupportedMediaType,
	problem.TooMany:          http.StatusTooManyRequests,
}

// statusOf is the HTTP status of an error.
func statusOf(err error) int {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	if pe, ok := problem.As(err); ok {
		if s, ok := statuses[pe.Kind]; ok {
			return s
		}
	}
	return http.StatusInternalServerError
}

// errorPage renders an error as the page of its kind, in the user's
// language. Errors that are not problems are logged and shown as a
// generic 500, never with their text.
func (u *UI) errorPage(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		u.log.Error("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p := &view.ErrorPage{Base: u.base(r, rq, "error.title."+strconv.Itoa(status)), Status: status, Home: "/app/"}
	p.Heading = p.Title
	switch {
	case status == http.StatusInternalServerError:
		p.Detail = rq.P.T("error.internal")
	default:
		p.Detail = rq.P.Problem(err)
		if pe, ok := problem.As(err); ok {
			p.Fields = pe.Fields
		}
	}
	if rerr := u.render(w, status, "error", p); rerr != nil {
		u.log.Error("error page failed", "err", rerr)
		http.Error(w, http.StatusText(status), status)
	}
}
