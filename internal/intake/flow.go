package intake

import (
	"context"
	"errors"
	"time"

	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
)

// flowState is what the waterfall looks at in an evaluation: the stage
// the lead shows, the band's action and the definition's team, and
// whether sales already has the lead.
type flowState struct {
	stage, action, team string
	owned               bool
	held                bool // marked suspicious: the waterfall does not route it
}

func flowOf(l *store.Lead) flowState {
	f := flowState{stage: l.Stage(), owned: l.OwnerID != 0 || l.HumanStage != "", held: len(l.Suspicious) > 0}
	if r := l.Eval; r != nil {
		f.action, f.team = r.Action, r.Team
	}
	return f
}

// needsSync reports whether the waterfall must look at a lead after an
// evaluation: something it acts on changed, and the lead is or was routed,
// nurtured or owned. Most inquiries that are not leads never need it.
func needsSync(prev, next flowState) bool {
	if prev.stage == next.stage && prev.action == next.action && prev.team == next.team && prev.held == next.held {
		return false
	}
	interesting := func(f flowState) bool {
		return f.owned || f.action == "route" || f.stage == stage.Nurture || f.stage == stage.MQL || f.stage == stage.SQL
	}
	return interesting(prev) || interesting(next)
}

// afterEvaluation records what an evaluation changed: the stage change on
// the timeline and as a webhook event, and a waterfall timer when sales
// must act. prev is the zero flowState for a new lead.
func afterEvaluation(ctx context.Context, tx *store.Tx, l *store.Lead, prev flowState, now time.Time) error {
	next := flowOf(l)
	if prev.stage != "" && prev.stage != next.stage {
		data := map[string]any{"from": prev.stage, "to": next.stage, "actor": "definition"}
		if r := l.Eval; r != nil {
			data["definition"], data["score"], data["band"] = r.Definition, r.Total, r.Band
		}
		if err := tx.AddTimeline(ctx, l.ID, now, "stage_changed", data); err != nil {
			return err
		}
		if err := tx.Emit(ctx, store.OutEvent{Type: "lead.stage_changed", LeadID: l.ID, At: now, Data: data}); err != nil {
			return err
		}
	}
	if next.stage == stage.Nurture && !next.owned && prev.action != "route" {
		// The common case, a lead sales never had: its band's re-contact is
		// scheduled here, without the waterfall loading the lead again (a
		// second schedule keeps the first).
		if r := l.Eval; r != nil && r.RecontactAt != nil {
			tx.Schedule(ctx, store.Timer{LeadID: l.ID, Kind: store.TimerRecontact, Due: *r.RecontactAt}, now)
		}
		return nil
	}
	if needsSync(prev, next) {
		tx.Schedule(ctx, store.Timer{LeadID: l.ID, Kind: store.TimerSync, Due: now}, now)
	}
	return nil
}

// suspicion brings a lead's suspicious mark in line with an inquiry
// (docs/security.md): a public web-form submission that looked like spam
// marks a lead sales does not have yet, and the waterfall then keeps it
// out of the queues; any other inquiry lifts the mark, so a person who
// tripped a spam check and sends the form again is routed as usual.
// Marking a lead costs a statement or two; nearly all inquiries cost none.
func suspicion(ctx context.Context, tx *store.Tx, l *store.Lead, in *Inquiry) error {
	if len(in.Suspicious) == 0 || !in.Untrusted {
		if len(l.Suspicious) == 0 {
			return nil
		}
		return tx.SetSuspicious(ctx, l, nil)
	}
	if flowOf(l).owned {
		return nil // sales has it already: a suspicious post does not take it back
	}
	if _, err := tx.CurrentAssignment(ctx, l.ID); err == nil {
		return nil // waiting in a team's queue
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return tx.SetSuspicious(ctx, l, in.Suspicious)
}

// leadCreated announces a new lead to webhook subscribers.
func leadCreated(ctx context.Context, tx *store.Tx, l *store.Lead, now time.Time) error {
	data := map[string]any{"stage": l.Stage(), "email": l.Email}
	if r := l.Eval; r != nil {
		data["score"], data["band"], data["action"], data["quality"] = r.Total, r.Band, r.Action, r.Quality
	}
	return tx.Emit(ctx, store.OutEvent{Type: "lead.created", LeadID: l.ID, At: now, Data: data})
}
