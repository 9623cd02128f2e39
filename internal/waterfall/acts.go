package waterfall

import (
	"context"
	"errors"
	"fmt"
	"github.com/pistahq/pista/internal/access"
	"slices"
	"strings"
	"time"

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
	if access.Allows(a.Role, access.ManageLeads) {
		return nil
	}
	if a.User == nil {
		return problem.New(problem.Forbidden, "%s needs to know who does it: use a token linked to a user or name the user in \"by\"", what)
	}
	if cur == nil {
		return problem.Coded(problem.Conflict, "unassigned", nil, "the lead is not assigned to anyone; a manager can assign it (POST /api/v1/leads/{id}/assign)")
	}
	if cur.UserID == a.User.ID {
		return nil
	}
	if ok, err := manages(ctx, tx, a, cur.Team); ok || err != nil {
		return err
	}
	return problem.Coded(problem.Forbidden, "not_owner", nil, "%s: the lead belongs to another owner (user %d in team %s); only they or the team's manager may", what, cur.UserID, cur.Team)
}

// MayWork checks inside tx that the actor may work a lead, as sales'
// acts do (see mayWork): intake asks it before recording a BANT call.
func (s *Service) MayWork(ctx context.Context, tx *store.Tx, a Actor, leadID int64, what string) error {
	cur, err := currentAssignment(ctx, tx, leadID)
	if err != nil {
		return err
	}
	return s.mayWork(ctx, tx, a, cur, what)
}

// manages reports whether the actor may manage a team's leads: an admin
// or manager token, or the team's manager.
func manages(ctx context.Context, tx *store.Tx, a Actor, team string) (bool, error) {
	if access.Allows(a.Role, access.ManageLeads) {
		return true, nil
	}
	if a.User == nil {
		return false, nil
	}
	teams, err := tx.TeamsManagedBy(ctx, a.User.ID)
	return slices.Contains(teams, team), err
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
		return problem.Coded(problem.Conflict, "stage_act", []any{act, current}, "%s", err.Error())
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
