package calendar

import (
	"testing"
	"time"
)

// BenchmarkAddBusinessDays measures the per-lead SLA cost the engine pays
// (docs/PERFORMANCE.md quotes it). Run:
//
//	go test -run '^$' -bench . -benchmem ./internal/calendar/
func BenchmarkAddBusinessDays(b *testing.B) {
	cases := []struct {
		name  string
		cfg   Config
		start string
		n     int
	}{
		{"CO/1day", cfgCO, "2026-12-14 10:00", 1},
		{"CO/1day_over_holiday", cfgCO, "2026-12-07 10:00", 1},
		{"CO/2days_from_saturday", cfgCO, "2026-12-12 11:00", 2},
		{"US_NY/2days_over_DST", cfgNY, "2026-03-06 10:00", 2},
		{"CO/20days", cfgCO, "2026-12-01 10:00", 20},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			c := mustNew(b, bc.cfg)
			start := at(b, c, bc.start)
			c.AddBusinessDays(start, bc.n) // warm the year cache
			b.ReportAllocs()
			for b.Loop() {
				c.AddBusinessDays(start, bc.n)
			}
		})
	}
}

func BenchmarkBusinessTime(b *testing.B) {
	c := mustNew(b, cfgCO)
	from := at(b, c, "2026-12-07 10:00")
	to := at(b, c, "2026-12-10 15:00")
	c.BusinessTime(from, to)
	b.ReportAllocs()
	for b.Loop() {
		c.BusinessTime(from, to)
	}
}

// BenchmarkNew is the cost of compiling a definition's calendar, paid once
// per definition version, plus the first year built on demand.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c, err := New(cfgCO)
		if err != nil {
			b.Fatal(err)
		}
		c.IsWorkday(time.Date(2026, 12, 8, 12, 0, 0, 0, time.UTC))
	}
}

// FuzzAddBusinessHours looks for starts and durations that panic, go
// backwards or break the BusinessTime inverse. Durations are folded into
// 5000 hours of business time, which even the thinnest calendar here (three
// 6-hour days a week) spends in under six years, inside the ten-year horizon
// where the inverse is exact; starts range over years 1..9999 to reach odd
// dates.
func FuzzAddBusinessHours(f *testing.F) {
	f.Add(int64(1796655600), int64(8*time.Hour), uint8(0))   // Mon 2026-12-07 10:00 Bogotá, 1 day over a holiday
	f.Add(int64(1797091200), int64(time.Hour), uint8(1))     // Sat 2026-12-12 11:00 Bogotá
	f.Add(int64(1772830800), int64(2*time.Hour), uint8(2))   // NY, Fri 16:00 before spring forward
	f.Add(int64(1772938800), int64(6*time.Hour), uint8(3))   // NY 24/7 over spring forward
	f.Add(int64(1793505600), int64(3*time.Hour), uint8(3))   // NY 24/7 over fall back
	f.Add(int64(0), int64(0), uint8(4))                      // zero duration
	f.Add(int64(-62135596800), int64(time.Minute), uint8(0)) // year 1
	f.Add(int64(253402300799), int64(time.Hour), uint8(1))   // end of year 9999
	f.Add(int64(1797260400), int64(-time.Hour), uint8(5))    // negative duration
	f.Add(int64(1797260400), int64(1<<63-1), uint8(6))       // huge duration
	f.Add(int64(1709197200), int64(40*time.Hour), uint8(7))  // 29 Feb 2024
	cfgs := []Config{
		cfgCO, cfgCOShort, cfgNY, cfgNY247, cfgMWF,
		{Country: "BR", Timezone: "America/Sao_Paulo", Hours: "08:30-18:00"},
		{Country: "MX", Timezone: "America/Mexico_City", Days: []string{"mon", "tue", "wed", "thu", "fri", "sat"}},
		{Country: "CA", Timezone: "America/Toronto", Hours: "00:00-08:00"},
		{Timezone: "America/Santiago", Hours: "00:00-24:00", Days: []string{"sat", "sun"}}, // DST at midnight
	}
	cals := make([]*Calendar, len(cfgs))
	for i, cfg := range cfgs {
		cals[i] = mustNew(f, cfg)
	}
	const maxD = int64(5000 * time.Hour)
	f.Fuzz(func(t *testing.T, unix, d int64, which uint8) {
		c := cals[int(which)%len(cals)]
		// Keep starts inside years 1..9999, where the time package and the
		// holiday rules are meaningful.
		const lo, hi = -62135596800, 253402300799
		if unix < lo || unix > hi {
			unix = lo + (unix%(hi-lo)+(hi-lo))%(hi-lo)
		}
		start := time.Unix(unix, 0)
		if d > maxD || d < -maxD {
			d %= maxD
		}
		got := c.AddBusinessHours(start, time.Duration(d))
		if got.Before(start) {
			t.Fatalf("%s: AddBusinessHours(%s, %v) = %s, before start", c, start, time.Duration(d), got)
		}
		if d <= 0 {
			if !got.Equal(start) {
				t.Fatalf("%s: AddBusinessHours(%s, %v) = %s, want start", c, start, time.Duration(d), got)
			}
			return
		}
		if bt := c.BusinessTime(start, got); bt != time.Duration(d) {
			t.Fatalf("%s: BusinessTime(%s, %s) = %v, want %v", c, start, got, bt, time.Duration(d))
		}
	})
}
