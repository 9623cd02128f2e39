package waterfall

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
)

// Service runs the waterfall of one server process. Several processes may
// share a PostgreSQL database: timers are claimed with SKIP LOCKED, leads
// and teams are locked while they change.
type Service struct {
	db     *store.DB
	intake *intake.Service
	now    func() time.Time
	log    *slog.Logger

	// Batch is how many due timers one transaction handles.
	Batch int
	// Tick is how often the poller looks for due timers when nothing wakes
	// it earlier.
	Tick time.Duration
	// RetryQueued is how long a lead waits in a team's queue, when nobody
	// in the team was available, before routing tries again.
	RetryQueued time.Duration

	// OnFired, if set, is told of every timer whose effect committed, with
	// the commit time (for lateness metrics).
	OnFired func(t store.Timer, committed time.Time)

	calendars sync.Map // team calendar JSON → *calendar.Calendar
}

// Config holds what New needs.
type Config struct {
	Intake *intake.Service
	Now    func() time.Time // nil means time.Now
	Log    *slog.Logger
}

// New returns the waterfall service; call Run to start its poller.
func New(cfg Config) *Service {
	s := &Service{db: cfg.Intake.DB(), intake: cfg.Intake, now: cfg.Now, log: cfg.Log,
		Batch: 200, Tick: 250 * time.Millisecond, RetryQueued: 5 * time.Minute}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// Run fires due timers until ctx ends. Between rounds it sleeps until the
// next timer is due, at most Tick (another server may schedule one
// sooner), and wakes at once when this process schedules one already due.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTimer(s.Tick)
	defer t.Stop()
	for {
		n, err := s.FireDue(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("waterfall timers", "err", err)
		}
		if n >= s.Batch {
			continue // more are due
		}
		wait := s.Tick
		if next, ok, err := s.db.NextTimerDue(ctx); err == nil && ok {
			wait = min(wait, max(next.Sub(s.now()), time.Millisecond))
		}
		t.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.db.TimerWake():
		}
	}
}

// FireDue carries out the timers due now, one batch per transaction, and
// reports how many fired. A timer whose effect fails is retried later on
// its own, so one bad lead does not hold up the rest.
func (s *Service) FireDue(ctx context.Context) (int, error) {
	total := 0
	for {
		now := s.now()
		// Asked with a read first: claiming takes the write lock, which
		// intake's next commit would have to wait for even when nothing is
		// due.
		if next, ok, err := s.db.NextTimerDue(ctx); err == nil && (!ok || next.After(now)) {
			return total, nil
		}
		var timers []store.Timer
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			timers, err = tx.ClaimDueTimers(ctx, now, s.Batch)
			if err != nil {
				return err
			}
			for _, t := range timers {
				if err := s.fire(ctx, tx, t, now); err != nil {
					return fmt.Errorf("timer %d (%s, lead %d): %w", t.ID, t.Kind, t.LeadID, err)
				}
			}
			return nil
		})
		if err != nil {
			if ctx.Err() != nil {
				return total, ctx.Err()
			}
			s.log.Warn("waterfall batch failed; firing one by one", "err", err)
			n, err := s.fireOneByOne(ctx, now)
			return total + n, err
		}
		s.fired(timers...)
		total += len(timers)
		if len(timers) < s.Batch {
			return total, nil
		}
	}
}

// fireOneByOne fires due timers each in its own transaction; a failing one
// is postponed with backoff and, after ten attempts, given up and logged.
func (s *Service) fireOneByOne(ctx context.Context, now time.Time) (int, error) {
	n := 0
	for range s.Batch {
		var claimed *store.Timer
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			timers, err := tx.ClaimDueTimers(ctx, now, 1)
			if err != nil || len(timers) == 0 {
				return err
			}
			claimed = &timers[0]
			return s.fire(ctx, tx, timers[0], now)
		})
		if err == nil && claimed != nil {
			s.fired(*claimed)
		}
		if claimed == nil && err == nil {
			return n, nil
		}
		if err != nil {
			if claimed == nil || ctx.Err() != nil {
				return n, err
			}
			s.log.Error("waterfall timer failed", "timer", claimed.ID, "kind", claimed.Kind, "lead", claimed.LeadID, "err", err)
			if perr := s.db.PostponeTimer(ctx, claimed.ID, now, err.Error()); perr != nil {
				return n, perr
			}
			continue
		}
		n++
	}
	return n, nil
}

func (s *Service) fired(timers ...store.Timer) {
	if s.OnFired == nil {
		return
	}
	at := s.now()
	for _, t := range timers {
		s.OnFired(t, at)
	}
}

// fire carries out one timer inside the transaction that claimed it.
func (s *Service) fire(ctx context.Context, tx *store.Tx, t store.Timer, now time.Time) error {
	var outcome string
	var err error
	switch t.Kind {
	case store.TimerSync:
		outcome, err = s.syncLead(ctx, tx, t.LeadID, now)
	case store.TimerRoute:
		outcome, err = s.retryQueued(ctx, tx, t.LeadID, now)
	case store.TimerBreach:
		outcome, err = s.breach(ctx, tx, t.Ref, now)
	case store.TimerEscalate:
		outcome, err = s.escalate(ctx, tx, t.Ref, now)
	case store.TimerRecontact:
		outcome, err = s.recontact(ctx, tx, t.LeadID, now)
	case store.TimerDueSoon:
		outcome, err = s.dueSoon(ctx, tx, t.Ref, now)
	default:
		outcome = "unknown kind"
	}
	if err != nil {
		return err
	}
	if outcome != "" {
		return tx.TimerOutcome(ctx, t.ID, outcome)
	}
	return nil
}

// definition returns the active definition, or nil.
func (s *Service) definition() *definition.Definition {
	if a := s.intake.Active(); a != nil {
		return a.Def
	}
	return nil
}

// calendarFor is the business calendar a team's clocks count on: the
// team's own when set, else the definition's for the team and policy.
func (s *Service) calendarFor(team *store.Team, name string, pol *definition.SLAPolicy) (*calendar.Calendar, error) {
	if team != nil && len(team.Calendar) > 0 {
		key := string(team.Calendar)
		if c, ok := s.calendars.Load(key); ok {
			return c.(*calendar.Calendar), nil
		}
		var cfg calendar.Config
		if err := json.Unmarshal(team.Calendar, &cfg); err != nil {
			return nil, fmt.Errorf("team %s calendar: %w", team.Name, err)
		}
		c, err := calendar.New(cfg)
		if err != nil {
			return nil, fmt.Errorf("team %s calendar: %w", team.Name, err)
		}
		s.calendars.Store(key, c)
		return c, nil
	}
	if def := s.definition(); def != nil {
		return def.CalendarFor(name, pol), nil
	}
	return nil, nil
}

// lockTeam loads a team, or nil when the definition names a team nobody
// has set up yet (its leads wait in the queue).
func lockTeam(ctx context.Context, tx *store.Tx, name string) (*store.Team, error) {
	t, err := tx.LockTeam(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return t, err
}
