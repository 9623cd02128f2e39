package calendar

import (
	"slices"
	"strings"
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

// TestLatinAmericaHolidays lists every holiday of 2026 and 2027 worked out
// by hand from each country's rules (Easter 2026-04-05, 2027-03-28), with
// the weekday moves written next to the dates they produce.
func TestLatinAmericaHolidays(t *testing.T) {
	cases := []struct {
		country, zone string
		y2026, y2027  []string
	}{
		{"CL", "America/Santiago",
			// Pueblos Indígenas on the solstice (Sun 21 June 2026); San Pedro y
			// San Pablo and 12 October already Mondays; 31 October a Saturday.
			[]string{"2026-01-01", "2026-04-03", "2026-04-04", "2026-05-01", "2026-05-21", "2026-06-21", "2026-06-29",
				"2026-07-16", "2026-08-15", "2026-09-18", "2026-09-19", "2026-10-12", "2026-10-31", "2026-11-01",
				"2026-12-08", "2026-12-25"},
			// 29 June (Tue) → Mon 28; 12 October (Tue) → Mon 11.
			[]string{"2027-01-01", "2027-03-26", "2027-03-27", "2027-05-01", "2027-05-21", "2027-06-21", "2027-06-28",
				"2027-07-16", "2027-08-15", "2027-09-18", "2027-09-19", "2027-10-11", "2027-10-31", "2027-11-01",
				"2027-12-08", "2027-12-25"}},
		{"EC", "America/Guayaquil",
			// 24 May (Sun) → Mon 25; Difuntos and Cuenca Mon–Tue.
			[]string{"2026-01-01", "2026-02-16", "2026-02-17", "2026-04-03", "2026-05-01", "2026-05-25", "2026-08-10",
				"2026-10-09", "2026-11-02", "2026-11-03", "2026-12-25"},
			// 1 May (Sat) → Fri 30 April; 10 August (Tue) → Mon 9; 9 October (Sat) → Fri 8;
			// Difuntos (Tue) and Cuenca → Mon 1 and Tue 2 November; Christmas (Sat) → Fri 24;
			// 1 January 2028 (Sat) → Fri 31 December 2027.
			[]string{"2027-01-01", "2027-02-08", "2027-02-09", "2027-03-26", "2027-04-30", "2027-05-24", "2027-08-09",
				"2027-10-08", "2027-11-01", "2027-11-02", "2027-12-24", "2027-12-31"}},
		{"UY", "America/Montevideo",
			[]string{"2026-01-01", "2026-02-16", "2026-02-17", "2026-04-02", "2026-04-03", "2026-05-01", "2026-07-18",
				"2026-08-25", "2026-12-25"},
			[]string{"2027-01-01", "2027-02-08", "2027-02-09", "2027-03-25", "2027-03-26", "2027-05-01", "2027-07-18",
				"2027-08-25", "2027-12-25"}},
		{"PY", "America/Asuncion",
			// 1 March (Sun) → Mon 2; 12 June (Fri) → Mon 15; 29 September (Tue) → Mon 28.
			[]string{"2026-01-01", "2026-03-02", "2026-04-02", "2026-04-03", "2026-05-01", "2026-05-14", "2026-05-15",
				"2026-06-15", "2026-08-15", "2026-09-28", "2026-12-08", "2026-12-25"},
			// 12 June (Sat) → Mon 14; 29 September (Wed) → Mon 27.
			[]string{"2027-01-01", "2027-03-01", "2027-03-25", "2027-03-26", "2027-05-01", "2027-05-14", "2027-05-15",
				"2027-06-14", "2027-08-15", "2027-09-27", "2027-12-08", "2027-12-25"}},
		{"BO", "America/La_Paz",
			// Corpus Christi Easter+60; 21 June (Sun) → Mon 22.
			[]string{"2026-01-01", "2026-01-22", "2026-02-16", "2026-02-17", "2026-04-03", "2026-05-01", "2026-06-04",
				"2026-06-22", "2026-08-06", "2026-11-02", "2026-12-25"},
			[]string{"2027-01-01", "2027-01-22", "2027-02-08", "2027-02-09", "2027-03-26", "2027-05-01", "2027-05-27",
				"2027-06-21", "2027-08-06", "2027-11-02", "2027-12-25"}},
		{"CR", "America/Costa_Rica",
			[]string{"2026-01-01", "2026-04-02", "2026-04-03", "2026-04-11", "2026-05-01", "2026-07-25", "2026-08-02",
				"2026-08-15", "2026-08-31", "2026-09-15", "2026-12-01", "2026-12-25"},
			[]string{"2027-01-01", "2027-03-25", "2027-03-26", "2027-04-11", "2027-05-01", "2027-07-25", "2027-08-02",
				"2027-08-15", "2027-08-31", "2027-09-15", "2027-12-01", "2027-12-25"}},
		{"PA", "America/Panama",
			// Carnaval Tuesday; 20 December (Sun) → Mon 21.
			[]string{"2026-01-01", "2026-01-09", "2026-02-17", "2026-04-03", "2026-05-01", "2026-11-03", "2026-11-05",
				"2026-11-10", "2026-11-28", "2026-12-08", "2026-12-21", "2026-12-25"},
			// 28 November (Sun) → Mon 29.
			[]string{"2027-01-01", "2027-01-09", "2027-02-09", "2027-03-26", "2027-05-01", "2027-11-03", "2027-11-05",
				"2027-11-10", "2027-11-29", "2027-12-08", "2027-12-20", "2027-12-25"}},
		{"DO", "America/Santo_Domingo",
			// Reyes (Tue) → Mon 5; Trabajo (Fri) → Mon 4 May; Restauración (Sun) → Mon 17;
			// Constitución (Fri) → Mon 9 November.
			[]string{"2026-01-01", "2026-01-05", "2026-01-21", "2026-01-26", "2026-02-27", "2026-04-03", "2026-05-04",
				"2026-06-04", "2026-08-17", "2026-09-24", "2026-11-09", "2026-12-25"},
			// Reyes (Wed) → Mon 4; Duarte (Tue) → Mon 25; Trabajo (Sat) → Mon 3 May;
			// Constitución (Sat) → Mon 8 November.
			[]string{"2027-01-01", "2027-01-04", "2027-01-21", "2027-01-25", "2027-02-27", "2027-03-26", "2027-05-03",
				"2027-05-27", "2027-08-16", "2027-09-24", "2027-11-08", "2027-12-25"}},
		{"GT", "America/Guatemala",
			// Día del Ejército (Tue 30 June) → Mon 29.
			[]string{"2026-01-01", "2026-04-02", "2026-04-03", "2026-04-04", "2026-05-01", "2026-06-29", "2026-09-15",
				"2026-10-20", "2026-11-01", "2026-12-25"},
			// (Wed 30 June) → Mon 28.
			[]string{"2027-01-01", "2027-03-25", "2027-03-26", "2027-03-27", "2027-05-01", "2027-06-28", "2027-09-15",
				"2027-10-20", "2027-11-01", "2027-12-25"}},
	}
	for _, tc := range cases {
		t.Run(tc.country, func(t *testing.T) {
			c := mustNew(t, Config{Country: strings.ToLower(tc.country), Timezone: tc.zone})
			for year, want := range map[int][]string{2026: tc.y2026, 2027: tc.y2027} {
				if got := holidaysIn(c, year); !slices.Equal(got, want) {
					t.Errorf("%d:\n got %v\nwant %v", year, got, want)
				}
			}
			if !slices.Contains(Countries(), tc.country) {
				t.Errorf("Countries() lacks %s", tc.country)
			}
		})
	}
}

// TestChileSolstice checks the Pueblos Indígenas day against the dates
// decreed: Monday 21 June 2021 (fixed by the law), then the solstice in
// Chile: 21 June 2022 and 2023, 20 June 2024 and 2025.
func TestChileSolstice(t *testing.T) {
	c := mustNew(t, Config{Country: "CL", Timezone: "America/Santiago"})
	for _, d := range []string{"2021-06-21", "2022-06-21", "2023-06-21", "2024-06-20", "2025-06-20", "2028-06-20"} {
		if name, ok := c.Holiday(at(t, c, d+" 12:00")); !ok || name != "Día Nacional de los Pueblos Indígenas" {
			t.Errorf("%s: got %q, %v", d, name, ok)
		}
	}
	if _, ok := c.Holiday(at(t, c, "2020-06-20 12:00")); ok {
		t.Error("20 June 2020 is a holiday; Ley 21.357 began in 2021")
	}
}

// TestDominicanInaugurationYear: 16 August stays in place the years a
// president takes office, and moves to Monday in the others.
func TestDominicanInaugurationYear(t *testing.T) {
	c := mustNew(t, Config{Country: "DO"})
	for d, want := range map[string]bool{"2024-08-16": true, "2024-08-19": false, "2025-08-18": true, "2025-08-16": false, "2028-08-16": true} {
		if _, ok := c.Holiday(at(t, c, d+" 12:00")); ok != want {
			t.Errorf("%s: holiday %v, want %v", d, ok, want)
		}
	}
}
