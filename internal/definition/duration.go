package definition

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/calendar"
)

// Durations are written the way people say them: "30d", "3w", "12h",
// "90 minutes", "2 weeks", "6 months", and in Spanish or Portuguese
// ("3 semanas", "2 días", "1 mês"). A month is 30 days and a year 365 days.
var durationUnits = map[string]time.Duration{
	"min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"minuto": time.Minute, "minutos": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour, "hora": time.Hour, "horas": time.Hour,
	"d": day, "day": day, "days": day, "día": day, "días": day, "dia": day, "dias": day,
	"w": 7 * day, "wk": 7 * day, "week": 7 * day, "weeks": 7 * day, "semana": 7 * day, "semanas": 7 * day,
	"mo": month, "month": month, "months": month, "mes": month, "meses": month, "mês": month,
	"y": 365 * day, "year": 365 * day, "years": 365 * day, "año": 365 * day, "años": 365 * day, "ano": 365 * day, "anos": 365 * day,
}

const (
	day   = 24 * time.Hour
	month = 30 * day
)

// splitQuantity splits "30d", "3 weeks" or "1.5h" into number and unit.
func splitQuantity(s string) (float64, string, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	if i == 0 {
		return 0, "", fmt.Errorf("%q does not start with a number", s)
	}
	n, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return 0, "", fmt.Errorf("%q is not a number", s[:i])
	}
	return n, strings.ToLower(strings.TrimSpace(s[i:])), nil
}

// ParseDuration reads a duration such as "30d", "3w" or "6 months".
func ParseDuration(s string) (time.Duration, error) {
	n, unit, err := splitQuantity(s)
	if err != nil {
		return 0, fmt.Errorf("duration %w (write it like 30d, 3w, 12h or \"6 months\")", err)
	}
	if unit == "m" {
		return 0, fmt.Errorf("duration %q: \"m\" could mean minutes or months; write min or mo", s)
	}
	u, ok := durationUnits[unit]
	if !ok {
		return 0, fmt.Errorf("duration %q: unknown unit %q (use min, h, d, w, mo or y)", s, unit)
	}
	if n <= 0 || n*float64(u) > float64(100*365*day) {
		return 0, fmt.Errorf("duration %q must be positive and at most 100 years", s)
	}
	return time.Duration(n * float64(u)), nil
}

// parseMonths reads a horizon in months for BANT timing: "6 months", "3d",
// "2 weeks" (a month is 30 days).
func parseMonths(s string) (float64, error) {
	d, err := ParseDuration(s)
	if err != nil {
		return 0, err
	}
	return float64(d) / float64(month), nil
}

// SpanUnit says how a deadline is counted.
type SpanUnit string

const (
	BusinessHours SpanUnit = "business_hours" // only working hours on the calendar count
	BusinessDays  SpanUnit = "business_days"  // working days of the calendar
	ClockTime     SpanUnit = "clock"          // plain elapsed time, nights included
)

// Span is a deadline length such as "1 business day", "4 business hours"
// or "24h" (clock time).
type Span struct {
	N    float64       `json:"n"`
	Unit SpanUnit      `json:"unit"`
	D    time.Duration `json:"-"` // for ClockTime
	Text string        `json:"text"`
}

var businessUnits = map[string]SpanUnit{
	"business day": BusinessDays, "business days": BusinessDays, "bd": BusinessDays,
	"día hábil": BusinessDays, "días hábiles": BusinessDays, "dia hábil": BusinessDays, "dias hábiles": BusinessDays,
	"dia útil": BusinessDays, "dias úteis": BusinessDays, "dia util": BusinessDays, "dias uteis": BusinessDays,
	"business hour": BusinessHours, "business hours": BusinessHours, "bh": BusinessHours,
	"hora hábil": BusinessHours, "horas hábiles": BusinessHours, "hora habil": BusinessHours, "horas habiles": BusinessHours,
	"hora útil": BusinessHours, "horas úteis": BusinessHours, "hora util": BusinessHours, "horas uteis": BusinessHours,
	"dia habil": BusinessDays, "dias habiles": BusinessDays, "día habil": BusinessDays, "días habiles": BusinessDays,
}

// ParseSpan reads "1 business day", "4 business hours", "2 días hábiles" or a
// plain duration ("24h") counted on the clock.
func ParseSpan(s string) (Span, error) {
	n, unit, err := splitQuantity(s)
	if err != nil {
		return Span{}, fmt.Errorf("deadline %w (write it like \"1 business day\", \"4 business hours\" or 24h)", err)
	}
	if u, ok := businessUnits[unit]; ok {
		if n <= 0 || n > 3650 {
			return Span{}, fmt.Errorf("deadline %q must be positive and below 3650", s)
		}
		if u == BusinessDays && n != float64(int(n)) {
			return Span{}, fmt.Errorf("deadline %q: business days must be whole; use business hours for parts of a day", s)
		}
		return Span{N: n, Unit: u, Text: strings.TrimSpace(s)}, nil
	}
	d, err := ParseDuration(s)
	if err != nil {
		return Span{}, fmt.Errorf("deadline %q: want \"N business days\", \"N business hours\" or a duration like 24h", s)
	}
	return Span{N: d.Hours(), Unit: ClockTime, D: d, Text: strings.TrimSpace(s)}, nil
}

// After is the deadline this span after t on a business calendar. Clock
// spans, and any span without a calendar, count plain time.
func (sp Span) After(cal *calendar.Calendar, t time.Time) time.Time {
	if sp.Unit == ClockTime || cal == nil {
		if sp.Unit == ClockTime {
			return t.Add(sp.D)
		}
		return t.Add(time.Duration(sp.N * float64(24*time.Hour)))
	}
	if sp.Unit == BusinessDays {
		return cal.AddBusinessDays(t, int(sp.N))
	}
	return cal.AddBusinessHours(t, time.Duration(sp.N*float64(time.Hour)))
}
