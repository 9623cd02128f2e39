package waterfall

import (
	"context"
	"errors"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
)

// breach is the deadline timer of a clock nobody touched in time: the
// clock is breached, the team's manager is told (sla.breached) and, when
// the policy has a grace period, the escalation is scheduled.
func (s *Service) breach(ctx context.Context, tx *store.Tx, clockID int64, now time.Time) (string, error) {
	c, gone, err := clockOf(ctx, tx, clockID)
	if c == nil {
		return gone, err
	}
	if c.Status != store.ClockPending {
		return "clock " + c.Status, nil
	}
	c.Status, c.BreachedAt = store.ClockBreached, ptr(now)
	if err := tx.UpdateClock(ctx, c); err != nil {
		return "", err
	}
	team, err := lockTeam(ctx, tx, c.Team)
	if err != nil {
		return "", err
	}
	data := s.clockEvent(ctx, tx, c, team)
	if err := tx.AddTimeline(ctx, c.LeadID, now, "sla_breached", data); err != nil {
		return "", err
	}
	if err := tx.Emit(ctx, store.OutEvent{Type: "sla.breached", LeadID: c.LeadID, At: now, Data: data}); err != nil {
		return "", err
	}
	if err := notifyBreached(ctx, tx, c, team, now); err != nil {
		return "", err
	}
	if c.Grace == "" {
		return "breached", nil
	}
	grace, err := definition.ParseSpan(c.Grace)
	if err != nil {
		return "", err
	}
	cal, err := s.calendarFor(team, c.Team, s.clockPolicy(c))
	if err != nil {
		return "", err
	}
	at := grace.After(cal, c.DueAt)
	if at.Before(now) {
		at = now
	}
	tx.Schedule(ctx, store.Timer{LeadID: c.LeadID, Kind: store.TimerEscalate, Ref: c.ID, Due: at}, now)
	return "breached; escalation due", nil
}

// escalate is the end of a breached clock's grace period with still no
// touch: the manager is told again (sla.escalated) and, when the policy
// says reassign, the lead goes to the next member of the rotation with a
// new clock.
func (s *Service) escalate(ctx context.Context, tx *store.Tx, clockID int64, now time.Time) (string, error) {
	c, gone, err := clockOf(ctx, tx, clockID)
	if c == nil {
		return gone, err
	}
	if c.Status != store.ClockBreached || c.TouchedAt != nil || c.EscalatedAt != nil {
		return "nothing to escalate", nil
	}
	l, gone, err := liveLead(ctx, tx, c.LeadID)
	if l == nil {
		return gone, err
	}
	c.EscalatedAt = ptr(now)
	if err := tx.UpdateClock(ctx, c); err != nil {
		return "", err
	}
	team, err := lockTeam(ctx, tx, c.Team)
	if err != nil {
		return "", err
	}
	data := s.clockEvent(ctx, tx, c, team)
	cur, err := currentAssignment(ctx, tx, l.ID)
	if err != nil {
		return "", err
	}
	reassign := c.Reassign && cur != nil && cur.ID == c.AssignmentID && cur.Status == store.AssignOpen && stage.Open(l.Stage())
	data["reassign"] = reassign
	if err := tx.AddTimeline(ctx, l.ID, now, "sla_escalated", data); err != nil {
		return "", err
	}
	if err := tx.Emit(ctx, store.OutEvent{Type: "sla.escalated", LeadID: l.ID, At: now, Data: data}); err != nil {
		return "", err
	}
	if !reassign {
		return "escalated", nil
	}
	cur.Status, cur.EndedAt, cur.EndReason = store.AssignReassigned, ptr(now), "first-touch deadline missed"
	if err := tx.UpdateAssignment(ctx, cur); err != nil {
		return "", err
	}
	why := map[string]any{"escalated_from": cur.UserID, "clock": c.ID}
	if _, err := s.route(ctx, tx, l, c.Team, why, "escalation", cur.UserID, now); err != nil {
		return "", err
	}
	return "escalated; reassigned", nil
}

// clockEvent describes a clock for the timeline and webhooks, naming the
// team's manager who must act.
func (s *Service) clockEvent(ctx context.Context, tx *store.Tx, c *store.Clock, team *store.Team) map[string]any {
	data := map[string]any{"clock": c.ID, "policy": c.Policy, "team": c.Team, "due_at": c.DueAt, "started_at": c.StartedAt}
	if c.UserID != 0 {
		data["user_id"] = c.UserID
		if u, err := tx.User(ctx, c.UserID); err == nil {
			data["user"] = u.Email
		}
	}
	if team != nil && team.ManagerID != 0 {
		data["manager_id"] = team.ManagerID
		if u, err := tx.User(ctx, team.ManagerID); err == nil {
			data["manager"] = u.Email
		}
	}
	return data
}

// clockPolicy is the definition's policy a clock was started under, if
// the active definition still has it.
func (s *Service) clockPolicy(c *store.Clock) *definition.SLAPolicy {
	if def := s.definition(); def != nil {
		return def.SLAPolicy(c.Policy)
	}
	return nil
}

// recontact is a nurtured lead's re-contact: it comes back recycled, is
// evaluated again with everything new and goes back to the queue.
func (s *Service) recontact(ctx context.Context, tx *store.Tx, id int64, now time.Time) (string, error) {
	l, gone, err := liveLead(ctx, tx, id)
	if l == nil {
		return gone, err
	}
	if l.Stage() != stage.Nurture {
		return "not in nurture", nil
	}
	f := FlowOf(l)
	f.Recycled++
	f.RecycledAt, f.NurtureFrom, f.RecontactAt = ptr(now), nil, nil
	from := l.Stage()
	l.HumanStage = stage.Recycled
	setFlow(l, f)
	if err := tx.SaveFlow(ctx, l, now); err != nil {
		return "", err
	}
	if err := s.intake.ReevaluateLead(ctx, tx, l, now); err != nil {
		return "", err
	}
	data := map[string]any{"times": f.Recycled, "from": from, "to": l.Stage()}
	if err := tx.AddTimeline(ctx, l.ID, now, "recycled", data); err != nil {
		return "", err
	}
	if err := tx.Emit(ctx, store.OutEvent{Type: "lead.recycled", LeadID: l.ID, At: now, Data: data}); err != nil {
		return "", err
	}
	if err := moved(ctx, tx, l, from, Actor{Name: "re-contact"}, "recycled", now); err != nil {
		return "", err
	}
	return s.sync(ctx, tx, l, now)
}

// retryQueued tries again to give a queued lead to a team member.
func (s *Service) retryQueued(ctx context.Context, tx *store.Tx, id int64, now time.Time) (string, error) {
	l, gone, err := liveLead(ctx, tx, id)
	if l == nil {
		return gone, err
	}
	cur, err := currentAssignment(ctx, tx, id)
	if err != nil {
		return "", err
	}
	if cur == nil || cur.UserID != 0 || !stage.Open(l.Stage()) {
		return "not queued", nil
	}
	team, err := lockTeam(ctx, tx, cur.Team)
	if err != nil {
		return "", err
	}
	if team == nil {
		tx.Schedule(ctx, store.Timer{LeadID: id, Kind: store.TimerRoute, Due: now.Add(s.RetryQueued)}, now)
		return "team not set up", nil
	}
	cal, err := s.calendarFor(team, cur.Team, s.policyOf(l))
	if err != nil {
		return "", err
	}
	_, u, err := s.pickMember(ctx, tx, team, 0, cal, now)
	if err != nil {
		return "", err
	}
	if u == nil {
		tx.Schedule(ctx, store.Timer{LeadID: id, Kind: store.TimerRoute, Due: now.Add(s.RetryQueued)}, now)
		return "still nobody available", nil
	}
	cur.UserID = u.ID
	if err := tx.UpdateAssignment(ctx, cur); err != nil {
		return "", err
	}
	l.OwnerID, l.Owner = u.ID, u.Email
	if c, err := tx.LatestClock(ctx, id); err == nil && c.AssignmentID == cur.ID {
		c.UserID = u.ID
		if err := tx.UpdateClock(ctx, c); err != nil {
			return "", err
		}
	}
	if err := s.assigned(ctx, tx, l, cur, u, now); err != nil {
		return "", err
	}
	return "assigned", tx.SaveFlow(ctx, l, now)
}

// clockOf loads a timer's clock; one that no longer exists leaves nothing
// to do, said as the outcome.
func clockOf(ctx context.Context, tx *store.Tx, id int64) (*store.Clock, string, error) {
	c, err := tx.Clock(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "clock gone", nil
	}
	if err != nil {
		return nil, "", err
	}
	return c, "", nil
}
