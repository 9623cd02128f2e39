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

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/suggest"
)

// Actor is who performs a human act: a user, or a token with no user
// (an admin's or a manager's integration).
type Actor struct {
	User *store.User
	Role string // the token's role
	Name string // what the records show: the user's e-mail or the token's name
}

func (a Actor) id() int64 {
	if a.User != nil {
		return a.User.ID
	}
	return 0
}

// View is a lead's place in the waterfall, returned by every act.
type View struct {
	LeadID     int64             `json:"lead_id"`
	Stage      string            `json:"stage"`
	Owner      string            `json:"owner,omitempty"`
	OwnerID    int64             `json:"owner_id,omitempty"`
	Flow       Flow              `json:"flow"`
	Assignment *store.Assignment `json:"assignment,omitempty"`
	Clock      *store.Clock      `json:"clock,omitempty"`
}

// act runs one human act on a locked lead in a transaction, then brings
// the lead's assignment and clock in line, and returns the lead's view.
func (s *Service) act(ctx context.Context, leadID int64, fn func(tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) error) (*View, error) {
	var v *View
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		l, err := tx.Lead(ctx, leadID)
		if errors.Is(err, store.ErrNotFound) {
			return problem.New(problem.NotFound, "lead %d does not exist", leadID)
		}
		if err != nil {
			return err
		}
		if l.MergedInto != 0 {
			return problem.New(problem.Conflict, "lead %d was merged into lead %d; act on that one", leadID, l.MergedInto)
		}
		cur, err := currentAssignment(ctx, tx, l.ID)
		if err != nil {
			return err
		}
		if err := fn(tx, l, cur, now); err != nil {
			return err
		}
		if _, err := s.sync(ctx, tx, l, now); err != nil {
			return err
		}
		v, err = view(ctx, tx, l)
		return err
	})
	return v, err
}

func view(ctx context.Context, tx *store.Tx, l *store.Lead) (*View, error) {
	v := &View{LeadID: l.ID, Stage: l.Stage(), Owner: l.Owner, OwnerID: l.OwnerID, Flow: FlowOf(l)}
	var err error
	if v.Assignment, err = currentAssignment(ctx, tx, l.ID); err != nil {
		return nil, err
	}
	c, err := tx.LatestClock(ctx, l.ID)
	if err == nil {
		v.Clock = c
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return v, nil
}

// mayWork checks that the actor may work this lead: its owner, the
// manager of its team, or an admin or manager token.
func (s *Service) mayWork(ctx context.Context, tx *store.Tx, a Actor, cur *store.Assignment, what string) error {
	if a.Role == "admin" || a.Role == "manager" {
		return nil
	}
	if a.User == nil {
		return problem.New(problem.Forbidden, "%s needs to know who does it: use a token linked to a user or name the user in \"by\"", what)
	}
	if cur == nil {
		return problem.New(problem.Conflict, "the lead is not assigned to anyone; a manager can assign it (POST /api/v1/leads/{id}/assign)")
	}
	if cur.UserID == a.User.ID {
		return nil
	}
	teams, err := tx.TeamsManagedBy(ctx, a.User.ID)
	if err != nil {
		return err
	}
	if slices.Contains(teams, cur.Team) {
		return nil
	}
	return problem.New(problem.Forbidden, "%s: the lead belongs to another owner (user %d in team %s); only they or the team's manager may", what, cur.UserID, cur.Team)
}

// moved records a stage change made by a person.
func moved(ctx context.Context, tx *store.Tx, l *store.Lead, from string, a Actor, reason string, now time.Time) error {
	to := l.Stage()
	if to == from {
		return nil
	}
	data := map[string]any{"from": from, "to": to, "actor": a.Name, "reason": reason}
	if l.Eval != nil {
		data["definition"] = l.Eval.Definition
	}
	if err := tx.AddTimeline(ctx, l.ID, now, "stage_changed", data); err != nil {
		return err
	}
	return tx.Emit(ctx, store.OutEvent{Type: "lead.stage_changed", LeadID: l.ID, At: now, Data: data})
}

func checkAct(act, current string) error {
	if err := stage.Check(act, current); err != nil {
		return problem.New(problem.Conflict, "%s", err.Error())
	}
	return nil
}

// Accept records that the owner takes the lead: an MQL becomes SAL.
func (s *Service) Accept(ctx context.Context, leadID int64, a Actor, note string) (*View, error) {
	return s.act(ctx, leadID, func(tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) error {
		from := l.Stage()
		if err := checkAct(stage.ActAccept, from); err != nil {
			return err
		}
		if err := s.mayWork(ctx, tx, a, cur, "accepting"); err != nil {
			return err
		}
		if cur != nil {
			cur.Status = store.AssignAccepted
			if err := tx.UpdateAssignment(ctx, cur); err != nil {
				return err
			}
		}
		f := FlowOf(l)
		f.AcceptedAt, f.AcceptedBy = ptr(now), a.Name
		setFlow(l, f)
		l.HumanStage = stage.SAL
		if err := tx.SaveFlow(ctx, l, now); err != nil {
			return err
		}
		if err := tx.AddTimeline(ctx, l.ID, now, "accepted", map[string]any{"by": a.Name, "note": note}); err != nil {
			return err
		}
		if err := tx.Emit(ctx, store.OutEvent{Type: "lead.accepted", LeadID: l.ID, At: now, Data: map[string]any{"by": a.Name, "note": note}}); err != nil {
			return err
		}
		return moved(ctx, tx, l, from, a, "accepted", now)
	})
}

// Reject gives the lead back to marketing with a reason; the definition's
// waterfall.rejections says whether it goes to nurture (and when it is
// re-contacted) or is disqualified.
func (s *Service) Reject(ctx context.Context, leadID int64, a Actor, reason, text string) (*View, error) {
	reason, text = strings.TrimSpace(reason), strings.TrimSpace(text)
	if !slices.Contains(stage.Reasons, reason) {
		return nil, problem.Fields("a rejection needs a reason code", problem.Field{Name: "reason",
			Reason: fmt.Sprintf("%q is not a reason%s; use one of %s", reason, suggest.Hint(reason, stage.Reasons), strings.Join(stage.Reasons, ", "))})
	}
	if reason == stage.ReasonOther && text == "" {
		return nil, problem.Fields("reason other needs a text", problem.Field{Name: "text", Reason: "missing: say why the lead is rejected"})
	}
	def := s.definition()
	if def == nil {
		return nil, problem.New(problem.Conflict, "no definition is active")
	}
	rej := def.Waterfall.Rejections[reason]
	return s.act(ctx, leadID, func(tx *store.Tx, l *store.Lead, cur *store.Assignment, now time.Time) error {
		from := l.Stage()
		if err := checkAct(stage.ActReject, from); err != nil {
			return err
		}
		if err := s.mayWork(ctx, tx, a, cur, "rejecting"); err != nil {
			return err
		}
		team := ""
		if cur != nil {
			team = cur.Team
			cur.Status, cur.EndedAt, cur.EndReason = store.AssignRejected, ptr(now), reason
			if err := tx.UpdateAssignment(ctx, cur); err != nil {
				return err
			}
		}
		f := FlowOf(l)
		f.Rejection = &Rejected{Reason: reason, Text: text, By: a.Name, At: now, To: rej.To}
		f.NurtureFrom, f.RecontactAt = nil, nil // sync schedules the rejection's own re-contact
		if err := tx.CancelTimers(ctx, l.ID, now, store.TimerRecontact); err != nil {
			return err
		}
		setFlow(l, f)
		l.HumanStage = rej.To
		r := &store.Rejection{LeadID: l.ID, UserID: a.id(), Team: team, Reason: reason, Text: text, ToStage: rej.To, At: now}
		if act := s.intake.Active(); act != nil {
			r.DefinitionID = act.ID
		}
		if err := tx.InsertRejection(ctx, r); err != nil {
			return err
		}
		data := map[string]any{"by": a.Name, "reason": reason, "text": text, "to": rej.To, "team": team}
		if err := tx.AddTimeline(ctx, l.ID, now, "rejected", data); err != nil {
			return err
		}
		if err := tx.Emit(ctx, store.OutEvent{Type: "lead.rejected", LeadID: l.ID, At: now, Data: data}); err != nil {
			return err
		}
		return moved(ctx, tx, l, from, a, "rejected: "+reason, now)
	})
}

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
			if err := tx.CancelTimers(ctx, l.ID, now, store.TimerBreach, store.TimerEscalate); err != nil {
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
		if a.Role != "admin" && a.Role != "manager" {
			managed := []string(nil)
			if a.User != nil {
				if managed, err = tx.TeamsManagedBy(ctx, a.User.ID); err != nil {
					return err
				}
			}
			if !slices.Contains(managed, team) {
				return problem.New(problem.Forbidden, "only a manager (of team %s) or an admin may assign leads", team)
			}
		}
		if cur != nil && cur.UserID == userID {
			return nil
		}
		status := store.AssignOpen
		prevUser := int64(0)
		if cur != nil {
			prevUser = cur.UserID
			if cur.Status == store.AssignAccepted {
				status = store.AssignAccepted
			}
			cur.Status, cur.EndedAt, cur.EndReason = store.AssignReassigned, ptr(now), "reassigned by "+a.Name
			if err := tx.UpdateAssignment(ctx, cur); err != nil {
				return err
			}
		}
		why := fmt.Sprintf(`{"by":%q,"reason":%q,"from_user":%d}`, a.Name, reason, prevUser)
		na := &store.Assignment{LeadID: l.ID, Team: team, UserID: u.ID, At: now, Actor: a.Name, Reason: []byte(why), Status: status}
		if err := tx.InsertAssignment(ctx, na); err != nil {
			return err
		}
		if c, err := tx.LatestClock(ctx, l.ID); err == nil && (c.Status == store.ClockPending || c.Status == store.ClockPaused) {
			c.UserID = u.ID
			if err := tx.UpdateClock(ctx, c); err != nil {
				return err
			}
		}
		if err := tx.CancelTimers(ctx, l.ID, now, store.TimerRoute); err != nil {
			return err
		}
		l.OwnerID, l.Owner = u.ID, u.Email
		if err := tx.SaveFlow(ctx, l, now); err != nil {
			return err
		}
		return s.assigned(ctx, tx, l, na, u, now)
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
		if err := tx.CancelTimers(ctx, l.ID, now, store.TimerBreach); err != nil {
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
