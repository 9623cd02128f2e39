package calendar

import (
	"slices"
	"testing"
)

// TestPeruHolidays lists every holiday of 2026 and 2027 worked out from
// the laws (Easter 2026-04-05, 2027-03-28); Peru moves none.
func TestPeruHolidays(t *testing.T) {
	want := map[int][]string{
		2026: {"2026-01-01", "2026-04-02", "2026-04-03", "2026-05-01", "2026-06-07", "2026-06-29", "2026-07-23",
			"2026-07-28", "2026-07-29", "2026-08-06", "2026-08-30", "2026-10-08", "2026-11-01", "2026-12-08",
			"2026-12-09", "2026-12-25"},
		2027: {"2027-01-01", "2027-03-25", "2027-03-26", "2027-05-01", "2027-06-07", "2027-06-29", "2027-07-23",
			"2027-07-28", "2027-07-29", "2027-08-06", "2027-08-30", "2027-10-08", "2027-11-01", "2027-12-08",
			"2027-12-09", "2027-12-25"},
	}
	c := mustNew(t, Config{Country: "PE", Timezone: "America/Lima"})
	for year, dates := range want {
		if got := holidaysIn(c, year); !slices.Equal(got, dates) {
			t.Errorf("PE %d:\n got %v\nwant %v", year, got, dates)
		}
	}
	// Days added by later laws are not holidays before them.
	if _, ok := c.Holiday(at(t, c, "2021-12-09 12:00")); ok {
		t.Error("9 December 2021 is a holiday; Ley 31530 made it one from 2022")
	}
}

// TestCountryHolidays checks known dates of 2026 and 2027, holidays and
// ordinary working days, in countries whose lists come from rickar/cal.
func TestCountryHolidays(t *testing.T) {
	cases := []struct {
		country  string
		holidays []string
		working  []string
	}{
		// Spain: Reyes, Viernes Santo, Fiesta Nacional, Inmaculada.
		{"ES", []string{"2026-01-06", "2026-04-03", "2026-10-12", "2027-03-26", "2027-12-08"}, []string{"2026-04-06", "2027-03-29"}},
		// Portugal: Liberdade, Portugal, Corpus Christi (Easter+60), Restauração.
		{"PT", []string{"2026-04-25", "2026-06-10", "2026-06-04", "2027-05-27", "2027-12-01"}, []string{"2026-06-05"}},
		// Argentina: carnival Monday and Tuesday (Easter-48, -47), Revolución de Mayo, Independencia.
		{"AR", []string{"2026-02-16", "2026-02-17", "2026-05-25", "2026-07-09", "2027-02-08", "2027-07-09"}, []string{"2026-02-18"}},
		{"DE", []string{"2026-10-03", "2026-04-06", "2027-05-17"}, []string{"2026-10-05"}},
		{"FR", []string{"2026-07-14", "2027-11-11"}, []string{"2026-07-15"}},
		{"GB", []string{"2026-12-25", "2026-12-28", "2027-05-03"}, []string{"2026-12-29"}},
		{"AU", []string{"2026-01-26", "2026-04-03", "2026-04-25"}, []string{"2026-01-27"}},
		{"JP", []string{"2026-01-01", "2027-05-05"}, []string{"2026-01-06"}},
	}
	for _, tc := range cases {
		c := mustNew(t, Config{Country: tc.country})
		for _, d := range tc.holidays {
			if _, ok := c.Holiday(at(t, c, d+" 12:00")); !ok {
				t.Errorf("%s: %s is not a holiday", tc.country, d)
			}
		}
		for _, d := range tc.working {
			if name, ok := c.Holiday(at(t, c, d+" 12:00")); ok {
				t.Errorf("%s: %s is a holiday (%s)", tc.country, d, name)
			}
		}
	}
	// Brazil: 20 November is national from 2024 only.
	br := mustNew(t, Config{Country: "BR"})
	if _, ok := br.Holiday(at(t, br, "2023-11-20 12:00")); ok {
		t.Error("BR: 20 November 2023 is a holiday")
	}
	if _, ok := br.Holiday(at(t, br, "2026-11-20 12:00")); !ok {
		t.Error("BR: 20 November 2026 is not a holiday")
	}

}
