package calendar

import "time"

// maxSpanDays bounds every day-by-day walk (about ten years) so that no
// configuration, however odd, can make the engine loop for long.
const maxSpanDays = 10 * 366

// civilDay is a calendar date with its weekday and day of year, stepped by
// hand rather than derived from instants: a zone whose clocks jump at
// midnight (America/Santiago, historically America/Sao_Paulo) has no 00:00 on
// some days, and stepping through time values could revisit or skip a date.
type civilDay struct {
	y  int
	m  time.Month
	d  int
	wd time.Weekday
	yd int // day of year, 1-based
}

func dayOf(t time.Time) civilDay {
	y, m, d := t.Date()
	return civilDay{y: y, m: m, d: d, wd: t.Weekday(), yd: t.YearDay()}
}

func (c civilDay) next() civilDay {
	c.wd = (c.wd + 1) % 7
	c.d++
	c.yd++
	if c.d > daysIn(c.m, c.y) {
		c.d = 1
		c.m++
		if c.m > time.December {
			c.m = time.January
			c.y++
			c.yd = 1
		}
	}
	return c
}

func (c civilDay) compare(o civilDay) int {
	switch {
	case c.y != o.y:
		return cmpInt(c.y, o.y)
	case c.m != o.m:
		return cmpInt(int(c.m), int(o.m))
	}
	return cmpInt(c.d, o.d)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// daysIn is the length of a month in the proleptic Gregorian calendar, the
// one the time package uses.
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// works reports whether day is a working day; s must be day's year set.
func (c *Calendar) works(day civilDay, s *yearSet) bool {
	return c.days[day.wd] && !s.has(day.yd)
}

// window is the day's opening and closing instant. time.Date in the
// calendar's zone gives the local wall-clock hours on DST days as well.
func (c *Calendar) window(day civilDay) (open, close time.Time) {
	open = time.Date(day.y, day.m, day.d, 0, c.open, 0, 0, c.loc)
	close = time.Date(day.y, day.m, day.d, 0, c.close, 0, 0, c.loc)
	return open, close
}

// IsWorkday reports whether the date of t, in the calendar's zone, is a
// working weekday that is not a public or company holiday.
func (c *Calendar) IsWorkday(t time.Time) bool {
	day := dayOf(t.In(c.loc))
	return c.works(day, c.year(day.y))
}

// AddBusinessHours returns the instant at which d of working time has passed
// since start; see the package documentation for the rules at the edges.
func (c *Calendar) AddBusinessHours(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	t := start.In(c.loc)
	day := dayOf(t)
	s := c.year(day.y)
	for range maxSpanDays {
		if c.works(day, s) {
			open, close := c.window(day)
			if t.Before(open) {
				t = open
			}
			if t.Before(close) {
				avail := close.Sub(t)
				if d <= avail {
					return t.Add(d)
				}
				d -= avail
				t = close
			}
		}
		day = day.next()
		if day.y != s.year {
			s = c.year(day.y)
		}
	}
	// Out of horizon: report its end, a deadline that reads as "never"
	// rather than one that is already due.
	if end := time.Date(day.y, day.m, day.d, 0, 0, 0, 0, c.loc); end.After(t) {
		return end
	}
	return t
}

// AddBusinessDays is AddBusinessHours with n working days of DayLength each,
// so a lead received mid-morning is due at the same time n working days
// later. n <= 0 returns start unchanged.
func (c *Calendar) AddBusinessDays(start time.Time, n int) time.Time {
	// Beyond the horizon the walk stops anyway; capping n first keeps
	// n × DayLength from overflowing.
	n = min(n, maxSpanDays)
	return c.AddBusinessHours(start, time.Duration(n)*c.dayLen)
}

// BusinessTime is the working time between two instants, 0 if to <= from.
// It is the inverse of AddBusinessHours, so SLA reports ("answered in 3h12m
// of business time") agree with the deadlines that were set.
func (c *Calendar) BusinessTime(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	from, to = from.In(c.loc), to.In(c.loc)
	day, last := dayOf(from), dayOf(to)
	s := c.year(day.y)
	var total time.Duration
	for range maxSpanDays {
		if c.works(day, s) {
			open, close := c.window(day)
			if open.Before(from) {
				open = from
			}
			if close.After(to) {
				close = to
			}
			if close.After(open) {
				total += close.Sub(open)
			}
		}
		if day.compare(last) >= 0 {
			break
		}
		day = day.next()
		if day.y != s.year {
			s = c.year(day.y)
		}
	}
	return total
}
