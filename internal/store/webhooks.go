package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// OutEvent is something that happened to a lead, for webhook subscribers.
// Type is one of EventTypes; Data is encoded as JSON in the delivered body.
type OutEvent struct {
	Type   string
	LeadID int64
	At     time.Time
	Data   any
}

// EventTypes are the event types a webhook may subscribe to and Emit
// accepts. The API validates subscriptions against this list, so a new
// type is added here first.
var EventTypes = []string{
	"lead.created", "lead.merged", "lead.stage_changed", "lead.assigned",
	"lead.accepted", "lead.rejected", "lead.touched", "lead.recycled",
	"lead.qualified", "lead.reassigned", "sla.breached", "sla.escalated",
}

// RetryWindow is how long a delivery is retried, counted from the event
// (or from a manual redelivery), before it is marked failed.
const RetryWindow = 72 * time.Hour

// hookCacheTTL bounds how stale another server's view of the subscriptions
// may be: a subscription created on server A receives events emitted on
// server B at most this long later. Changes made through this DB are seen
// at once.
const hookCacheTTL = time.Second

// hookCache is the active subscriptions by event type. Emit runs inside
// every waterfall write, so with no subscriptions it must cost a map
// lookup, not a query.
type hookCache struct {
	mu     sync.Mutex
	gen    uint64 // bumped by invalidate; a load started before it is not kept
	loaded time.Time
	byType map[string][]int64
	valid  bool // byType was loaded and not invalidated since
}

func (c *hookCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.byType, c.valid = nil, false
	c.mu.Unlock()
}

// subscribers returns the IDs of the active subscriptions to typ, reading
// them through tx when the cache is cold (inside the caller's transaction,
// so that a busy pool cannot deadlock on a second connection).
func (tx *Tx) subscribers(ctx context.Context, typ string) ([]int64, error) {
	c := &tx.db.hooks
	c.mu.Lock()
	if c.valid && time.Since(c.loaded) < hookCacheTTL {
		ids := c.byType[typ]
		c.mu.Unlock()
		return ids, nil
	}
	gen := c.gen
	c.mu.Unlock()

	rows, err := tx.rows(ctx, `SELECT id, types FROM webhook_subscriptions WHERE active = 1 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("webhook subscriptions: %w", err)
	}
	defer rows.Close()
	byType := map[string][]int64{}
	for rows.Next() {
		var (
			id    int64
			types string
		)
		if err := rows.Scan(&id, &types); err != nil {
			return nil, err
		}
		for _, t := range decodeTypes(types) {
			byType[t] = append(byType[t], id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.byType, c.loaded, c.valid = byType, time.Now(), true
	}
	c.mu.Unlock()
	return byType[typ], nil
}

// Emit queues an event for every active subscription to its type, in the
// caller's transaction, so an event exists exactly when its change does.
// Without subscribers nothing is written.
func (tx *Tx) Emit(ctx context.Context, ev OutEvent) error {
	if !slices.Contains(EventTypes, ev.Type) {
		return fmt.Errorf("emit: unknown event type %q", ev.Type)
	}
	if ev.At.IsZero() {
		return fmt.Errorf("emit %s: the event has no time", ev.Type)
	}
	subs, err := tx.subscribers(ctx, ev.Type)
	if err != nil || len(subs) == 0 {
		return err
	}
	data := []byte("{}")
	if ev.Data != nil {
		if data, err = json.Marshal(ev.Data); err != nil {
			return fmt.Errorf("emit %s: data: %w", ev.Type, err)
		}
	}
	at := millis(ev.At)
	eventID, err := tx.insert(ctx, `INSERT INTO webhook_events (public_id, type, lead_id, data, created_at) VALUES (?, ?, ?, ?, ?)`,
		newEventID(), ev.Type, nullInt(ev.LeadID), string(data), at)
	if err != nil {
		return fmt.Errorf("emit %s: %w", ev.Type, err)
	}
	// Selecting the subscriptions again inside the transaction skips one
	// deleted or paused on another server since the cache was filled.
	args := []any{eventID, at, millis(ev.At.Add(RetryWindow)), at}
	for _, id := range subs {
		args = append(args, id)
	}
	res, err := tx.exec(ctx, `INSERT INTO webhook_deliveries (subscription_id, event_id, status, attempts, next_at, give_up_at, created_at)
		SELECT id, ?, 'pending', 0, ?, ?, ? FROM webhook_subscriptions WHERE active = 1 AND id IN (`+placeholders(len(subs))+`)`, args...)
	if err != nil {
		return fmt.Errorf("emit %s: deliveries: %w", ev.Type, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err = tx.exec(ctx, `DELETE FROM webhook_events WHERE id = ?`, eventID)
	}
	return err
}

// newEventID is the public, stable ID of an event: receivers use it to
// drop the duplicates that at-least-once delivery allows.
func newEventID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "evt_" + hex.EncodeToString(b)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// Subscription types are stored as one space-separated TEXT column: the
// list is short, matched in Go from the cache, and never queried by type.
func encodeTypes(types []string) string { return strings.Join(types, " ") }

func decodeTypes(s string) []string { return strings.Fields(s) }
