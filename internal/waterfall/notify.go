package waterfall

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/store"
)

// dueSoonWindow is how long before a first-touch deadline its owner is
// warned: the same two business hours the app shows in amber.
const dueSoonWindow = 2 * time.Hour

// notify stores a notification for a user about a lead, in the
// transaction of the change it tells of; the mailer sends it afterwards.
func notify(ctx context.Context, tx *store.Tx, userID int64, kind string, l *store.Lead, data map[string]any, now time.Time) error {
	if userID == 0 {
		return nil
	}
	if data == nil {
		data = map[string]any{}
	}
	data["lead_name"] = leadName(l)
	if c := l.Data.Company.Name; c != "" {
		data["company"] = c
	}
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	return tx.Notify(ctx, &store.Notification{UserID: userID, Kind: kind, LeadID: l.ID, Data: b, CreatedAt: now})
}

// leadName is how a message names a lead: the person, else the e-mail.
func leadName(l *store.Lead) string {
	if n := strings.TrimSpace(l.Data.Person.FirstName + " " + l.Data.Person.LastName); n != "" {
		return n
	}
	if l.Email != "" {
		return l.Email
	}
	return l.Data.Company.Name
}

// notifyAssigned tells a user a lead is now theirs and, when it was taken
// from someone (a manager's reassignment, an escalation), tells that
// person too.
func notifyAssigned(ctx context.Context, tx *store.Tx, l *store.Lead, a *store.Assignment, u *store.User, now time.Time) error {
	if u == nil {
		return nil
	}
	from := previousOwner(a)
	kind := store.NotifyAssigned
	data := map[string]any{"team": a.Team}
	if a.Actor != "routing" {
		kind = store.NotifyReassigned
		data["by"] = a.Actor
	}
	if err := notify(ctx, tx, u.ID, kind, l, data, now); err != nil {
		return err
	}
	if from == 0 || from == u.ID {
		return nil
	}
	return notify(ctx, tx, from, store.NotifyTakenAway, l, map[string]any{"team": a.Team, "by": a.Actor, "to": u.Name}, now)
}

// previousOwner reads who had the lead before from an assignment's
// reason: a manager's reassignment says from_user, an escalation
// escalated_from.
func previousOwner(a *store.Assignment) int64 {
	var why struct {
		From      int64 `json:"from_user"`
		Escalated int64 `json:"escalated_from"`
	}
	if len(a.Reason) == 0 || json.Unmarshal(a.Reason, &why) != nil {
		return 0
	}
	return max(why.From, why.Escalated)
}

// scheduleDueSoon sets the warning of a new or resumed clock: two
// business hours before its deadline, or half way through when the whole
// window is shorter than four.
func scheduleDueSoon(ctx context.Context, tx *store.Tx, c *store.Clock, cal *calendar.Calendar, now time.Time) {
	var at time.Time
	if cal != nil {
		total := cal.BusinessTime(now, c.DueAt)
		at = cal.AddBusinessHours(now, total-min(dueSoonWindow, total/2))
	} else {
		total := c.DueAt.Sub(now)
		at = now.Add(total - min(dueSoonWindow, total/2))
	}
	if !at.After(now) || !at.Before(c.DueAt) {
		return
	}
	tx.Schedule(ctx, store.Timer{LeadID: c.LeadID, Kind: store.TimerDueSoon, Ref: c.ID, Due: at}, now)
}

// dueSoon is a clock's warning timer: the owner of a lead whose first
// touch is still pending is told it is about to fall due.
func (s *Service) dueSoon(ctx context.Context, tx *store.Tx, clockID int64, now time.Time) (string, error) {
	c, gone, err := clockOf(ctx, tx, clockID)
	if c == nil {
		return gone, err
	}
	if c.Status != store.ClockPending || !now.Before(c.DueAt) {
		return "clock " + c.Status, nil
	}
	if c.UserID == 0 {
		return "nobody to warn", nil
	}
	l, gone, err := liveLead(ctx, tx, c.LeadID)
	if l == nil {
		return gone, err
	}
	data := map[string]any{"due_at": c.DueAt, "team": c.Team, "policy": c.Policy}
	return "warned", notify(ctx, tx, c.UserID, store.NotifyDueSoon, l, data, now)
}

// notifyBreached tells the team's manager a first touch was missed.
func notifyBreached(ctx context.Context, tx *store.Tx, c *store.Clock, team *store.Team, now time.Time) error {
	if team == nil || team.ManagerID == 0 {
		return nil
	}
	l, _, err := liveLead(ctx, tx, c.LeadID)
	if l == nil {
		return err
	}
	data := map[string]any{"due_at": c.DueAt, "team": c.Team, "policy": c.Policy}
	if c.UserID != 0 {
		if u, err := tx.User(ctx, c.UserID); err == nil {
			data["owner"] = u.Name
		}
	}
	return notify(ctx, tx, team.ManagerID, store.NotifyBreached, l, data, now)
}
