package engine

import (
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/definition"
)

// addSpan moves t forward by a deadline span on a business calendar. Clock
// spans ignore the calendar.
func addSpan(cal *calendar.Calendar, t time.Time, sp definition.Span) time.Time {
	if sp.Unit == definition.ClockTime || cal == nil {
		if sp.Unit == definition.ClockTime {
			return t.Add(sp.D)
		}
		return t.Add(time.Duration(sp.N * float64(24*time.Hour)))
	}
	if sp.Unit == definition.BusinessDays {
		return cal.AddBusinessDays(t, int(sp.N))
	}
	return cal.AddBusinessHours(t, time.Duration(sp.N*float64(time.Hour)))
}
