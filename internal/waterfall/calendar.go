package waterfall

import (
	"context"
	"errors"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/store"
)

// ClockCalendar is the business calendar a clock counts on (its team's, or
// the definition's for the team and policy), so that screens can say how
// much business time is left; nil means plain time.
func (s *Service) ClockCalendar(ctx context.Context, c *store.Clock) (*calendar.Calendar, error) {
	team, err := s.db.Team(ctx, c.Team)
	if errors.Is(err, store.ErrNotFound) {
		team = nil
	} else if err != nil {
		return nil, err
	}
	return s.calendarFor(team, c.Team, s.clockPolicy(c))
}
