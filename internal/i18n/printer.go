package i18n

import (
	"math"
	"strings"
	"time"

	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/pistahq/pista/internal/problem"
)

// Printer renders messages, numbers and times in one language.
type Printer struct {
	Lang string
	c    *Catalog
	p    *message.Printer
}

// T renders a message. A key missing from the catalog shows as itself,
// which the tests catch.
func (p *Printer) T(key string, args ...any) string {
	if _, ok := p.c.messages[p.Lang][key]; !ok {
		return key
	}
	return p.p.Sprintf(key, args...)
}

// Maybe renders a message when the catalog has the key, else the
// fallback (labels that may come from a definition).
func (p *Printer) Maybe(key, fallback string, args ...any) string {
	if _, ok := p.c.messages[p.Lang][key]; !ok {
		return fallback
	}
	return p.p.Sprintf(key, args...)
}

// Number formats a number with a fixed count of decimals in the
// language's format.
func (p *Printer) Number(v float64, decimals int) string {
	return p.p.Sprint(number.Decimal(v, number.MaxFractionDigits(decimals), number.MinFractionDigits(decimals)))
}

// Percent formats a share (0.125 for 12.5 %) with a fixed count of
// decimals as the language writes it: "12.5%" in English, "12,5%" in
// Portuguese, "12,5 %" in Spanish, whose space does not break.
func (p *Printer) Percent(v float64, decimals int) string {
	s := p.Number(v*100, decimals)
	if p.Lang == "es" {
		return s + "\u00a0%"
	}
	return s + "%"
}

// Int formats a whole number with the language's grouping.
func (p *Printer) Int(v int64) string { return p.p.Sprint(number.Decimal(v)) }

// Bytes says a size as people read it: "64 KB", "3,1 MB" (1 KB is 1,024
// bytes).
func (p *Printer) Bytes(n int64) string {
	switch {
	case n >= 1<<20:
		return p.Number(float64(n)/(1<<20), 1) + " MB"
	case n >= 1<<10:
		return p.Int(n>>10) + " KB"
	}
	return p.Int(n) + " B"
}

// Money formats an amount and its currency code: "USD 1,234.56" in en,
// "USD 1.234,56" in es and pt.
func (p *Printer) Money(v float64, currency string) string {
	return strings.TrimSpace(currency + " " + p.Number(v, 2))
}

// DateTime formats a time in a time zone in the language's format.
func (p *Printer) DateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(p.T("format.datetime"))
}

// Date formats a day in a time zone in the language's format.
func (p *Printer) Date(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(p.T("format.date"))
}

// Duration says a span of (business) time as people read it: "3 h 20
// min", "2 d 4 h", "45 min".
func (p *Printer) Duration(d time.Duration) string {
	d = d.Round(time.Minute)
	if d < 0 {
		d = -d
	}
	mins := int64(d / time.Minute)
	h, m := mins/60, mins%60
	switch {
	case h >= 48:
		return p.T("duration.days_hours", h/24, h%24)
	case h > 0 && m == 0:
		return p.T("duration.hours", h)
	case h > 0:
		return p.T("duration.hours_minutes", h, m)
	}
	return p.T("duration.minutes", int64(math.Max(float64(m), 0)))
}

// Problem renders an error users may read: the catalog's message for its
// code when it has one, else the English detail.
func (p *Printer) Problem(err error) string {
	pe, ok := problem.As(err)
	if !ok {
		return p.T("error.internal")
	}
	if pe.Code != "" {
		if _, ok := p.c.messages[p.Lang]["problem."+pe.Code]; ok {
			return p.p.Sprintf("problem."+pe.Code, pe.Args...)
		}
	}
	if len(pe.Fields) > 0 {
		return p.T("problem.invalid")
	}
	return pe.Detail
}

// Field renders one bad field's reason.
func (p *Printer) Field(f problem.Field) string {
	if f.Code != "" {
		if _, ok := p.c.messages[p.Lang]["field."+f.Code]; ok {
			return p.p.Sprintf("field."+f.Code, f.Args...)
		}
	}
	return f.Reason
}

// Sprintf formats like fmt with the language's number formats.
func (p *Printer) Sprintf(format string, args ...any) string { return p.p.Sprintf(format, args...) }
