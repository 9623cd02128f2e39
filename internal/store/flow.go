package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// SaveFlow stores what the waterfall changed on a lead: the human state,
// the flow JSON and the owner, and the stage column they imply. updated_at
// always moves forward, so a re-evaluation read before this change does
// not overwrite it (UpdateEvaluation checks updated_at).
func (tx *Tx) SaveFlow(ctx context.Context, l *Lead, now time.Time) error {
	var flow any
	if len(l.Flow) > 0 {
		flow = string(l.Flow)
	}
	_, err := tx.exec(ctx, `UPDATE leads SET human_stage=?, flow=?, owner=?, owner_id=?, stage=?,
		updated_at = CASE WHEN updated_at < ? THEN ? ELSE updated_at + 1 END WHERE id=?`,
		l.HumanStage, flow, l.Owner, nullInt(l.OwnerID), l.Stage(), millis(now), millis(now), l.ID)
	return err
}

// SetSuspicious marks a lead as held out of the queues for reasons, or
// clears the mark (reasons empty). It is a statement of its own, not a
// column of InsertLead and UpdateLead: few leads are ever marked.
func (tx *Tx) SetSuspicious(ctx context.Context, l *Lead, reasons []string) error {
	var v any
	if len(reasons) > 0 {
		b, err := json.Marshal(reasons)
		if err != nil {
			return err
		}
		v = string(b)
	}
	if _, err := tx.exec(ctx, `UPDATE leads SET suspicious=? WHERE id=?`, v, l.ID); err != nil {
		return fmt.Errorf("mark lead %d suspicious: %w", l.ID, err)
	}
	l.Suspicious = reasons
	tx.prefetchWrote(l)
	return nil
}
