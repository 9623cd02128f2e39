// Package view holds a typed struct per page of the web app. Templates
// read only these, so what a page shows is listed in one place, and the
// handlers fill them from the domain.
package view

import (
	"html/template"
	"net/url"
	"time"

	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// Base is what every page has: who is signed in, the language, the CSRF
// token for forms, a message after an act, the menu and the asset URLs.
type Base struct {
	Title  string
	User   *store.User // nil on the sign-in page
	Role   string      // the role's name in the user's language
	Lang   string
	CSRF   string
	Flash  string
	Error  string          // a problem to show above the page's content
	Fields []problem.Field // its bad fields
	Nav    []NavItem
	Path   string // the page's path and query, for "come back here"
	Assets map[string]string
	Langs  []string
	Search string
	Unread int // the user's unread notifications (the bell's badge)

	P   *i18n.Printer
	Loc *time.Location
}

// NavItem is one entry of the side menu.
type NavItem struct {
	Href, Label string
	Current     bool
}

// T renders a message in the page's language.
func (b *Base) T(key string, args ...any) string { return b.P.T(key, args...) }

// LangHref is this page's address in another language, for the
// language links of pages without a session (the sign-in page): the
// rest of the query, such as where to go after signing in, is kept.
func (b *Base) LangHref(lang string) string {
	u, err := url.Parse(b.Path)
	if err != nil || b.Path == "" {
		return "?lang=" + url.QueryEscape(lang)
	}
	q := u.Query()
	q.Set("lang", lang)
	return u.Path + "?" + q.Encode()
}

// Asset is the content-hashed URL of a static file.
func (b *Base) Asset(name string) string { return b.Assets[name] }

// Num formats a number with decimals in the page's language.
func (b *Base) Num(v float64, decimals int) string { return b.P.Number(v, decimals) }

// Pts formats points the same way everywhere: whole points as such
// ("65"), others with one decimal ("10,5" in Spanish).
func (b *Base) Pts(v float64) string {
	if v == float64(int64(v)) {
		return b.P.Number(v, 0)
	}
	return b.P.Number(v, 1)
}

// Int formats a whole number.
func (b *Base) Int(v int) string { return b.P.Int(int64(v)) }

// Money formats an amount in a currency.
func (b *Base) Money(v float64, currency string) string { return b.P.Money(v, currency) }

// When formats a time in the user's time zone.
func (b *Base) When(t time.Time) string { return b.P.DateTime(t, b.Loc) }

// Day formats a day in the user's time zone.
func (b *Base) Day(t time.Time) string { return b.P.Date(t, b.Loc) }

// ISO is a time for datetime attributes.
func (b *Base) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Stage names a stage in the page's language.
func (b *Base) Stage(s string) string { return b.P.Maybe("stage."+s, s) }

// FieldText renders a bad field's reason in the page's language.
func (b *Base) FieldText(f problem.Field) string { return b.P.Field(f) }

// FieldError is the reason of the bad field named name, or "".
func (b *Base) FieldError(name string) string {
	for _, f := range b.Fields {
		if f.Name == name {
			return b.P.Field(f)
		}
	}
	return ""
}

// Page is a rendered page's template name and its view.
type Page interface{ base() *Base }

func (b *Base) base() *Base { return b }

// BaseOf returns a page's Base.
func BaseOf(p Page) *Base { return p.base() }

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// HTML marks trusted markup built by Pista (never user text).
type HTML = template.HTML

// DayText writes an ISO day for a date input in the page's language.
func (b *Base) DayText(iso string) string { return b.P.DayInput(iso) }

// MonthText writes an ISO month for a month input in the page's language.
func (b *Base) MonthText(iso string) string { return b.P.MonthInput(iso) }
