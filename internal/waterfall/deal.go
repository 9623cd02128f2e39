package waterfall

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/suggest"
)

// Deals and ownership: opportunities, won and lost, and a manager's
// reassignment.

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// OpportunityInput is the deal a SQL becomes.
type OpportunityInput struct {
	Name     string
	Amount   float64
	Currency string
}

// Opportunity turns a SQL into an opportunity with its amount.
func (s *Service) Opportunity(ctx context.Context, leadID int64, a Actor, in OpportunityInput) (*View, error) {
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	var bad []problem.Field
	if !(in.Amount > 0) || math.IsInf(in.Amount, 0) {
		bad = append(bad, problem.Field{Name: "amount", Reason: "must be a positive number"})
	}
	if !currencyCode.MatchString(in.Currency) {
		bad = append(bad, problem.Field{Name: "currency", Reason: fmt.Sprintf("%q is not an ISO 4217 code such as USD, MXN, BRL, COP", in.Currency)})
	}
	if len(bad) > 0 {
		return nil, problem.Fields("the opportunity has invalid fields", bad...)
	}
	return s.act(ctx, leadID, func(tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) error {
		from := l.Stage()
		if err := checkAct(stage.ActOpportunity, from); err != nil {
			return err
		}
		if err := s.mayWork(ctx, tx, a, cur, "opening an opportunity"); err != nil {
			return err
		}
		o := &Opportunity{Name: in.Name, Amount: in.Amount, Currency: in.Currency, By: a.Name, At: now}
		if def := s.definition(); def != nil {
			o.BaseCurrency = def.Currency
			if in.Currency == def.Currency {
				o.Base = in.Amount
			} else if rate, ok := def.Rates[in.Currency]; ok {
				o.Base = math.Round(in.Amount*rate*100) / 100
			}
		}
		f := FlowOf(l)
		f.Opportunity = o
		setFlow(l, f)
		l.HumanStage = stage.Opportunity
		if err := tx.SaveFlow(ctx, l, now); err != nil {
			return err
		}
		if err := tx.AddTimeline(ctx, l.ID, now, "opportunity", o); err != nil {
			return err
		}
		return moved(ctx, tx, l, from, a, "opportunity opened", now)
	})
}

// Won closes the opportunity as won.
func (s *Service) Won(ctx context.Context, leadID int64, a Actor, note string) (*View, error) {
	return s.act(ctx, leadID, func(tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) error {
		from := l.Stage()
		if err := checkAct(stage.ActWon, from); err != nil {
			return err
		}
		if err := s.mayWork(ctx, tx, a, cur, "closing a deal"); err != nil {
			return err
		}
		f := FlowOf(l)
		f.WonAt = ptr(now)
		setFlow(l, f)
		l.HumanStage = stage.Won
		if err := tx.SaveFlow(ctx, l, now); err != nil {
			return err
		}
		return moved(ctx, tx, l, from, a, "won "+note, now)
	})
}

// Lost closes an accepted lead, SQL or opportunity as lost, with a reason.
func (s *Service) Lost(ctx context.Context, leadID int64, a Actor, reason, text string) (*View, error) {
	reason = strings.TrimSpace(reason)
	if !slices.Contains(stage.LostReasons, reason) {
		return nil, problem.Fields("a lost deal needs a reason", problem.Field{Name: "reason",
			Reason: fmt.Sprintf("%q%s; use one of %s", reason, suggest.Hint(reason, stage.LostReasons), strings.Join(stage.LostReasons, ", "))})
	}
	if reason == "other" && strings.TrimSpace(text) == "" {
		return nil, problem.Fields("reason other needs a text", problem.Field{Name: "text", Reason: "missing: say why the deal was lost"})
	}
	return s.act(ctx, leadID, func(tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) error {
		from := l.Stage()
		if err := checkAct(stage.ActLost, from); err != nil {
			return err
		}
		if err := s.mayWork(ctx, tx, a, cur, "closing a deal"); err != nil {
			return err
		}
		f := FlowOf(l)
		f.LostAt, f.LostReason, f.LostText = ptr(now), reason, text
		setFlow(l, f)
		l.HumanStage = stage.Lost
		if err := tx.SaveFlow(ctx, l, now); err != nil {
			return err
		}
		return moved(ctx, tx, l, from, a, "lost: "+reason, now)
	})
}

// Assign gives the lead to a user by hand (a manager's reassignment). The
// running first-touch clock goes with the lead: the promise to the
// customer does not restart.
func (s *Service) Assign(ctx context.Context, leadID int64, a Actor, userID int64, reason string) (*View, error) {
	return s.act(ctx, leadID, func(tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) error {
		if !stage.Open(l.Stage()) {
			return problem.New(problem.Conflict, "lead %d is %s; only leads sales is working can be assigned", l.ID, l.Stage())
		}
		u, err := tx.User(ctx, userID)
		if errors.Is(err, store.ErrNotFound) {
			return problem.Fields("no such user", problem.Field{Name: "user", Reason: fmt.Sprintf("user %d does not exist", userID)})
		}
		if err != nil {
			return err
		}
		if !u.Active {
			return problem.Fields("the user is inactive", problem.Field{Name: "user", Reason: fmt.Sprintf("%s is inactive", u.Email)})
		}
		team := ""
		if cur != nil {
			team = cur.Team
		} else {
			team, _ = s.teamOf(l)
		}
		if ok, err := manages(ctx, tx, a, team); err != nil {
			return err
		} else if !ok {
			return problem.New(problem.Forbidden, "only a manager (of team %s) or an admin may assign leads", team)
		}
		if cur != nil && cur.UserID == userID {
			return nil
		}
		if len(l.Suspicious) == 0 {
			_, err := s.give(ctx, tx, l, cur, team, a, u, reason, now)
			return err
		}
		return s.releaseHeld(ctx, tx, l, cur, team, a, u, reason, now)
	})
}

// releaseHeld gives a lead held out of the queues as suspicious to a user:
// the person vouches for it, so the mark goes, and a lead the definition
// routes gets the first-touch clock routing would have started (the
// promise to the customer starts now, not when the submission came).
func (s *Service) releaseHeld(ctx context.Context, tx *store.Tx, l *store.Lead, cur *store.Assignment, team string, a Actor, u *store.User, reason string, now time.Time) error {
	if err := tx.AddTimeline(ctx, l.ID, now, "suspicion_cleared", map[string]any{"by": a.Name, "suspicious": l.Suspicious}); err != nil {
		return err
	}
	if err := tx.SetSuspicious(ctx, l, nil); err != nil {
		return err
	}
	na, err := s.give(ctx, tx, l, cur, team, a, u, reason, now)
	if err != nil {
		return err
	}
	if r := l.Eval; cur != nil || r == nil || r.Action != definition.ActionRoute {
		return nil
	}
	t, err := lockTeam(ctx, tx, team)
	if err != nil {
		return err
	}
	pol := s.policyOf(l)
	cal, err := s.calendarFor(t, team, pol)
	if err != nil {
		return err
	}
	return s.startClock(ctx, tx, l, na, pol, cal, now)
}

// give hands a lead to a user: the current assignment ends, the running
// first-touch clock goes with the lead (the promise to the customer does
// not restart), pending routing stops, and the new owner is told.
func (s *Service) give(ctx context.Context, tx *store.Tx, l *store.Lead, cur *store.Assignment, team string, a Actor, u *store.User, reason string, now time.Time) (*store.Assignment, error) {
	status := store.AssignOpen
	prevUser := int64(0)
	if cur != nil {
		prevUser = cur.UserID
		if cur.Status == store.AssignAccepted {
			status = store.AssignAccepted
		}
		cur.Status, cur.EndedAt, cur.EndReason = store.AssignReassigned, ptr(now), "reassigned by "+a.Name
		if err := tx.UpdateAssignment(ctx, cur); err != nil {
			return nil, err
		}
	}
	why := fmt.Sprintf(`{"by":%q,"reason":%q,"from_user":%d}`, a.Name, reason, prevUser)
	na := &store.Assignment{LeadID: l.ID, Team: team, UserID: u.ID, At: now, Actor: a.Name, Reason: []byte(why), Status: status}
	if err := tx.InsertAssignment(ctx, na); err != nil {
		return nil, err
	}
	if c, err := tx.LatestClock(ctx, l.ID); err == nil && (c.Status == store.ClockPending || c.Status == store.ClockPaused) {
		c.UserID = u.ID
		if err := tx.UpdateClock(ctx, c); err != nil {
			return nil, err
		}
	}
	if err := tx.CancelTimers(ctx, l.ID, now, store.TimerRoute); err != nil {
		return nil, err
	}
	l.OwnerID, l.Owner = u.ID, u.Email
	if err := tx.SaveFlow(ctx, l, now); err != nil {
		return nil, err
	}
	return na, s.assigned(ctx, tx, l, na, u, now)
}

// Take gives a lead waiting in its team's queue (routed to the team, held
// by nobody) to the person who asks, a member of that team: a rep's
// "take next". A lead someone already holds is a conflict, so two reps
// taking at once cannot both get it.
func (s *Service) Take(ctx context.Context, leadID int64, a Actor) (*View, error) {
	return s.act(ctx, leadID, func(tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) error {
		if a.User == nil {
			return problem.New(problem.Forbidden, "taking a lead needs to know who takes it: use a token linked to a user or name the user in \"by\"")
		}
		if !stage.Open(l.Stage()) {
			return problem.New(problem.Conflict, "lead %d is %s; only leads sales is working can be taken", l.ID, l.Stage())
		}
		if cur == nil || cur.UserID != 0 {
			return problem.Coded(problem.Conflict, "not_queued", nil, "lead %d is not waiting in a team's queue; someone holds it or it was never routed", l.ID)
		}
		member, err := tx.IsMember(ctx, cur.Team, a.User.ID)
		if err != nil {
			return err
		}
		if !member {
			return problem.New(problem.Forbidden, "only a member of team %s may take its leads", cur.Team)
		}
		if !a.User.Active {
			return problem.New(problem.Forbidden, "%s is inactive", a.User.Email)
		}
		_, err = s.give(ctx, tx, l, cur, cur.Team, a, a.User, "taken from the team queue", now)
		return err
	})
}
