package ui

import (
	"net/http"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/problem"
)

// Date and month inputs are text in the user's language's format
// (i18n.Printer.DayInput); ISO dates are read in every language, so the
// addresses of filtered pages, which carry ISO dates, mean the same day
// to everyone.

// badDay is the problem of a date input, named by its label on the page
// and saying how to write the date in the user's language.
func badDay(p *i18n.Printer, name, v string) problem.Field {
	return problem.Field{Name: name, Reason: "want a date such as 2026-11-20", Code: "date_as",
		Args: []any{v, p.T("format.date_input"), p.DayInput("2026-11-20")}}
}

// badMonth is badDay for a month input.
func badMonth(p *i18n.Printer, name, v string) problem.Field {
	return problem.Field{Name: name, Reason: "want a month such as 2026-11", Code: "month_as",
		Args: []any{v, p.T("format.month_input"), p.MonthInput("2026-11")}}
}

// isoDates sends a GET whose date filters are written the user's way to
// the same address with ISO dates, so the address a person bookmarks or
// shares reads the same in every language. It reports whether it did.
// Dates it cannot read are left for the page to refuse.
func isoDates(w http.ResponseWriter, r *http.Request, p *i18n.Printer, names ...string) bool {
	q := r.URL.Query()
	changed := false
	for _, n := range names {
		v := strings.TrimSpace(q.Get(n))
		if v == "" {
			continue
		}
		d, ok := p.ParseDay(v, time.UTC)
		if iso := d.Format(time.DateOnly); ok && iso != v {
			q.Set(n, iso)
			changed = true
		}
	}
	if changed {
		http.Redirect(w, r, r.URL.Path+"?"+q.Encode(), http.StatusSeeOther)
	}
	return changed
}
