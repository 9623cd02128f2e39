package waterfall

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
)

// syncLead is the sync timer: intake evaluated the lead and something
// sales acts on changed.
func (s *Service) syncLead(ctx context.Context, tx *store.Tx, id int64, now time.Time) (string, error) {
	l, gone, err := liveLead(ctx, tx, id)
	if l == nil {
		return gone, err
	}
	return s.sync(ctx, tx, l, now)
}

// sync brings a lead's assignment, clock and re-contact in line with the
// stage it shows. It is idempotent: running it twice changes nothing more.
//
//   - Nurture: sales lets go; a re-contact is scheduled once.
//   - Disqualified, won, lost: sales lets go (won and lost keep their owner).
//   - Open stages: a lead the definition routes (or a recycled one) gets a
//     team member and a first-touch clock; if the definition now names
//     another team (a BDR qualified it for sales), it is handed off. An
//     accepted lead stays with its owner.
func (s *Service) sync(ctx context.Context, tx *store.Tx, l *store.Lead, now time.Time) (string, error) {
	f := FlowOf(l)
	eff := l.Stage()
	cur, err := currentAssignment(ctx, tx, l.ID)
	if err != nil {
		return "", err
	}
	outcome := ""
	switch {
	case eff == stage.Nurture:
		if err := s.release(ctx, tx, l, cur, store.AssignClosed, "nurture", false, now); err != nil {
			return "", err
		}
		if f.RecontactAt == nil {
			at, err := s.recontactAt(ctx, tx, l, now)
			if err != nil {
				return "", err
			}
			if !at.IsZero() {
				f.NurtureFrom, f.RecontactAt = ptr(now), &at
				tx.Schedule(ctx, store.Timer{LeadID: l.ID, Kind: store.TimerRecontact, Due: at}, now)
				if err := tx.AddTimeline(ctx, l.ID, now, "nurture", map[string]any{"recontact_at": at}); err != nil {
					return "", err
				}
			}
		}
		outcome = "nurture"
	case !stage.Open(eff):
		if err := s.release(ctx, tx, l, cur, store.AssignClosed, eff, eff == stage.Won || eff == stage.Lost, now); err != nil {
			return "", err
		}
		if f.RecontactAt != nil {
			if err := tx.CancelTimers(ctx, l.ID, now, store.TimerRecontact); err != nil {
				return "", err
			}
			f.NurtureFrom, f.RecontactAt = nil, nil
		}
		outcome = eff
	default:
		if f.RecontactAt != nil && l.HumanStage != stage.Recycled {
			// New behaviour lifted the lead out of nurture on its own.
			if err := tx.CancelTimers(ctx, l.ID, now, store.TimerRecontact); err != nil {
				return "", err
			}
			f.NurtureFrom, f.RecontactAt = nil, nil
		}
		outcome, err = s.routeIfNeeded(ctx, tx, l, cur, now)
		if err != nil {
			return "", err
		}
	}
	setFlow(l, f)
	return outcome, tx.SaveFlow(ctx, l, now)
}

// routeIfNeeded routes an open lead that the definition routes and sales
// does not have yet, or hands it to the team the definition now names.
func (s *Service) routeIfNeeded(ctx context.Context, tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) (string, error) {
	if l.HumanStage == stage.SAL || l.HumanStage == stage.Opportunity || (cur != nil && cur.Status == store.AssignAccepted) {
		return "owned", nil
	}
	r := l.Eval
	if !((r != nil && r.Action == definition.ActionRoute) || l.HumanStage == stage.Recycled) {
		return "not routed", nil
	}
	if len(l.Suspicious) > 0 && cur == nil {
		// A suspicious web-form submission stays out of the queues until a
		// person assigns it (Assign) or a clean inquiry lifts the mark.
		return "held: suspicious", nil
	}
	team, rule := s.teamOf(l)
	if team == "" {
		return "no team: the definition has no routing", nil
	}
	if cur != nil {
		if cur.Team == team {
			return "already routed", nil
		}
		if err := s.release(ctx, tx, l, cur, store.AssignHandedOff, "the definition now routes it to "+team, false, now); err != nil {
			return "", err
		}
		if err := tx.AddTimeline(ctx, l.ID, now, "handed_off", map[string]any{"from": cur.Team, "to": team, "rule": rule}); err != nil {
			return "", err
		}
	}
	_, err := s.route(ctx, tx, l, team, map[string]any{"rule": rule}, "routing", 0, now)
	return "routed to " + team, err
}

// teamOf is the team the definition routes a lead to and the rule that
// chose it; a recycled lead the definition does not route goes to the
// default team.
func (s *Service) teamOf(l *store.Lead) (team, rule string) {
	if r := l.Eval; r != nil && r.Team != "" {
		for _, st := range r.Explanation {
			if st.Kind == "routing" {
				return r.Team, st.Rule
			}
		}
		return r.Team, ""
	}
	if def := s.definition(); def != nil && def.Routing.Default != "" {
		return def.Routing.Default, "default"
	}
	return "", ""
}

// policyOf is the SLA policy for a lead: the one the definition chose, or
// for a recycled lead it does not route, the catch-all (last) policy.
func (s *Service) policyOf(l *store.Lead) *definition.SLAPolicy {
	def := s.definition()
	if def == nil {
		return nil
	}
	if r := l.Eval; r != nil && r.SLA != nil {
		if p := def.SLAPolicy(r.SLA.Policy); p != nil {
			return p
		}
	}
	if n := len(def.SLA); n > 0 && def.SLA[n-1].When == nil {
		return &def.SLA[n-1]
	}
	return nil
}

// recontactAt is when a lead entering nurture comes back: the re-contact
// intake already scheduled, if any (a lead sales never had), else now plus
// its delay; zero when it is not re-contacted.
func (s *Service) recontactAt(ctx context.Context, tx *store.Tx, l *store.Lead, now time.Time) (time.Time, error) {
	pending, err := tx.PendingTimers(ctx, l.ID)
	if err != nil {
		return time.Time{}, err
	}
	for _, t := range pending {
		if t.Kind == store.TimerRecontact {
			return t.Due, nil
		}
	}
	if delay := s.nurtureDelay(l); delay > 0 {
		return now.Add(delay), nil
	}
	return time.Time{}, nil
}

// nurtureDelay is how long a nurtured lead waits: the rejection's delay
// when sales sent it there, else its band's re-contact.
func (s *Service) nurtureDelay(l *store.Lead) time.Duration {
	def := s.definition()
	if def == nil {
		return 0
	}
	if f := FlowOf(l); l.HumanStage == stage.Nurture && f.Rejection != nil {
		return def.Waterfall.Rejections[f.Rejection.Reason].Recontact
	}
	if r := l.Eval; r != nil {
		for _, b := range def.Bands {
			if b.Name == r.Band {
				return b.Recontact
			}
		}
	}
	return 0
}

// route gives a lead to the next available member of a team and starts
// its first-touch clock. Nobody available (or a team not set up yet): the
// lead waits in the team's queue, the clock runs anyway (the promise is
// the team's) and routing tries again every RetryQueued.
func (s *Service) route(ctx context.Context, tx *store.Tx, l *store.Lead, teamName string, why map[string]any, actor string, exclude int64, now time.Time) (*store.Assignment, error) {
	team, err := lockTeam(ctx, tx, teamName)
	if err != nil {
		return nil, err
	}
	pol := s.policyOf(l)
	cal, err := s.calendarFor(team, teamName, pol)
	if err != nil {
		return nil, err
	}
	a := &store.Assignment{LeadID: l.ID, Team: teamName, At: now, Actor: actor, Status: store.AssignOpen}
	var user *store.User
	if team == nil {
		why["queued"] = fmt.Sprintf("team %s is not set up: create it with PUT /api/v1/teams/%s", teamName, teamName)
	} else {
		pick, u, err := s.pickMember(ctx, tx, team, exclude, cal, now)
		if err != nil {
			return nil, err
		}
		why["rotation"] = pick
		if u == nil {
			why["queued"] = "nobody in the team is available"
		}
		user = u
	}
	if user != nil {
		a.UserID = user.ID
		l.OwnerID, l.Owner = user.ID, user.Email
	} else {
		l.OwnerID, l.Owner = 0, ""
		tx.Schedule(ctx, store.Timer{LeadID: l.ID, Kind: store.TimerRoute, Due: now.Add(s.RetryQueued)}, now)
	}
	if a.Reason, err = json.Marshal(why); err != nil {
		return nil, err
	}
	if err := tx.InsertAssignment(ctx, a); err != nil {
		return nil, err
	}
	if err := s.assigned(ctx, tx, l, a, user, now); err != nil {
		return nil, err
	}
	if err := s.startClock(ctx, tx, l, a, pol, cal, now); err != nil {
		return nil, err
	}
	return a, tx.SaveFlow(ctx, l, now)
}

// startClock starts the first-touch clock of an assignment under an SLA
// policy (none without one).
func (s *Service) startClock(ctx context.Context, tx *store.Tx, l *store.Lead, a *store.Assignment, pol *definition.SLAPolicy, cal *calendar.Calendar, now time.Time) error {
	if pol == nil {
		return nil
	}
	c := &store.Clock{LeadID: l.ID, AssignmentID: a.ID, Team: a.Team, UserID: a.UserID, Policy: pol.Name,
		StartedAt: now, DueAt: pol.FirstTouch.After(cal, now), Reassign: pol.Reassign, Status: store.ClockPending}
	if cal != nil {
		c.Calendar = cal.String()
	}
	if pol.EscalateAfter != nil {
		c.Grace = pol.EscalateAfter.Text
	}
	if a := s.intake.Active(); a != nil {
		c.DefinitionID = a.ID
	}
	if err := tx.InsertClock(ctx, c); err != nil {
		return err
	}
	tx.Schedule(ctx, store.Timer{LeadID: l.ID, Kind: store.TimerBreach, Ref: c.ID, Due: c.DueAt}, now)
	scheduleDueSoon(ctx, tx, c, cal, now)
	return nil
}

// pickMember runs the team's rotation and saves its new state.
// A member's day (for daily capacity) is the calendar's day; UTC without
// a calendar.
func (s *Service) pickMember(ctx context.Context, tx *store.Tx, team *store.Team, exclude int64, cal *calendar.Calendar, now time.Time) (Pick, *store.User, error) {
	loc := time.UTC
	if cal != nil && cal.Location() != nil {
		loc = cal.Location()
	}
	local := now.In(loc)
	dayStart := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	ids := make([]int64, len(team.Members))
	for i, m := range team.Members {
		ids[i] = m.UserID
	}
	today, err := tx.AssignedSince(ctx, ids, dayStart)
	if err != nil {
		return Pick{}, nil, err
	}
	users := map[int64]*store.User{}
	cands := make([]Candidate, len(team.Members))
	for i, m := range team.Members {
		u, err := tx.User(ctx, m.UserID)
		if err != nil {
			return Pick{}, nil, err
		}
		users[u.ID] = u
		cands[i] = Candidate{UserID: m.UserID, Weight: m.Weight, Credit: m.Credit, Active: u.Active, Away: u.Away(now),
			Capacity: m.DailyCapacity, Today: today[m.UserID]}
	}
	pick := Rotate(cands, exclude)
	if pick.UserID == 0 {
		return pick, nil, nil
	}
	for i := range team.Members {
		team.Members[i].Credit = cands[i].Credit
	}
	if err := tx.SaveCredits(ctx, team.ID, team.Members); err != nil {
		return pick, nil, err
	}
	return pick, users[pick.UserID], nil
}

// assigned records an assignment on the timeline and for webhooks.
func (s *Service) assigned(ctx context.Context, tx *store.Tx, l *store.Lead, a *store.Assignment, u *store.User, now time.Time) error {
	data := map[string]any{"assignment": a.ID, "team": a.Team, "actor": a.Actor, "why": a.Reason}
	kind := "assigned"
	if u != nil {
		data["user_id"], data["user"] = u.ID, u.Email
	} else {
		kind = "queued"
	}
	if err := tx.AddTimeline(ctx, l.ID, now, kind, data); err != nil {
		return err
	}
	if a.Actor != "routing" {
		// An escalation or a manager took the lead from someone.
		if err := tx.Emit(ctx, store.OutEvent{Type: "lead.reassigned", LeadID: l.ID, At: now, Data: data}); err != nil {
			return err
		}
	}
	if err := tx.Emit(ctx, store.OutEvent{Type: "lead.assigned", LeadID: l.ID, At: now, Data: data}); err != nil {
		return err
	}
	return notifyAssigned(ctx, tx, l, a, u, now)
}

// release ends a lead's current assignment and stops its running clock.
func (s *Service) release(ctx context.Context, tx *store.Tx, l *store.Lead, cur *store.Assignment, status, why string, keepOwner bool, now time.Time) error {
	if cur != nil {
		cur.Status, cur.EndedAt, cur.EndReason = status, ptr(now), why
		if err := tx.UpdateAssignment(ctx, cur); err != nil {
			return err
		}
	}
	if err := s.stopClock(ctx, tx, l.ID, store.ClockCancelled, now); err != nil {
		return err
	}
	if !keepOwner {
		l.OwnerID, l.Owner = 0, ""
	}
	return tx.CancelTimers(ctx, l.ID, now, store.TimerRoute)
}

// stopClock ends the lead's pending or paused clock with a status, and its
// breach and escalation timers.
func (s *Service) stopClock(ctx context.Context, tx *store.Tx, leadID int64, status string, now time.Time) error {
	c, err := tx.LatestClock(ctx, leadID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if c.Status == store.ClockPending || c.Status == store.ClockPaused {
		c.Status = status
		if err := tx.UpdateClock(ctx, c); err != nil {
			return err
		}
	}
	return tx.CancelTimers(ctx, leadID, now, store.TimerBreach, store.TimerEscalate, store.TimerDueSoon)
}

func currentAssignment(ctx context.Context, tx *store.Tx, leadID int64) (*store.Assignment, error) {
	a, err := tx.CurrentAssignment(ctx, leadID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return a, err
}

// liveLead loads and locks a lead for a timer; a lead deleted or merged
// away since the timer was set leaves nothing to do, said as the outcome.
func liveLead(ctx context.Context, tx *store.Tx, id int64) (*store.Lead, string, error) {
	l, err := tx.Lead(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, "lead gone", nil
	case err != nil:
		return nil, "", err
	case l.MergedInto != 0:
		return nil, "lead merged", nil
	}
	return l, "", nil
}
