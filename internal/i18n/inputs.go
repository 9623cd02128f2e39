package i18n

import (
	"strconv"
	"strings"
	"time"
)

// Date and month inputs are text written as the user's language writes
// them (20/11/2026 and 11/2026 in Spanish and Portuguese; 2026-11-20 and
// 2026-11, which no one misreads, in English), not the browser's
// <input type=date>, which follows the browser's locale. ISO dates are
// read in every language.

// dmy reports whether a language writes the day first.
func (p *Printer) dmy() bool { return p.Lang != "en" }

// DayInput writes an ISO day ("2026-11-20") for a date input; anything
// else (what someone typed and was refused) is kept as typed.
func (p *Printer) DayInput(iso string) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil || !p.dmy() {
		return iso
	}
	return d.Format("02/01/2006")
}

// MonthInput writes an ISO month ("2026-11") for a month input.
func (p *Printer) MonthInput(iso string) string {
	m, err := time.Parse("2006-01", iso)
	if err != nil || !p.dmy() {
		return iso
	}
	return m.Format("01/2006")
}

// ParseDay reads a day as typed: ISO in every language; day/month/year
// in Spanish and Portuguese (20/11/2026, 5-1-2026, 05.01.2026); the
// dates the English pages show ("Nov 20, 2026") in English.
func (p *Printer) ParseDay(v string, loc *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if d, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		return d, true
	}
	if !p.dmy() {
		for _, layout := range []string{"Jan 2, 2006", "January 2, 2006", "2 Jan 2006", "2 January 2006"} {
			if d, err := time.ParseInLocation(layout, v, loc); err == nil {
				return d, true
			}
		}
		return time.Time{}, false
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || len(parts[2]) != 4 {
		return time.Time{}, false
	}
	return civil(parts[2], parts[1], parts[0], loc)
}

// ParseMonth reads a month as typed: ISO (2026-11) in every language,
// month/year (11/2026) in Spanish and Portuguese. It returns the ISO
// month.
func (p *Printer) ParseMonth(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if m, err := time.Parse("2006-01", v); err == nil {
		return m.Format("2006-01"), true
	}
	if !p.dmy() {
		return "", false
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 2 || len(parts[1]) != 4 {
		return "", false
	}
	d, ok := civil(parts[1], parts[0], "1", time.UTC)
	if !ok {
		return "", false
	}
	return d.Format("2006-01"), true
}

// civil is a calendar day from its numbers, refusing days that do not
// exist (31/02).
func civil(year, month, day string, loc *time.Location) (time.Time, bool) {
	y, err1 := strconv.Atoi(year)
	m, err2 := strconv.Atoi(month)
	d, err3 := strconv.Atoi(day)
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	return t, t.Day() == d
}
