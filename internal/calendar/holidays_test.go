package calendar

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// holidaysIn lists every date of year y that c reports as a holiday, by
// asking day by day, so the test sees exactly what the engine sees.
func holidaysIn(c *Calendar, y int) []string {
	var got []string
	for d := time.Date(y, 1, 1, 12, 0, 0, 0, c.Location()); d.Year() == y; d = d.AddDate(0, 0, 1) {
		if _, ok := c.Holiday(d); ok {
			got = append(got, d.Format(time.DateOnly))
		}
	}
	return got
}

// TestColombiaHolidays lists the Ley Emiliani dates worked out by hand from
// the rules (Easter 2025-04-20, 2026-04-05, 2027-03-28). In 2025 Sagrado
// Corazón and San Pedro y San Pablo share Monday 30 June, so that year has
// 17 dates for 18 holidays.
func TestColombiaHolidays(t *testing.T) {
	want := map[int][]string{
		2025: {
			"2025-01-01", // Año Nuevo (Wed)
			"2025-01-06", // Reyes Magos (already Monday)
			"2025-03-24", // San José (Wed 19 → Mon)
			"2025-04-17", // Jueves Santo
			"2025-04-18", // Viernes Santo
			"2025-05-01", // Día del Trabajo
			"2025-06-02", // Ascensión (Easter+43)
			"2025-06-23", // Corpus Christi (Easter+64)
			"2025-06-30", // Sagrado Corazón (Easter+71) and San Pedro (Sun 29 → Mon)
			"2025-07-20", // Independencia (Sunday, not moved)
			"2025-08-07", // Batalla de Boyacá
			"2025-08-18", // Asunción (Fri 15 → Mon)
			"2025-10-13", // Día de la Raza (Sun 12 → Mon)
			"2025-11-03", // Todos los Santos (Sat 1 → Mon)
			"2025-11-17", // Independencia de Cartagena (Tue 11 → Mon)
			"2025-12-08", // Inmaculada Concepción
			"2025-12-25", // Navidad
		},
		2026: {
			"2026-01-01", "2026-01-12", "2026-03-23", "2026-04-02", "2026-04-03",
			"2026-05-01", "2026-05-18", "2026-06-08", "2026-06-15", "2026-06-29",
			"2026-07-20", "2026-08-07", "2026-08-17", "2026-10-12", "2026-11-02",
			"2026-11-16", "2026-12-08", "2026-12-25",
		},
		2027: {
			"2027-01-01", // Año Nuevo
			"2027-01-11", // Reyes Magos (Wed 6 → Mon)
			"2027-03-22", // San José (Fri 19 → Mon)
			"2027-03-25", // Jueves Santo
			"2027-03-26", // Viernes Santo
			"2027-05-01", // Día del Trabajo (Saturday, not moved)
			"2027-05-10", // Ascensión
			"2027-05-31", // Corpus Christi
			"2027-06-07", // Sagrado Corazón
			"2027-07-05", // San Pedro y San Pablo (Tue 29 Jun → Mon)
			"2027-07-20", // Independencia
			"2027-08-07", // Batalla de Boyacá (Saturday)
			"2027-08-16", // Asunción (Sun 15 → Mon)
			"2027-10-18", // Día de la Raza (Tue 12 → Mon)
			"2027-11-01", // Todos los Santos (already Monday)
			"2027-11-15", // Independencia de Cartagena (Thu 11 → Mon)
			"2027-12-08", // Inmaculada Concepción
			"2027-12-25", // Navidad (Saturday)
		},
	}
	c := mustNew(t, Config{Country: "CO", Timezone: "America/Bogota"})
	for _, year := range []int{2025, 2026, 2027} {
		t.Run(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006"), func(t *testing.T) {
			for _, d := range want[year] {
				if _, ok := c.Holiday(at(t, c, d+" 12:00")); !ok {
					t.Errorf("%s is not a holiday", d)
				}
			}
			got := holidaysIn(c, year)
			if len(got) != len(want[year]) || !slices.Equal(got, want[year]) {
				t.Errorf("%d has %d holidays, want %d\n got: %v\nwant: %v", year, len(got), len(want[year]), got, want[year])
			}
		})
	}
}

func TestHolidayNames(t *testing.T) {
	tests := []struct {
		country, date, want string // want "" means not a holiday
	}{
		// Colombia, names in Spanish.
		{"CO", "2026-12-08", "Inmaculada Concepción"},
		{"CO", "2026-01-12", "Reyes Magos"},
		{"CO", "2026-05-18", "Ascensión del Señor"},
		{"CO", "2025-06-30", "Sagrado Corazón / San Pedro y San Pablo"},
		{"CO", "2026-01-06", ""}, // moved to the 12th
		{"CO", "2026-05-14", ""}, // Ascension Thursday itself is worked

		// United States: federal list, observed dates only.
		{"US", "2026-11-26", "Thanksgiving Day"},
		{"US", "2026-07-03", "Independence Day"}, // 4 July is a Saturday
		{"US", "2026-07-04", ""},
		{"US", "2021-12-31", "New Year's Day"}, // 1 Jan 2022 was a Saturday
		{"US", "2022-01-01", ""},
		{"US", "2026-06-19", "Juneteenth"},
		{"US", "2020-06-19", ""}, // federal from 2021
		{"US", "2026-04-03", ""}, // no Good Friday
		{"US", "2026-11-27", ""}, // day after Thanksgiving is not federal

		// Mexico: LFT art. 74, Mondays since 2006.
		{"MX", "2026-02-02", "Día de la Constitución"},
		{"MX", "2026-02-05", ""},
		{"MX", "2005-02-05", "Día de la Constitución"}, // before the reform
		{"MX", "2026-03-16", "Natalicio de Benito Juárez"},
		{"MX", "2026-09-16", "Día de la Independencia"},
		{"MX", "2026-11-16", "Día de la Revolución"},
		{"MX", "2024-10-01", "Transmisión del Poder Ejecutivo Federal"},
		{"MX", "2030-10-01", "Transmisión del Poder Ejecutivo Federal"},
		{"MX", "2018-12-01", "Transmisión del Poder Ejecutivo Federal"},
		{"MX", "2026-10-01", ""},
		{"MX", "2026-04-03", ""}, // Holy Week is customary, not statutory

		// Brazil: rickar/cal's list plus Consciência Negra from 2024.
		{"BR", "2026-04-21", "Tiradentes"},
		{"BR", "2026-02-17", "Carnaval"},
		{"BR", "2026-02-16", ""}, // Carnival Monday is not in the list
		{"BR", "2026-04-03", "Sexta-feira Santa"},
		{"BR", "2026-06-04", "Corpus Christi"},
		{"BR", "2026-11-20", "Dia Nacional de Zumbi e da Consciência Negra"},
		{"BR", "2023-11-20", ""},
		{"BR", "2026-11-15", "Proclamação da República"}, // Sunday, Brazil does not move it
		{"BR", "2026-11-16", ""},

		// Canada: rickar/cal's federal list, weekend days observed on Monday.
		{"CA", "2026-07-01", "Canada Day"},
		{"CA", "2023-07-03", "Canada Day"}, // 1 July 2023 was a Saturday
		{"CA", "2023-07-01", ""},
		{"CA", "2026-12-28", "Boxing Day"},    // 26 Dec 2026 is a Saturday
		{"CA", "2027-12-27", "Christmas Day"}, // 25 Dec 2027 is a Saturday
		{"CA", "2027-12-28", "Boxing Day"},
		{"CA", "2026-04-06", "Easter Monday"},
		{"CA", "2026-09-30", "National Day for Truth and Reconciliation"},

		// No country: no public holidays at all.
		{"", "2026-12-25", ""},
		{"", "2026-01-01", ""},
	}
	cals := map[string]*Calendar{}
	for _, tt := range tests {
		c := cals[tt.country]
		if c == nil {
			c = mustNew(t, Config{Country: tt.country})
			cals[tt.country] = c
		}
		name, ok := c.Holiday(at(t, c, tt.date+" 12:00"))
		if ok != (tt.want != "") || name != tt.want {
			t.Errorf("%s Holiday(%s) = %q, %v; want %q", tt.country, tt.date, name, ok, tt.want)
		}
	}
}

func TestCompanyHolidays(t *testing.T) {
	c := mustNew(t, Config{Country: "CO", Holidays: []string{"2026-12-24", "2026-12-08", "2025-12-31"}})
	tests := []struct {
		date, want string
	}{
		{"2026-12-24", "company holiday"},
		{"2025-12-31", "company holiday"},
		{"2026-12-08", "Inmaculada Concepción / company holiday"},
		{"2026-12-31", ""}, // a date, not a yearly rule
		{"2026-12-23", ""},
	}
	for _, tt := range tests {
		name, ok := c.Holiday(at(t, c, tt.date+" 12:00"))
		if ok != (tt.want != "") || name != tt.want {
			t.Errorf("Holiday(%s) = %q, %v; want %q", tt.date, name, ok, tt.want)
		}
	}
}

// TestHolidayUsesCalendarZone checks that the date is taken in the calendar's
// zone: 22:00 on 8 December in Bogotá is already the 9th in UTC.
func TestHolidayUsesCalendarZone(t *testing.T) {
	c := mustNew(t, Config{Country: "CO", Timezone: "America/Bogota"})
	tests := []struct {
		utc         string
		wantHoliday bool
		wantWorkday bool
	}{
		{"2026-12-09T03:00:00Z", true, false},  // Tue 8 Dec 22:00 in Bogotá
		{"2026-12-08T03:00:00Z", false, true},  // Mon 7 Dec 22:00 in Bogotá
		{"2026-12-09T05:00:00Z", false, true},  // Wed 9 Dec 00:00 in Bogotá
		{"2026-12-13T03:00:00Z", false, false}, // Sat 12 Dec 22:00 in Bogotá
	}
	for _, tt := range tests {
		ts, err := time.Parse(time.RFC3339, tt.utc)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Holiday(ts); ok != tt.wantHoliday {
			t.Errorf("Holiday(%s) = %v, want %v", tt.utc, ok, tt.wantHoliday)
		}
		if got := c.IsWorkday(ts); got != tt.wantWorkday {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.utc, got, tt.wantWorkday)
		}
	}
}

func TestIsWorkday(t *testing.T) {
	co := mustNew(t, Config{Country: "CO", Timezone: "America/Bogota"})
	weekend := mustNew(t, Config{Country: "CO", Timezone: "America/Bogota", Days: []string{"sat", "sun"}})
	tests := []struct {
		c    *Calendar
		date string
		want bool
	}{
		{co, "2026-12-07 03:00", true},  // Monday, before hours still counts as the day
		{co, "2026-12-08 10:00", false}, // holiday
		{co, "2026-12-12 10:00", false}, // Saturday
		{co, "2026-12-13 10:00", false}, // Sunday
		{weekend, "2026-12-12 10:00", true},
		{weekend, "2026-12-07 10:00", false},
		{weekend, "2026-07-20 10:00", false}, // Monday and a holiday
		{weekend, "2025-07-20 10:00", false}, // Sunday but a holiday
	}
	for _, tt := range tests {
		if got := tt.c.IsWorkday(at(t, tt.c, tt.date)); got != tt.want {
			t.Errorf("%s IsWorkday(%s) = %v, want %v", tt.c, tt.date, got, tt.want)
		}
	}
}

// TestConcurrentHolidayCache lets many goroutines fill the lazy year cache
// at once; run with -race. Each must see the same answers as a calendar
// filled by one goroutine.
func TestConcurrentHolidayCache(t *testing.T) {
	cfg := Config{Country: "CO", Timezone: "America/Bogota"}
	ref := mustNew(t, cfg)
	want := map[int][]string{}
	for y := 2000; y <= 2040; y++ {
		want[y] = holidaysIn(ref, y)
	}
	c := mustNew(t, cfg)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 41 {
				y := 2000 + (i*7+g*5)%41
				if got := holidaysIn(c, y); !slices.Equal(got, want[y]) {
					t.Errorf("goroutine %d, year %d: got %v, want %v", g, y, got, want[y])
				}
				start := time.Date(y, 3, 1, 10, 0, 0, 0, c.Location())
				if a, b := c.AddBusinessDays(start, 30), ref.AddBusinessDays(start, 30); !a.Equal(b) {
					t.Errorf("goroutine %d: AddBusinessDays(%v, 30) = %v, want %v", g, start, a, b)
				}
			}
		})
	}
	wg.Wait()
}

// TestFarYears exercises years outside the cached range: they must work
// (computed on each call) and leave the cache alone.
func TestFarYears(t *testing.T) {
	c := mustNew(t, Config{Country: "US"})
	for _, y := range []int{1, 1776, 2500, 9999} {
		// Christmas is observed on the 24th, 25th or 26th depending on
		// the weekday, in any year.
		found := false
		for d := 24; d <= 26; d++ {
			if name, ok := c.Holiday(time.Date(y, 12, d, 12, 0, 0, 0, time.UTC)); ok && name == "Christmas Day" {
				found = true
			}
		}
		if !found {
			t.Errorf("no Christmas holiday around %d-12-25", y)
		}
	}
	if m := c.years.Load(); m != nil {
		for y := range *m {
			if y < minCachedYear || y > maxCachedYear {
				t.Errorf("year %d was cached", y)
			}
		}
	}
}
