package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Delivery states.
const (
	DeliveryPending   = "pending"   // due at next_at
	DeliveryDelivered = "delivered" // a 2xx answer
	DeliveryFailed    = "failed"    // no 2xx answer before give_up_at
)

// ErrDeliveryInFlight is returned when a delivery cannot change because a
// dispatcher is sending it right now.
var ErrDeliveryInFlight = errors.New("delivery in flight")

// DueDelivery is a claimed delivery with everything the HTTP call needs.
// LeaseToken proves the claim when the outcome is recorded.
type DueDelivery struct {
	ID             int64
	SubscriptionID int64
	URL, Secret    string
	EventID        string // public "evt_..."
	EventType      string
	LeadID         int64
	EventAt        time.Time
	Data           json.RawMessage
	Attempts       int // before this one
	GiveUpAt       time.Time
	LeaseToken     string
}

// ClaimDeliveries leases up to limit due deliveries of active
// subscriptions until now+lease, and returns them. The claim commits
// before any HTTP call, so no transaction stays open across the network;
// on PostgreSQL, FOR UPDATE SKIP LOCKED lets several servers claim
// disjoint sets at once. A lease that runs out (a crashed server) makes
// the delivery due again.
func (db *DB) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*DueDelivery, error) {
	b := make([]byte, 12)
	rand.Read(b)
	token := hex.EncodeToString(b)
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	// Asked with a read first: the claim takes the write lock, which
	// intake's next commit would have to wait for even when nothing is due.
	var due int
	err := db.sql.QueryRowContext(ctx, db.q(`SELECT count(*) FROM (SELECT 1 FROM webhook_deliveries
		WHERE status = 'pending' AND next_at <= ? AND (lease_until IS NULL OR lease_until <= ?) LIMIT 1) d`), millis(now), millis(now)).Scan(&due)
	if err != nil {
		return nil, fmt.Errorf("deliveries due: %w", err)
	}
	if due == 0 {
		return nil, nil
	}
	var out []*DueDelivery
	err = db.InTx(ctx, func(tx *Tx) error {
		out = nil
		res, err := tx.exec(ctx, `UPDATE webhook_deliveries SET lease_until = ?, lease_token = ? WHERE id IN (
			SELECT d.id FROM webhook_deliveries d
			WHERE d.status = 'pending' AND d.next_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?)
			  AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = d.subscription_id AND s.active = 1)
			ORDER BY d.next_at, d.id LIMIT ?`+lock+`)`, millis(now.Add(lease)), token, millis(now), millis(now), limit)
		if err != nil {
			return fmt.Errorf("claim deliveries: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		rows, err := tx.rows(ctx, `SELECT d.id, d.subscription_id, s.url, s.secret, e.public_id, e.type, e.lead_id, e.data, e.created_at, d.attempts, d.give_up_at
			FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id JOIN webhook_events e ON e.id = d.event_id
			WHERE d.lease_token = ? ORDER BY d.next_at, d.id`, token)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				d          DueDelivery
				lead       sql.NullInt64
				data       string
				at, giveUp int64
			)
			if err := rows.Scan(&d.ID, &d.SubscriptionID, &d.URL, &d.Secret, &d.EventID, &d.EventType, &lead, &data, &at, &d.Attempts, &giveUp); err != nil {
				return err
			}
			d.LeadID, d.Data, d.EventAt, d.GiveUpAt, d.LeaseToken = lead.Int64, json.RawMessage(data), fromMillis(at), fromMillis(giveUp), token
			out = append(out, &d)
		}
		return rows.Err()
	})
	return out, err
}

// Attempt is one try at a delivery, as the log shows it.
type Attempt struct {
	At       time.Time `json:"at"`
	Status   int       `json:"status,omitempty"` // the HTTP status; absent when there was no answer
	Error    string    `json:"error,omitempty"`
	Duration int64     `json:"duration_ms"`
}

// FinishDelivery logs an attempt and moves the delivery to status (next
// due at next when pending). It reports false when the lease was lost
// (it ran out and another dispatcher claimed the delivery, or it was
// redelivered or deleted): the attempt is still logged if the delivery
// exists, but its state is left to the new owner.
func (db *DB) FinishDelivery(ctx context.Context, d *DueDelivery, a Attempt, status string, next time.Time) (bool, error) {
	var kept bool
	err := db.InTx(ctx, func(tx *Tx) error {
		var delivered any
		if status == DeliveryDelivered {
			delivered = millis(a.At)
		}
		if status != DeliveryPending {
			next = a.At
		}
		res, err := tx.exec(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_at = ?, last_status = ?, last_error = ?,
			delivered_at = COALESCE(?, delivered_at), lease_until = NULL, lease_token = NULL WHERE id = ? AND lease_token = ?`,
			status, millis(next), nullInt(int64(a.Status)), a.Error, delivered, d.ID, d.LeaseToken)
		if err != nil {
			return fmt.Errorf("finish delivery %d: %w", d.ID, err)
		}
		n, _ := res.RowsAffected()
		kept = n == 1
		_, err = tx.exec(ctx, `INSERT INTO webhook_attempts (delivery_id, at, status, error, duration_ms) SELECT id, ?, ?, ?, ? FROM webhook_deliveries WHERE id = ?`,
			millis(a.At), a.Status, a.Error, a.Duration, d.ID)
		return err
	})
	return kept, err
}

// ReleaseDelivery gives a claimed delivery back without an attempt (the
// server is shutting down), so another server need not wait for the
// lease to run out.
func (db *DB) ReleaseDelivery(ctx context.Context, d *DueDelivery) error {
	_, err := db.execWrite(ctx, `UPDATE webhook_deliveries SET lease_until = NULL, lease_token = NULL WHERE id = ? AND lease_token = ?`, d.ID, d.LeaseToken)
	return err
}

// Redeliver makes a delivery of subscription due now, whatever its state,
// with a fresh retry window. It returns ErrNotFound, or
// ErrDeliveryInFlight while a dispatcher holds it.
func (db *DB) Redeliver(ctx context.Context, subscription, id int64, now time.Time) error {
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE webhook_deliveries SET status = 'pending', next_at = ?, give_up_at = ?, lease_until = NULL, lease_token = NULL
			WHERE id = ? AND subscription_id = ? AND (lease_until IS NULL OR lease_until <= ?)`,
			millis(now), millis(now.Add(RetryWindow)), id, subscription, millis(now))
		if err != nil {
			return fmt.Errorf("redeliver %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		var one int
		err = tx.row(ctx, `SELECT 1 FROM webhook_deliveries WHERE id = ? AND subscription_id = ?`, id, subscription).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return ErrDeliveryInFlight
	})
}

// PruneWebhooks deletes up to limit finished deliveries (and their log)
// whose last attempt is before before, then the events no delivery needs.
// It returns how many deliveries went.
func (db *DB) PruneWebhooks(ctx context.Context, before time.Time, limit int) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM webhook_deliveries WHERE id IN (
			SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND next_at < ? ORDER BY id LIMIT ?)`, millis(before), limit)
		if err != nil {
			return fmt.Errorf("prune deliveries: %w", err)
		}
		n, _ = res.RowsAffected()
		_, err = tx.exec(ctx, `DELETE FROM webhook_events WHERE id IN (
			SELECT e.id FROM webhook_events e WHERE e.created_at < ?
			AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id) ORDER BY e.id LIMIT ?)`, millis(before), limit)
		if err != nil {
			return fmt.Errorf("prune events: %w", err)
		}
		return nil
	})
	return n, err
}
