package calendar

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rickar/cal/v2"
)

// Config describes a business calendar. It comes from a YAML definition
// file, so every error New returns names the field at fault.
type Config struct {
	Country  string   // ISO 3166-1 alpha-2, one of Countries(); "" means no public holidays
	Timezone string   // IANA name, e.g. "America/Bogota"; "" means UTC
	Hours    string   // working hours "HH:MM-HH:MM", e.g. "08:00-17:30"; "" means "09:00-17:00"
	Days     []string // working weekdays as "mon".."sun"; empty means mon..fri
	Holidays []string // extra company holidays as "YYYY-MM-DD"
}

// Calendar answers business-time questions for one team. It is immutable
// after New except for its holiday cache, which is safe for concurrent use.
type Calendar struct {
	country string
	loc     *time.Location
	open    int           // minutes after local midnight
	close   int           // minutes after local midnight; 1440 means midnight at the end of the day
	dayLen  time.Duration // close-open, the nominal length of one working day
	days    [7]bool       // indexed by time.Weekday
	rules   []*cal.Holiday
	company []civilDay // sorted, unique
	name    string     // String(), built once: every routed lead's SLA cites it

	// years maps a year to its holiday set. Readers load it without locking;
	// a miss builds the year under mu and publishes a new map (copy on
	// write), so the hot path never waits on a lock.
	mu    sync.Mutex
	years atomic.Pointer[map[int]*yearSet]
}

// weekdayNames are the spellings Config.Days accepts, in time.Weekday order.
var weekdayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// companyHolidayName is what Holiday reports for a Config.Holidays date,
// which carries no name of its own in the definition file.
const companyHolidayName = "company holiday"

// Countries lists the country codes Config.Country accepts, sorted, so the
// definition validator and docs can show them.
func Countries() []string {
	out := append(libraryCountries(), "BR", "CA", "CO", "MX", "PE", "US")
	out = append(out, latinAmericaCountries()...)
	slices.Sort(out)
	return out
}

// New validates cfg and builds its calendar. Country codes and weekday names
// are accepted in any case because people type them by hand in YAML.
func New(cfg Config) (*Calendar, error) {
	c := &Calendar{}

	if cfg.Country != "" {
		code := strings.ToUpper(strings.TrimSpace(cfg.Country))
		rules, ok := nationalHolidays(code)
		if !ok {
			return nil, fmt.Errorf("country %q is not supported (supported: %s)",
				cfg.Country, strings.Join(Countries(), ", "))
		}
		c.country, c.rules = code, rules
	}

	switch tz := strings.TrimSpace(cfg.Timezone); tz {
	case "", "UTC":
		c.loc = time.UTC
	case "Local":
		// The server's zone would make the same definition give different
		// deadlines on different machines.
		return nil, fmt.Errorf("timezone %q: want an IANA name such as \"America/Bogota\"", cfg.Timezone)
	default:
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return nil, fmt.Errorf("timezone %q: unknown time zone", cfg.Timezone)
		}
		c.loc = loc
	}

	hours := cfg.Hours
	if strings.TrimSpace(hours) == "" {
		hours = "09:00-17:00"
	}
	open, close, err := parseHours(hours)
	if err != nil {
		return nil, err
	}
	c.open, c.close = open, close
	c.dayLen = time.Duration(close-open) * time.Minute

	if len(cfg.Days) == 0 {
		for wd := time.Monday; wd <= time.Friday; wd++ {
			c.days[wd] = true
		}
	}
	for _, s := range cfg.Days {
		i := slices.Index(weekdayNames[:], strings.ToLower(strings.TrimSpace(s)))
		if i < 0 {
			return nil, fmt.Errorf("days: %q is not a weekday", s)
		}
		c.days[i] = true
	}

	for _, s := range cfg.Holidays {
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("holidays: %q is not a date (YYYY-MM-DD)", s)
		}
		c.company = append(c.company, dayOf(t))
	}
	slices.SortFunc(c.company, civilDay.compare)
	c.company = slices.CompactFunc(c.company, func(a, b civilDay) bool { return a.compare(b) == 0 })

	c.name = c.describe()
	return c, nil
}

// parseHours reads "HH:MM-HH:MM" into minutes after midnight. The end may be
// "24:00" so that round-the-clock teams can say "00:00-24:00"; shifts that
// cross midnight are not supported because a day's window must stay inside
// that day.
func parseHours(s string) (open, close int, err error) {
	from, to, ok := strings.Cut(s, "-")
	if ok {
		open, ok = parseClock(strings.TrimSpace(from), false)
	}
	if ok {
		close, ok = parseClock(strings.TrimSpace(to), true)
	}
	if !ok {
		return 0, 0, fmt.Errorf("hours %q: want HH:MM-HH:MM", s)
	}
	if close <= open {
		return 0, 0, fmt.Errorf("hours %q: end must be after start", s)
	}
	return open, close, nil
}

// parseClock reads "HH:MM" strictly (two digits each) so that "9-5" or
// "9:00" are rejected instead of guessed at.
func parseClock(s string, allow24 bool) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	switch {
	case m > 59:
		return 0, false
	case h == 24 && m == 0 && allow24:
		return 24 * 60, true
	case h > 23:
		return 0, false
	}
	return h*60 + m, true
}

// Location is the zone deadlines are computed and returned in.
func (c *Calendar) Location() *time.Location { return c.loc }

// DayLength is the nominal length of one working day, the unit
// AddBusinessDays counts in.
func (c *Calendar) DayLength() time.Duration { return c.dayLen }

// String summarises the calendar for logs and explanations, e.g.
// "CO America/Bogota mon-fri 08:00-17:00". Company holidays are counted, not
// listed, to keep it one short line.
func (c *Calendar) String() string { return c.name }

func (c *Calendar) describe() string {
	var b strings.Builder
	if c.country != "" {
		b.WriteString(c.country)
		b.WriteByte(' ')
	}
	b.WriteString(c.loc.String())
	b.WriteByte(' ')
	b.WriteString(c.daysString())
	fmt.Fprintf(&b, " %02d:%02d-%02d:%02d", c.open/60, c.open%60, c.close/60, c.close%60)
	if n := len(c.company); n > 0 {
		fmt.Fprintf(&b, " +%d company holiday", n)
		if n > 1 {
			b.WriteByte('s')
		}
	}
	return b.String()
}

// daysString writes the working days Monday first (as the teams read a
// week), collapsing runs: "mon-fri", "mon-wed,fri", "sat,sun" ... "none".
func (c *Calendar) daysString() string {
	var parts []string
	order := [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	for i := 0; i < len(order); {
		if !c.days[order[i]] {
			i++
			continue
		}
		j := i
		for j+1 < len(order) && c.days[order[j+1]] {
			j++
		}
		switch {
		case j == i:
			parts = append(parts, weekdayNames[order[i]])
		case j == i+1:
			parts = append(parts, weekdayNames[order[i]], weekdayNames[order[j]])
		default:
			parts = append(parts, weekdayNames[order[i]]+"-"+weekdayNames[order[j]])
		}
		i = j + 1
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}
