package intake

import (
	"context"
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
}

func flowOf(l *store.Lead) flowState {
	f := flowState{stage: l.Stage(), owned: l.OwnerID != 0 || l.HumanStage != ""}
	if r := l.Eval; r != nil {
		f.action, f.team = r.Action, r.Team
	}
	return f
}

// needsSync reports whether the waterfall must look at a lead after an
// evaluation: something it acts on changed, and the lead is or was routed,
// nurtured or owned. Most inquiries that are not leads never need it.
func needsSync(prev, next flowState) bool {
	if prev.stage == next.stage && prev.action == next.action && prev.team == next.team {
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

// leadCreated announces a new lead to webhook subscribers.
func leadCreated(ctx context.Context, tx *store.Tx, l *store.Lead, now time.Time) error {
	data := map[string]any{"stage": l.Stage(), "email": l.Email}
	if r := l.Eval; r != nil {
		data["score"], data["band"], data["action"], data["quality"] = r.Total, r.Band, r.Action, r.Quality
	}
	return tx.Emit(ctx, store.OutEvent{Type: "lead.created", LeadID: l.ID, At: now, Data: data})
}
