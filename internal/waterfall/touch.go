package waterfall

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/suggest"
)

// Touches and the first-touch clock: recording contacts, pausing and
// resuming.

// Touch kinds and outcomes.
var (
	TouchKinds    = []string{"call", "email", "meeting", "message"}
	TouchOutcomes = []string{"connected", "voicemail", "no_answer", "replied", "sent", "bounced", "held", "no_show", "wrong_number"}
)

// TouchInput is a contact with the lead.
type TouchInput struct {
	Kind    string
	Outcome string
	Note    string
	At      time.Time // zero means now
}

// Touch records a contact with the lead. The first touch after routing
// stops the first-touch clock: met if in time, else it stays breached.
func (s *Service) Touch(ctx context.Context, leadID int64, a Actor, in TouchInput) (*View, error) {
	var bad []problem.Field
	if !slices.Contains(TouchKinds, in.Kind) {
		bad = append(bad, problem.Field{Name: "kind", Reason: fmt.Sprintf("%q%s; use one of %s", in.Kind, suggest.Hint(in.Kind, TouchKinds), strings.Join(TouchKinds, ", "))})
	}
	if !slices.Contains(TouchOutcomes, in.Outcome) {
		bad = append(bad, problem.Field{Name: "outcome", Reason: fmt.Sprintf("%q%s; use one of %s", in.Outcome, suggest.Hint(in.Outcome, TouchOutcomes), strings.Join(TouchOutcomes, ", "))})
	}
	if len(in.Note) > 4000 {
		bad = append(bad, problem.Field{Name: "note", Reason: "longer than 4,000 characters"})
	}
	if len(bad) > 0 {
		return nil, problem.Fields("the touch has invalid fields", bad...)
	}
	return s.act(ctx, leadID, func(tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) error {
		at := in.At
		if at.IsZero() {
			at = now
		}
		if at.After(now.Add(5 * time.Minute)) {
			return problem.Fields("a touch cannot be in the future", problem.Field{Name: "at", Reason: "after now"})
		}
		if !stage.Open(l.Stage()) {
			return problem.New(problem.Conflict, "lead %d is %s; touches are recorded on leads sales is working", l.ID, l.Stage())
		}
		if err := s.mayWork(ctx, tx, a, cur, "recording a touch"); err != nil {
			return err
		}
		t := &store.Touch{LeadID: l.ID, UserID: a.id(), Kind: in.Kind, Outcome: in.Outcome, Note: in.Note, At: at, RecordedAt: now}
		if err := tx.InsertTouch(ctx, t); err != nil {
			return err
		}
		data := map[string]any{"touch": t.ID, "by": a.Name, "kind": t.Kind, "outcome": t.Outcome, "at": at}
		c, err := tx.LatestClock(ctx, l.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if c != nil && c.TouchedAt == nil && at.After(c.StartedAt.Add(-time.Second)) {
			c.TouchedAt = &at
			switch c.Status {
			case store.ClockPending, store.ClockPaused:
				if at.After(c.DueAt) {
					c.Status, c.BreachedAt = store.ClockBreached, ptr(c.DueAt)
				} else {
					c.Status = store.ClockMet
				}
				c.PausedAt = nil
			}
			if err := tx.UpdateClock(ctx, c); err != nil {
				return err
			}
			if err := tx.CancelTimers(ctx, l.ID, now, store.TimerBreach, store.TimerEscalate, store.TimerDueSoon); err != nil {
				return err
			}
			data["clock"], data["clock_status"] = c.ID, c.Status
		}
		if err := tx.AddTimeline(ctx, l.ID, now, "touch", data); err != nil {
			return err
		}
		return tx.Emit(ctx, store.OutEvent{Type: "lead.touched", LeadID: l.ID, At: now, Data: data})
	})
}

// Pause stops the lead's first-touch clock for one of the definition's
// pause reasons (e.g. the customer asked to be called next week).
func (s *Service) Pause(ctx context.Context, leadID int64, a Actor, reason string) (*View, error) {
	def := s.definition()
	if def == nil {
		return nil, problem.New(problem.Conflict, "no definition is active")
	}
	if !slices.Contains(def.Waterfall.PauseReasons, reason) {
		allowed := "the definition allows none (waterfall.pause_reasons)"
		if len(def.Waterfall.PauseReasons) > 0 {
			allowed = "use one of " + strings.Join(def.Waterfall.PauseReasons, ", ")
		}
		return nil, problem.Fields("not a pause reason", problem.Field{Name: "reason", Reason: fmt.Sprintf("%q%s; %s", reason, suggest.Hint(reason, def.Waterfall.PauseReasons), allowed)})
	}
	return s.act(ctx, leadID, func(tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) error {
		if err := s.mayWork(ctx, tx, a, cur, "pausing the clock"); err != nil {
			return err
		}
		c, err := tx.LatestClock(ctx, l.ID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && c.Status != store.ClockPending) {
			return problem.New(problem.Conflict, "lead %d has no running first-touch clock to pause", l.ID)
		}
		if err != nil {
			return err
		}
		c.Status, c.PausedAt, c.PauseReason = store.ClockPaused, ptr(now), reason
		if err := tx.UpdateClock(ctx, c); err != nil {
			return err
		}
		if err := tx.CancelTimers(ctx, l.ID, now, store.TimerBreach, store.TimerDueSoon); err != nil {
			return err
		}
		return tx.AddTimeline(ctx, l.ID, now, "clock_paused", map[string]any{"clock": c.ID, "by": a.Name, "reason": reason})
	})
}

// Resume restarts a paused clock: the business time that was left when it
// paused is counted again from now on the team's calendar.
func (s *Service) Resume(ctx context.Context, leadID int64, a Actor) (*View, error) {
	return s.act(ctx, leadID, func(tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) error {
		if err := s.mayWork(ctx, tx, a, cur, "resuming the clock"); err != nil {
			return err
		}
		c, err := tx.LatestClock(ctx, l.ID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && c.Status != store.ClockPaused) {
			return problem.New(problem.Conflict, "lead %d has no paused clock", l.ID)
		}
		if err != nil {
			return err
		}
		team, err := lockTeam(ctx, tx, c.Team)
		if err != nil {
			return err
		}
		cal, err := s.calendarFor(team, c.Team, s.clockPolicy(c))
		if err != nil {
			return err
		}
		c.DueAt = resumeDue(cal, *c.PausedAt, c.DueAt, now)
		c.Status, c.PausedAt = store.ClockPending, nil
		if err := tx.UpdateClock(ctx, c); err != nil {
			return err
		}
		tx.Schedule(ctx, store.Timer{LeadID: l.ID, Kind: store.TimerBreach, Ref: c.ID, Due: c.DueAt}, now)
		scheduleDueSoon(ctx, tx, c, cal, now)
		return tx.AddTimeline(ctx, l.ID, now, "clock_resumed", map[string]any{"clock": c.ID, "by": a.Name, "due_at": c.DueAt})
	})
}

// resumeDue is a paused clock's new deadline: what was left of it at the
// pause, in business time, counted from now.
func resumeDue(cal *calendar.Calendar, pausedAt, due, now time.Time) time.Time {
	if !due.After(pausedAt) {
		return now
	}
	if cal == nil {
		return now.Add(due.Sub(pausedAt))
	}
	return cal.AddBusinessHours(now, cal.BusinessTime(pausedAt, due))
}
