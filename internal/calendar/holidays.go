package calendar

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/us"
)

// nationalHolidays returns the public-holiday rules of a country. The lists
// are built per call (or copied from rickar/cal) so that no Calendar can
// change another's rules, and so this package has no mutable globals.
func nationalHolidays(country string) ([]*cal.Holiday, bool) {
	switch country {
	case "US":
		// The 11 federal holidays, with Saturday→Friday and Sunday→Monday
		// observance (so 1 Jan on a Saturday is observed on 31 Dec).
		return slices.Clone(us.Holidays), true
	case "CA":
		// rickar/cal's federal list: besides the Canada Labour Code days it
		// has Easter Monday (federal public service only); Civic Day and
		// Remembrance Day are not statutory in every province.
		return slices.Clone(ca.Holidays), true
	case "BR":
		// rickar/cal lists 20 November in every year; Lei 14.759/2023 made it
		// a national holiday from 2024 only. It also lists Carnaval (Tuesday) and
		// Corpus Christi, which federal law treats as "ponto facultativo" but
		// which most businesses close for; we keep them.
		return append(slices.DeleteFunc(slices.Clone(br.Holidays), func(h *cal.Holiday) bool { return h == br.ConscienciaNegra }), &cal.Holiday{
			Name:      "Dia Nacional de Zumbi e da Consciência Negra",
			Type:      cal.ObservancePublic,
			Month:     time.November,
			Day:       20,
			Func:      cal.CalcDayOfMonth,
			StartYear: 2024,
		}), true
	case "CO":
		return colombia(), true
	case "MX":
		return mexico(), true
	case "PE":
		return peru(), true
	}
	if h, ok := latinAmerica(country); ok {
		return h, true
	}
	if h, ok := libraryHolidays[country]; ok {
		return slices.Clone(h), true
	}
	return nil, false
}

// colombia follows Ley 51 de 1983 ("Ley Emiliani"), in force since 1984:
// six fixed days, seven days and three Easter-based feasts moved to the
// following Monday, and Holy Thursday and Good Friday left in place.
func colombia() []*cal.Holiday {
	// The move expressed as rickar/cal substitution days: every weekday but
	// Monday goes forward to the next Monday.
	nextMonday := []cal.AltDay{
		{Day: time.Tuesday, Offset: 6},
		{Day: time.Wednesday, Offset: 5},
		{Day: time.Thursday, Offset: 4},
		{Day: time.Friday, Offset: 3},
		{Day: time.Saturday, Offset: 2},
		{Day: time.Sunday, Offset: 1},
	}
	fixed := func(name string, m time.Month, d int) *cal.Holiday {
		return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: m, Day: d, Func: cal.CalcDayOfMonth}
	}
	moved := func(name string, m time.Month, d int) *cal.Holiday {
		h := fixed(name, m, d)
		h.Observed = nextMonday
		return h
	}
	easter := func(name string, offset int, move bool) *cal.Holiday {
		h := &cal.Holiday{Name: name, Type: cal.ObservancePublic, Offset: offset, Func: cal.CalcEasterOffset}
		if move {
			h.Observed = nextMonday
		}
		return h
	}
	return []*cal.Holiday{
		fixed("Año Nuevo", time.January, 1),
		moved("Reyes Magos", time.January, 6),
		moved("San José", time.March, 19),
		easter("Jueves Santo", -3, false),
		easter("Viernes Santo", -2, false),
		fixed("Día del Trabajo", time.May, 1),
		easter("Ascensión del Señor", 39, true), // Thursday → Easter+43
		easter("Corpus Christi", 60, true),      // Thursday → Easter+64
		easter("Sagrado Corazón", 68, true),     // Friday → Easter+71
		moved("San Pedro y San Pablo", time.June, 29),
		fixed("Día de la Independencia", time.July, 20),
		fixed("Batalla de Boyacá", time.August, 7),
		moved("Asunción de la Virgen", time.August, 15),
		moved("Día de la Raza", time.October, 12),
		moved("Todos los Santos", time.November, 1),
		moved("Independencia de Cartagena", time.November, 11),
		fixed("Inmaculada Concepción", time.December, 8),
		fixed("Navidad", time.December, 25),
	}
}

// mexico follows Ley Federal del Trabajo art. 74, the days of mandatory paid
// rest. Since the 2006 reform three of them are Mondays; election days
// (fraction IX) are set case by case and belong in Config.Holidays.
func mexico() []*cal.Holiday {
	fixed := func(name string, m time.Month, d int) *cal.Holiday {
		return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: m, Day: d, Func: cal.CalcDayOfMonth}
	}
	// monday is the nth Monday of m from 2006, and the fixed date m/d before.
	monday := func(name string, m time.Month, d, n int) []*cal.Holiday {
		before := fixed(name, m, d)
		before.EndYear = 2005
		return []*cal.Holiday{before, {
			Name: name, Type: cal.ObservancePublic, Month: m, Weekday: time.Monday, Offset: n,
			Func: cal.CalcWeekdayOffset, StartYear: 2006,
		}}
	}
	return slices.Concat(
		[]*cal.Holiday{fixed("Año Nuevo", time.January, 1)},
		monday("Día de la Constitución", time.February, 5, 1),
		monday("Natalicio de Benito Juárez", time.March, 21, 3),
		[]*cal.Holiday{
			fixed("Día del Trabajo", time.May, 1),
			fixed("Día de la Independencia", time.September, 16),
		},
		monday("Día de la Revolución", time.November, 20, 3),
		[]*cal.Holiday{
			{Name: "Transmisión del Poder Ejecutivo Federal", Type: cal.ObservancePublic, Func: mexicoInauguration},
			fixed("Navidad", time.December, 25),
		},
	)
}

// mexicoInauguration is the day a new president takes office, a rest day
// every six years: 1 December until 2018, 1 October since the 2024 term.
// Other years return the zero time, which Calc passes through as "none".
func mexicoInauguration(_ *cal.Holiday, year int) time.Time {
	switch {
	case year >= 2024 && (year-2024)%6 == 0:
		return time.Date(year, time.October, 1, 0, 0, 0, 0, cal.DefaultLoc)
	case year >= 1934 && year <= 2018 && (year-1934)%6 == 0:
		return time.Date(year, time.December, 1, 0, 0, 0, 0, cal.DefaultLoc)
	}
	return time.Time{}
}

// yearSet is one year's holidays. The bitset answers "is day N a holiday"
// without hashing on the hot path; names is only read by Holiday.
type yearSet struct {
	year  int
	bits  [6]uint64      // bit yd-1 is set when day-of-year yd is a holiday
	names map[int]string // day of year → holiday name(s)
}

func (s *yearSet) has(yd int) bool {
	i := yd - 1
	return s.bits[i>>6]&(1<<(i&63)) != 0
}

func (s *yearSet) add(yd int, name string) {
	i := yd - 1
	s.bits[i>>6] |= 1 << (i & 63)
	switch old := s.names[yd]; {
	case old == "":
		s.names[yd] = name
	case !slices.Contains(strings.Split(old, " / "), name):
		// Two feasts on one day (Colombia 2025: Sagrado Corazón and San
		// Pedro y San Pablo both land on 30 June) show both names.
		s.names[yd] = old + " / " + name
	}
}

// Holiday sets are cached for years in this range; a year outside it (only
// reachable with absurd inputs) is computed on every call so that the cache
// cannot grow without bound.
const (
	minCachedYear = 1900
	maxCachedYear = 2300
)

// year returns the holiday set of a year, building and caching it on first
// use. The read path is one atomic load and one map lookup.
func (c *Calendar) year(y int) *yearSet {
	if m := c.years.Load(); m != nil {
		if s := (*m)[y]; s != nil {
			return s
		}
	}
	if y < minCachedYear || y > maxCachedYear {
		return c.buildYear(y)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.years.Load()
	if old != nil {
		if s := (*old)[y]; s != nil {
			return s
		}
	}
	s := c.buildYear(y)
	next := make(map[int]*yearSet, 8)
	if old != nil {
		maps.Copy(next, *old)
	}
	next[y] = s
	c.years.Store(&next)
	return s
}

// buildYear computes a year's holidays. Observance can cross a year boundary
// (US: 1 Jan 2022, a Saturday, was observed on Friday 31 Dec 2021), so the
// neighbouring years' rules are evaluated too and filtered to this year.
func (c *Calendar) buildYear(y int) *yearSet {
	s := &yearSet{year: y, names: make(map[int]string)}
	for _, h := range c.rules {
		for yy := y - 1; yy <= y+1; yy++ {
			_, observed := h.Calc(yy)
			if observed.IsZero() || observed.Year() != y {
				continue
			}
			s.add(observed.YearDay(), h.Name)
		}
	}
	for _, d := range c.company {
		if d.y == y {
			s.add(d.yd, companyHolidayName)
		}
	}
	return s
}

// Holiday reports whether the calendar date of t, in the calendar's zone, is
// a public or company holiday, and its name. Public holidays are reported on
// their observed date only: in the US, Saturday 4 July 2026 is not reported,
// Friday 3 July is.
func (c *Calendar) Holiday(t time.Time) (name string, ok bool) {
	day := dayOf(t.In(c.loc))
	s := c.year(day.y)
	if !s.has(day.yd) {
		return "", false
	}
	return s.names[day.yd], true
}
