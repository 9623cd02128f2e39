package store

import (
	"context"
	"time"
)

// OutEvent is something that happened to a lead, for webhook subscribers:
// lead.created, lead.merged, lead.stage_changed, lead.assigned,
// lead.accepted, lead.rejected, lead.touched, lead.recycled, sla.breached,
// sla.escalated. Data is encoded as JSON in the delivered body.
type OutEvent struct {
	Type   string
	LeadID int64
	At     time.Time
	Data   any
}

// Emit queues an event for every active subscription to its type, in the
// caller's transaction, so an event exists exactly when its change does.
func (tx *Tx) Emit(ctx context.Context, ev OutEvent) error {
	// TODO(webhooks helper): store the event and its deliveries.
	return nil
}
