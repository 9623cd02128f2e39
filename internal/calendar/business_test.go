package calendar

import (
	"math/rand/v2"
	"testing"
	"testing/quick"
	"time"
)

// Calendars shared by the deadline tests. December 2026 in Colombia: Tue 8
// and Fri 25 are holidays; 2027-01-01 (Fri) too.
var (
	cfgCO      = Config{Country: "CO", Timezone: "America/Bogota"}
	cfgCOShort = Config{Country: "CO", Timezone: "America/Bogota", Hours: "08:00-12:30"}
	cfgNY      = Config{Country: "US", Timezone: "America/New_York"}
	cfgNY247   = Config{Timezone: "America/New_York", Hours: "00:00-24:00",
		Days: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}}
	cfgMWF = Config{Hours: "10:00-16:00", Days: []string{"mon", "wed", "fri"}}
)

func TestAddBusinessHours(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		start string
		d     time.Duration
		want  string
	}{
		{"inside the day", cfgCO, "2026-12-14 10:00", 2 * time.Hour, "2026-12-14 12:00"},
		{"across the night", cfgCO, "2026-12-14 16:00", 2 * time.Hour, "2026-12-15 10:00"},
		{"across the weekend", cfgCO, "2026-12-11 16:00", 2 * time.Hour, "2026-12-14 10:00"},
		{"across a holiday", cfgCO, "2026-12-07 16:00", 2 * time.Hour, "2026-12-09 10:00"},
		{"before opening", cfgCO, "2026-12-14 06:30", time.Hour, "2026-12-14 10:00"},
		{"after closing", cfgCO, "2026-12-14 18:00", time.Hour, "2026-12-15 10:00"},
		{"on a holiday", cfgCO, "2026-12-08 11:00", time.Hour, "2026-12-09 10:00"},
		{"on a Saturday", cfgCO, "2026-12-12 11:00", time.Hour, "2026-12-14 10:00"},
		{"Sunday night", cfgCO, "2026-12-13 23:59", time.Minute, "2026-12-14 09:01"},
		{"ends exactly at closing", cfgCO, "2026-12-14 15:00", 2 * time.Hour, "2026-12-14 17:00"},
		{"starts exactly at closing", cfgCO, "2026-12-14 17:00", time.Hour, "2026-12-15 10:00"},
		{"starts exactly at opening", cfgCO, "2026-12-14 09:00", 8 * time.Hour, "2026-12-14 17:00"},
		{"whole week to Friday close", cfgCO, "2026-12-14 09:00", 40 * time.Hour, "2026-12-18 17:00"},
		{"one hour past the week", cfgCO, "2026-12-14 09:00", 41 * time.Hour, "2026-12-21 10:00"},
		{"Christmas week", cfgCO, "2026-12-23 16:00", 16 * time.Hour, "2026-12-28 16:00"},
		{"across New Year", cfgCO, "2026-12-31 16:00", 2 * time.Hour, "2027-01-04 10:00"},
		{"seconds carry over", cfgCO, "2026-12-14 16:59:30", time.Minute, "2026-12-15 09:00:30"},
		{"one second at close", cfgCO, "2026-12-14 17:00", time.Second, "2026-12-15 09:00:01"},
		{"zero duration is start", cfgCO, "2026-12-12 11:00", 0, "2026-12-12 11:00"},
		{"negative duration is start", cfgCO, "2026-12-08 11:00", -time.Hour, "2026-12-08 11:00"},
		{"short day: over lunch", cfgCOShort, "2026-12-14 12:00", time.Hour, "2026-12-15 08:30"},
		{"short day: to the minute", cfgCOShort, "2026-12-14 07:00", 4*time.Hour + 30*time.Minute, "2026-12-14 12:30"},
		{"short day: afternoon start", cfgCOShort, "2026-12-14 14:00", 30 * time.Minute, "2026-12-15 08:30"},
		{"mon-wed-fri", cfgMWF, "2026-12-14 15:00", 2 * time.Hour, "2026-12-16 11:00"},
		{"mon-wed-fri from Friday", cfgMWF, "2026-12-18 15:00", 8 * time.Hour, "2026-12-23 11:00"},
		{"round the clock over midnight", cfgNY247, "2026-12-12 23:00", 2 * time.Hour, "2026-12-13 01:00"},
		{"round the clock to midnight", cfgNY247, "2026-12-12 22:00", 2 * time.Hour, "2026-12-13 00:00"},
		// DST in America/New_York: 2026-03-08 02:00 EST → 03:00 EDT and
		// 2026-11-01 02:00 EDT → 01:00 EST, both Sundays.
		{"spring forward, office hours", cfgNY, "2026-03-06 16:00", 2 * time.Hour, "2026-03-09 10:00"},
		{"fall back, office hours", cfgNY, "2026-10-30 16:00", 2 * time.Hour, "2026-11-02 10:00"},
		{"spring forward inside the window", cfgNY247, "2026-03-07 22:00", 6 * time.Hour, "2026-03-08 05:00"},
		{"fall back inside the window", cfgNY247, "2026-11-01 00:00", 3 * time.Hour, "2026-11-01 02:00"},
		{"US Thanksgiving", cfgNY, "2026-11-25 16:00", 2 * time.Hour, "2026-11-27 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustNew(t, tt.cfg)
			start, want := at(t, c, tt.start), at(t, c, tt.want)
			got := c.AddBusinessHours(start, tt.d)
			if !got.Equal(want) {
				t.Errorf("AddBusinessHours(%s, %v) = %s, want %s", tt.start, tt.d, got, want)
			}
			if tt.d > 0 && got.Location() != c.Location() {
				t.Errorf("result in %v, want %v", got.Location(), c.Location())
			}
		})
	}
}

func TestAddBusinessDays(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		start string
		n     int
		want  string
	}{
		// The must-pass example of the product spec: 8 December is a holiday.
		{"spec: CO over Inmaculada Concepción", cfgCO, "2026-12-07 10:00", 1, "2026-12-09 10:00"},
		{"Monday to Tuesday", cfgCO, "2026-12-14 10:00", 1, "2026-12-15 10:00"},
		{"Saturday lead is due Monday close", cfgCO, "2026-12-12 11:00", 1, "2026-12-14 17:00"},
		{"before opening is due at close", cfgCO, "2026-12-14 07:00", 1, "2026-12-14 17:00"},
		{"after closing is due next close", cfgCO, "2026-12-14 18:30", 1, "2026-12-15 17:00"},
		{"Friday to Monday", cfgCO, "2026-12-11 10:00", 1, "2026-12-14 10:00"},
		{"one week", cfgCO, "2026-12-11 10:00", 5, "2026-12-18 10:00"},
		{"two days over Christmas", cfgCO, "2026-12-23 10:00", 2, "2026-12-28 10:00"},
		{"twenty days", cfgCO, "2026-12-01 10:00", 20, "2026-12-31 10:00"},
		{"twenty-one days over New Year", cfgCO, "2026-12-01 10:00", 21, "2027-01-04 10:00"},
		{"zero days", cfgCO, "2026-12-12 11:00", 0, "2026-12-12 11:00"},
		{"negative days", cfgCO, "2026-12-12 11:00", -3, "2026-12-12 11:00"},
		{"short day", cfgCOShort, "2026-12-14 10:00", 1, "2026-12-15 10:00"},
		{"mon-wed-fri", cfgMWF, "2026-12-14 11:00", 2, "2026-12-18 11:00"},
		{"NY over spring forward", cfgNY, "2026-03-06 10:00", 1, "2026-03-09 10:00"},
		{"NY over fall back", cfgNY, "2026-10-30 10:00", 1, "2026-11-02 10:00"},
		{"NY over Thanksgiving", cfgNY, "2026-11-25 10:00", 1, "2026-11-27 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustNew(t, tt.cfg)
			start, want := at(t, c, tt.start), at(t, c, tt.want)
			if got := c.AddBusinessDays(start, tt.n); !got.Equal(want) {
				t.Errorf("AddBusinessDays(%s, %d) = %s, want %s", tt.start, tt.n, got, want)
			}
		})
	}
}

// TestResultLocation: inputs in any zone come back in the calendar's zone,
// so a deadline prints as the team reads its clock.
func TestResultLocation(t *testing.T) {
	c := mustNew(t, cfgCO)
	start := time.Date(2026, 12, 14, 15, 0, 0, 0, time.UTC) // 10:00 in Bogotá
	got := c.AddBusinessDays(start, 1)
	if want := "2026-12-15 10:00 -05"; got.Format("2006-01-02 15:04 -07") != want {
		t.Errorf("AddBusinessDays = %s, want %s", got.Format("2006-01-02 15:04 -07"), want)
	}
}

func TestBusinessTime(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		from, to string
		want     time.Duration
	}{
		{"same day", cfgCO, "2026-12-14 10:00", "2026-12-14 12:00", 2 * time.Hour},
		{"equal instants", cfgCO, "2026-12-14 10:00", "2026-12-14 10:00", 0},
		{"to before from", cfgCO, "2026-12-14 12:00", "2026-12-14 10:00", 0},
		{"overnight", cfgCO, "2026-12-14 16:00", "2026-12-15 10:00", 2 * time.Hour},
		{"over the weekend", cfgCO, "2026-12-11 16:00", "2026-12-14 10:00", 2 * time.Hour},
		{"over a holiday", cfgCO, "2026-12-07 10:00", "2026-12-09 10:00", 8 * time.Hour},
		{"both outside hours", cfgCO, "2026-12-14 18:00", "2026-12-15 08:00", 0},
		{"whole weekend", cfgCO, "2026-12-12 00:00", "2026-12-14 00:00", 0},
		{"inside a holiday", cfgCO, "2026-12-08 09:00", "2026-12-08 17:00", 0},
		{"whole week", cfgCO, "2026-12-14 00:00", "2026-12-21 00:00", 40 * time.Hour},
		{"Christmas week", cfgCO, "2026-12-21 00:00", "2026-12-28 00:00", 32 * time.Hour},
		{"from before opening", cfgCO, "2026-12-14 05:00", "2026-12-14 09:30", 30 * time.Minute},
		{"to after closing", cfgCO, "2026-12-14 16:30", "2026-12-14 23:00", 30 * time.Minute},
		{"a year", cfgCO, "2026-01-01 00:00", "2027-01-01 00:00", (261 - 18) * 8 * time.Hour},
		{"short day", cfgCOShort, "2026-12-14 12:00", "2026-12-15 08:30", time.Hour},
		{"NY over spring forward", cfgNY, "2026-03-06 16:00", "2026-03-09 10:00", 2 * time.Hour},
		{"NY over fall back", cfgNY, "2026-10-30 16:00", "2026-11-02 10:00", 2 * time.Hour},
		{"23-hour day", cfgNY247, "2026-03-08 00:00", "2026-03-09 00:00", 23 * time.Hour},
		{"25-hour day", cfgNY247, "2026-11-01 00:00", "2026-11-02 00:00", 25 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustNew(t, tt.cfg)
			from, to := at(t, c, tt.from), at(t, c, tt.to)
			if got := c.BusinessTime(from, to); got != tt.want {
				t.Errorf("BusinessTime(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

// checkInverse asserts the contract between AddBusinessHours and
// BusinessTime for one start and duration, and that the deadline is a
// moment someone is at work.
func checkInverse(t *testing.T, c *Calendar, start time.Time, d time.Duration) bool {
	t.Helper()
	got := c.AddBusinessHours(start, d)
	if got.Before(start) {
		t.Errorf("%s: AddBusinessHours(%s, %v) = %s, before start", c, start, d, got)
		return false
	}
	if bt := c.BusinessTime(start, got); bt != d {
		t.Errorf("%s: BusinessTime(%s, AddBusinessHours(.., %v) = %s) = %v", c, start, d, got, bt)
		return false
	}
	if !c.IsWorkday(got.Add(-time.Nanosecond)) {
		t.Errorf("%s: AddBusinessHours(%s, %v) = %s, just after a non-working day", c, start, d, got)
		return false
	}
	return true
}

// TestBusinessTimeInverse checks BusinessTime(s, AddBusinessHours(s, d)) == d
// over a grid of starts (inside and outside working time, across holidays
// and both DST changes) and durations from a nanosecond to months.
func TestBusinessTimeInverse(t *testing.T) {
	durations := []time.Duration{
		time.Nanosecond, time.Second, time.Minute, 59 * time.Minute, time.Hour,
		4*time.Hour + 30*time.Minute, 7*time.Hour + 59*time.Minute, 8 * time.Hour,
		8*time.Hour + time.Minute, 16 * time.Hour, 40 * time.Hour, 100 * time.Hour, 1000 * time.Hour,
	}
	windows := []string{"2026-03-02 00:00", "2026-10-26 00:00", "2026-12-04 00:00"}
	for _, cfg := range []Config{cfgCO, cfgCOShort, cfgNY, cfgNY247, cfgMWF} {
		c := mustNew(t, cfg)
		for _, w := range windows {
			base := at(t, c, w)
			for m := 0; m < 14*24*60; m += 37 {
				start := base.Add(time.Duration(m) * time.Minute)
				for _, d := range durations {
					if !checkInverse(t, c, start, d) {
						return
					}
				}
			}
		}
	}
}

// TestBusinessTimeInverseQuick is the same property on random starts in
// 2024-2029 and random durations up to a year of business time.
func TestBusinessTimeInverseQuick(t *testing.T) {
	for _, cfg := range []Config{cfgCO, cfgNY, cfgNY247, {Country: "BR", Timezone: "America/Sao_Paulo", Hours: "08:30-18:00"}} {
		c := mustNew(t, cfg)
		base := time.Date(2024, 1, 1, 0, 0, 0, 0, c.Location())
		prop := func(startSec uint32, d uint64) bool {
			start := base.Add(time.Duration(startSec%(6*365*86400)) * time.Second)
			return checkInverse(t, c, start, time.Duration(d%uint64(2000*time.Hour))+1)
		}
		qc := &quick.Config{MaxCount: 2000}
		if err := quick.Check(prop, qc); err != nil {
			t.Error(err)
		}
	}
}

// TestMonotonic: a longer SLA never gives an earlier deadline.
func TestMonotonic(t *testing.T) {
	c := mustNew(t, cfgCO)
	r := rand.New(rand.NewPCG(1, 2))
	base := at(t, c, "2026-01-01 00:00")
	for range 5000 {
		start := base.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
		d1 := time.Duration(r.Int64N(int64(200 * time.Hour)))
		d2 := d1 + time.Duration(r.Int64N(int64(10*time.Hour)))
		if a, b := c.AddBusinessHours(start, d1), c.AddBusinessHours(start, d2); b.Before(a) {
			t.Fatalf("AddBusinessHours(%s, %v) = %s after AddBusinessHours(.., %v) = %s", start, d1, a, d2, b)
		}
	}
}

// TestHorizon: a calendar with no working time for more than ten years must
// still answer at once, with a deadline at the end of the horizon rather
// than "now".
func TestHorizon(t *testing.T) {
	var sundays []string
	for d := time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC); d.Year() < 2038; d = d.AddDate(0, 0, 7) {
		sundays = append(sundays, d.Format(time.DateOnly))
	}
	c := mustNew(t, Config{Days: []string{"sun"}, Holidays: sundays})
	start := at(t, c, "2026-01-01 10:00")
	for _, got := range []time.Time{
		c.AddBusinessHours(start, time.Hour),
		c.AddBusinessDays(start, 1),
		c.AddBusinessDays(start, int(^uint(0)>>1)), // no overflow of n × day
		c.AddBusinessHours(start, time.Duration(1<<63-1)),
	} {
		if got.Sub(start) < 9*365*24*time.Hour {
			t.Errorf("deadline %s is before the ten-year horizon", got)
		}
		if bt := c.BusinessTime(start, got); bt != 0 {
			t.Errorf("BusinessTime(start, %s) = %v, want 0", got, bt)
		}
	}
	// BusinessTime over a span far longer than the horizon stays bounded.
	co := mustNew(t, cfgCO)
	far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	if bt := co.BusinessTime(start, far); bt <= 0 || bt > 10*366*8*time.Hour {
		t.Errorf("BusinessTime to year 9999 = %v, want at most ten years of working time", bt)
	}
}

// TestNoAllocs holds the engine's budget: after the year cache is warm the
// deadline functions do not allocate.
func TestNoAllocs(t *testing.T) {
	c := mustNew(t, cfgCO)
	start := at(t, c, "2026-12-07 10:00")
	c.AddBusinessDays(start, 30) // warm the year cache
	c.AddBusinessDays(start.AddDate(1, 0, 0), 30)
	funcs := map[string]func(){
		"AddBusinessDays":  func() { c.AddBusinessDays(start, 2) },
		"AddBusinessHours": func() { c.AddBusinessHours(start, 20*time.Hour) },
		"BusinessTime":     func() { c.BusinessTime(start, start.Add(72*time.Hour)) },
		"IsWorkday":        func() { c.IsWorkday(start) },
		"Holiday":          func() { c.Holiday(start.Add(24 * time.Hour)) },
	}
	for name, f := range funcs {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times per call", name, n)
		}
	}
}
