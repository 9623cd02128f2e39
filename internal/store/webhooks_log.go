package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// WebhookDelivery is one event for one subscription: its state and every
// attempt, for the delivery log.
type WebhookDelivery struct {
	ID          int64      `json:"id"`
	WebhookID   int64      `json:"webhook_id"`
	EventID     string     `json:"event_id"`
	EventType   string     `json:"event_type"`
	LeadID      int64      `json:"lead_id,omitempty"`
	EventAt     time.Time  `json:"event_at"`
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts"`
	NextAt      *time.Time `json:"next_at,omitempty"`
	GiveUpAt    time.Time  `json:"give_up_at"`
	LastStatus  int        `json:"last_status,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	Log         []Attempt  `json:"log"`
}

// DeliveryFilter pages through a subscription's deliveries, newest first.
type DeliveryFilter struct {
	BeforeID int64  // only deliveries with a smaller ID (the cursor)
	Status   string // pending, delivered or failed; "" for all
	Limit    int    // default 50
}

// maxAttemptsShown bounds the log of one delivery; 72 hours of backoff
// take about 25 attempts, so this only trims many manual redeliveries.
const maxAttemptsShown = 100

// WebhookDeliveries lists a subscription's deliveries with their attempts.
func (db *DB) WebhookDeliveries(ctx context.Context, webhook int64, f DeliveryFilter) ([]*WebhookDelivery, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	query := `SELECT d.id, d.subscription_id, e.public_id, e.type, e.lead_id, e.created_at, d.status, d.attempts, d.next_at, d.give_up_at,
		d.last_status, d.last_error, d.delivered_at
		FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.subscription_id = ?`
	args := []any{webhook}
	if f.BeforeID > 0 {
		query += ` AND d.id < ?`
		args = append(args, f.BeforeID)
	}
	if f.Status != "" {
		query += ` AND d.status = ?`
		args = append(args, f.Status)
	}
	query += ` ORDER BY d.id DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := db.sql.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("webhook deliveries: %w", err)
	}
	out := []*WebhookDelivery{}
	byID := map[int64]*WebhookDelivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, d)
		byID[d.ID] = d
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	return out, db.loadAttempts(ctx, byID)
}

// WebhookDelivery loads one delivery of a subscription with its attempts.
func (db *DB) WebhookDelivery(ctx context.Context, webhook, id int64) (*WebhookDelivery, error) {
	d, err := scanDelivery(db.sql.QueryRowContext(ctx, db.q(`SELECT d.id, d.subscription_id, e.public_id, e.type, e.lead_id, e.created_at, d.status, d.attempts,
		d.next_at, d.give_up_at, d.last_status, d.last_error, d.delivered_at
		FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.subscription_id = ? AND d.id = ?`), webhook, id))
	if err != nil {
		return nil, err
	}
	return d, db.loadAttempts(ctx, map[int64]*WebhookDelivery{d.ID: d})
}

func scanDelivery(sc interface{ Scan(...any) error }) (*WebhookDelivery, error) {
	var (
		d                             WebhookDelivery
		lead, lastStatus, deliveredAt sql.NullInt64
		eventAt, nextAt, giveUp       int64
	)
	err := sc.Scan(&d.ID, &d.WebhookID, &d.EventID, &d.EventType, &lead, &eventAt, &d.Status, &d.Attempts, &nextAt, &giveUp,
		&lastStatus, &d.LastError, &deliveredAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	d.LeadID, d.LastStatus, d.EventAt, d.GiveUpAt = lead.Int64, int(lastStatus.Int64), fromMillis(eventAt), fromMillis(giveUp)
	if d.Status == DeliveryPending {
		t := fromMillis(nextAt)
		d.NextAt = &t
	}
	if deliveredAt.Valid {
		t := fromMillis(deliveredAt.Int64)
		d.DeliveredAt = &t
	}
	d.Log = []Attempt{}
	return &d, nil
}

// loadAttempts fills in the log of the deliveries (at most a page of them).
func (db *DB) loadAttempts(ctx context.Context, byID map[int64]*WebhookDelivery) error {
	args := make([]any, 0, len(byID))
	for id := range byID {
		args = append(args, id)
	}
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT delivery_id, at, status, error, duration_ms FROM webhook_attempts
		WHERE delivery_id IN (`+placeholders(len(args))+`) ORDER BY delivery_id, id`), args...)
	if err != nil {
		return fmt.Errorf("webhook attempts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id, at int64
			a      Attempt
		)
		if err := rows.Scan(&id, &at, &a.Status, &a.Error, &a.Duration); err != nil {
			return err
		}
		a.At = fromMillis(at)
		if d := byID[id]; d != nil {
			if len(d.Log) == maxAttemptsShown {
				d.Log = d.Log[1:]
			}
			d.Log = append(d.Log, a)
		}
	}
	return rows.Err()
}
