package calendar

import (
	"slices"
	"testing"
	"time"
)

// mustNew builds a calendar a test relies on; a config error is a test bug.
func mustNew(t testing.TB, cfg Config) *Calendar {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	return c
}

// at reads "2006-01-02 15:04" (optionally ":05") as wall time in c's zone,
// which is how the product spec states its examples.
func at(t testing.TB, c *Calendar, s string) time.Time {
	t.Helper()
	layout := "2006-01-02 15:04"
	if len(s) > len(layout) {
		layout += ":05"
	}
	v, err := time.ParseInLocation(layout, s, c.Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"unknown country", Config{Country: "XX"}, `country "XX" is not supported (supported: AR, AT, AU, BE, BG, BO, BR, CA, CH, CL, CO, CR, CY, CZ, DE, DK, DO, EC, EE, ES, FI, FR, GB, GR, GT, HR, HU, IE, IS, IT, JP, KE, LT, LU, LV, MT, MW, MX, NC, NL, NO, NZ, PA, PE, PL, PT, PY, RO, RS, RU, SE, SI, SK, TH, UA, US, UY, ZA)`},
		{"country name instead of code", Config{Country: "Colombia"}, `country "Colombia" is not supported (supported: AR, AT, AU, BE, BG, BO, BR, CA, CH, CL, CO, CR, CY, CZ, DE, DK, DO, EC, EE, ES, FI, FR, GB, GR, GT, HR, HU, IE, IS, IT, JP, KE, LT, LU, LV, MT, MW, MX, NC, NL, NO, NZ, PA, PE, PL, PT, PY, RO, RS, RU, SE, SI, SK, TH, UA, US, UY, ZA)`},
		{"unknown zone", Config{Timezone: "Mars/Base"}, `timezone "Mars/Base": unknown time zone`},
		{"server zone", Config{Timezone: "Local"}, `timezone "Local": want an IANA name such as "America/Bogota"`},
		{"hours without minutes", Config{Hours: "9-5"}, `hours "9-5": want HH:MM-HH:MM`},
		{"hours one digit hour", Config{Hours: "9:00-17:00"}, `hours "9:00-17:00": want HH:MM-HH:MM`},
		{"hours no dash", Config{Hours: "09:00"}, `hours "09:00": want HH:MM-HH:MM`},
		{"hours bad minute", Config{Hours: "08:60-17:00"}, `hours "08:60-17:00": want HH:MM-HH:MM`},
		{"hours bad hour", Config{Hours: "08:00-25:00"}, `hours "08:00-25:00": want HH:MM-HH:MM`},
		{"hours 24 as start", Config{Hours: "24:00-24:00"}, `hours "24:00-24:00": want HH:MM-HH:MM`},
		{"hours 24:30", Config{Hours: "08:00-24:30"}, `hours "08:00-24:30": want HH:MM-HH:MM`},
		{"hours three parts", Config{Hours: "08:00-12:00-13:00"}, `hours "08:00-12:00-13:00": want HH:MM-HH:MM`},
		{"hours letters", Config{Hours: "ab:cd-ef:gh"}, `hours "ab:cd-ef:gh": want HH:MM-HH:MM`},
		{"hours reversed", Config{Hours: "17:00-09:00"}, `hours "17:00-09:00": end must be after start`},
		{"hours empty window", Config{Hours: "09:00-09:00"}, `hours "09:00-09:00": end must be after start`},
		{"unknown day", Config{Days: []string{"mon", "funday"}}, `days: "funday" is not a weekday`},
		{"long day name", Config{Days: []string{"monday"}}, `days: "monday" is not a weekday`},
		{"empty day", Config{Days: []string{""}}, `days: "" is not a weekday`},
		{"bad month", Config{Holidays: []string{"2026-13-01"}}, `holidays: "2026-13-01" is not a date (YYYY-MM-DD)`},
		{"no zero padding", Config{Holidays: []string{"2026-2-1"}}, `holidays: "2026-2-1" is not a date (YYYY-MM-DD)`},
		{"day/month order", Config{Holidays: []string{"24/12/2026"}}, `holidays: "24/12/2026" is not a date (YYYY-MM-DD)`},
		{"30 February", Config{Holidays: []string{"2026-02-30"}}, `holidays: "2026-02-30" is not a date (YYYY-MM-DD)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg)
			if err == nil {
				t.Fatalf("New(%+v) = %v, want error %q", tt.cfg, c, tt.want)
			}
			if c != nil {
				t.Errorf("New returned a calendar with the error")
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tt.want)
			}
		})
	}
}

func TestNewAccepts(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // String() of the result
	}{
		{"zero config", Config{}, "UTC mon-fri 09:00-17:00"},
		{"spec example", Config{Country: "CO", Timezone: "America/Bogota", Hours: "08:00-17:00"}, "CO America/Bogota mon-fri 08:00-17:00"},
		{"lower-case country, padded", Config{Country: " co "}, "CO UTC mon-fri 09:00-17:00"},
		{"explicit UTC", Config{Timezone: "UTC"}, "UTC mon-fri 09:00-17:00"},
		{"spaces around dash", Config{Hours: "08:00 - 17:30"}, "UTC mon-fri 08:00-17:30"},
		{"round the clock", Config{Hours: "00:00-24:00", Days: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}}, "UTC mon-sun 00:00-24:00"},
		{"mixed-case days", Config{Days: []string{"Mon", "TUE", "wed", "fri"}}, "UTC mon-wed,fri 09:00-17:00"},
		{"two-day runs stay a list", Config{Days: []string{"sat", "sun", "mon"}}, "UTC mon,sat,sun 09:00-17:00"},
		{"duplicate days", Config{Days: []string{"mon", "mon", "wed"}}, "UTC mon,wed 09:00-17:00"},
		{"one company holiday", Config{Holidays: []string{"2026-12-24"}}, "UTC mon-fri 09:00-17:00 +1 company holiday"},
		{"duplicate company holidays", Config{Holidays: []string{"2026-12-31", "2026-12-24", "2026-12-31"}}, "UTC mon-fri 09:00-17:00 +2 company holidays"},
		{"MX in its zone", Config{Country: "MX", Timezone: "America/Mexico_City"}, "MX America/Mexico_City mon-fri 09:00-17:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustNew(t, tt.cfg)
			if got := c.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCountries(t *testing.T) {
	got := Countries()
	if !slices.IsSorted(got) {
		t.Errorf("Countries() = %v, not sorted", got)
	}
	for _, want := range []string{"AR", "AU", "BR", "CA", "CO", "DE", "ES", "FR", "GB", "JP", "MX", "PE", "PT", "US"} {
		if !slices.Contains(got, want) {
			t.Errorf("Countries() = %v, lacks %s", got, want)
		}
	}
	for _, code := range got {
		if _, err := New(Config{Country: code}); err != nil {
			t.Errorf("Countries() lists %s but New rejects it: %v", code, err)
		}
	}
	got[0] = "changed"
	if Countries()[0] != "AR" {
		t.Error("Countries() shares its slice with callers")
	}
}

func TestLocationAndDayLength(t *testing.T) {
	tests := []struct {
		cfg     Config
		wantLoc string
		wantLen time.Duration
	}{
		{Config{}, "UTC", 8 * time.Hour},
		{Config{Timezone: "America/Bogota", Hours: "08:00-12:30"}, "America/Bogota", 4*time.Hour + 30*time.Minute},
		{Config{Timezone: "America/Sao_Paulo", Hours: "00:00-24:00"}, "America/Sao_Paulo", 24 * time.Hour},
	}
	for _, tt := range tests {
		c := mustNew(t, tt.cfg)
		if got := c.Location().String(); got != tt.wantLoc {
			t.Errorf("%+v: Location() = %s, want %s", tt.cfg, got, tt.wantLoc)
		}
		if got := c.DayLength(); got != tt.wantLen {
			t.Errorf("%+v: DayLength() = %v, want %v", tt.cfg, got, tt.wantLen)
		}
	}
}
