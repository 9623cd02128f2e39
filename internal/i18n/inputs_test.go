package i18n_test

import (
	"testing"
	"time"

	"github.com/pistahq/pista/internal/i18n"
)

// TestDateInputs: days and months are written and read as each language
// writes them; ISO is read in all three; days that do not exist and the
// ambiguous American order in English are refused.
func TestDateInputs(t *testing.T) {
	c, err := i18n.New("")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang, in, want string // want "" means refused
	}{
		{"es", "20/11/2026", "2026-11-20"}, {"es", "5-1-2026", "2026-01-05"}, {"pt", "05.01.2026", "2026-01-05"},
		{"es", "2026-11-20", "2026-11-20"}, {"en", "2026-11-20", "2026-11-20"}, {"en", "Nov 20, 2026", "2026-11-20"},
		{"es", "31/02/2026", ""}, {"pt", "20/13/2026", ""}, {"es", "20/11/26", ""}, {"en", "11/20/2026", ""},
		{"en", "20/11/2026", ""}, {"es", "noviembre", ""}, {"es", "", ""},
	} {
		p := c.Printer(tt.lang)
		d, ok := p.ParseDay(tt.in, time.UTC)
		got := ""
		if ok {
			got = d.Format(time.DateOnly)
		}
		if got != tt.want {
			t.Errorf("%s: ParseDay(%q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ lang, in, want string }{
		{"es", "11/2026", "2026-11"}, {"pt", "1/2027", "2027-01"}, {"en", "2026-11", "2026-11"}, {"es", "2026-11", "2026-11"},
		{"es", "13/2026", ""}, {"en", "11/2026", ""}, {"es", "noviembre", ""},
	} {
		if got, _ := c.Printer(tt.lang).ParseMonth(tt.in); got != tt.want {
			t.Errorf("%s: ParseMonth(%q) = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ lang, day, month string }{{"es", "20/11/2026", "11/2026"}, {"pt", "20/11/2026", "11/2026"}, {"en", "2026-11-20", "2026-11"}} {
		p := c.Printer(tt.lang)
		if got := p.DayInput("2026-11-20"); got != tt.day {
			t.Errorf("%s: DayInput = %q, want %q", tt.lang, got, tt.day)
		}
		if got := p.MonthInput("2026-11"); got != tt.month {
			t.Errorf("%s: MonthInput = %q, want %q", tt.lang, got, tt.month)
		}
	}
}
