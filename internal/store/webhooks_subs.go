package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Webhook is a subscription: where to POST which event types, and the
// secret that signs them. The secret never leaves through JSON; the API
// shows it once, when it is created.
type Webhook struct {
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Secret      string    `json:"-"`
	Types       []string  `json:"types"`
	Active      bool      `json:"active"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

const webhookColumns = `id, url, secret, types, active, description, created_at, updated_at`

func scanWebhook(sc interface{ Scan(...any) error }) (*Webhook, error) {
	var (
		w                Webhook
		types            string
		active           int64
		created, updated int64
	)
	if err := sc.Scan(&w.ID, &w.URL, &w.Secret, &types, &active, &w.Description, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	w.Types, w.Active = decodeTypes(types), active == 1
	w.CreatedAt, w.UpdatedAt = fromMillis(created), fromMillis(updated)
	return &w, nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// CreateWebhook stores a subscription and sets its ID.
func (db *DB) CreateWebhook(ctx context.Context, w *Webhook) error {
	defer db.hooks.invalidate()
	// Answer with the times as stored, so a later GET shows the same.
	w.CreatedAt, w.UpdatedAt = fromMillis(millis(w.CreatedAt)), fromMillis(millis(w.UpdatedAt))
	return db.InTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO webhook_subscriptions (url, secret, types, active, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			w.URL, w.Secret, encodeTypes(w.Types), boolInt(w.Active), w.Description, millis(w.CreatedAt), millis(w.UpdatedAt))
		w.ID = id
		return err
	})
}

// Webhook loads a subscription.
func (db *DB) Webhook(ctx context.Context, id int64) (*Webhook, error) {
	return scanWebhook(db.sql.QueryRowContext(ctx, db.q(`SELECT `+webhookColumns+` FROM webhook_subscriptions WHERE id = ?`), id))
}

// Webhooks lists the subscriptions, oldest first.
func (db *DB) Webhooks(ctx context.Context) ([]*Webhook, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhook_subscriptions ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*Webhook{}
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// UpdateWebhook loads a subscription, lets change modify it and saves it,
// in one transaction so that two concurrent edits of different fields
// both stick. change's error is returned as is.
func (db *DB) UpdateWebhook(ctx context.Context, id int64, now time.Time, change func(*Webhook) error) (*Webhook, error) {
	defer db.hooks.invalidate()
	var w *Webhook
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		// The no-op UPDATE locks the row on PostgreSQL; SQLite's
		// transactions already hold the write lock.
		if _, err = tx.exec(ctx, `UPDATE webhook_subscriptions SET id = id WHERE id = ?`, id); err != nil {
			return err
		}
		if w, err = scanWebhook(tx.row(ctx, `SELECT `+webhookColumns+` FROM webhook_subscriptions WHERE id = ?`, id)); err != nil {
			return err
		}
		if err := change(w); err != nil {
			return err
		}
		w.UpdatedAt = fromMillis(millis(now))
		_, err = tx.exec(ctx, `UPDATE webhook_subscriptions SET url = ?, secret = ?, types = ?, active = ?, description = ?, updated_at = ? WHERE id = ?`,
			w.URL, w.Secret, encodeTypes(w.Types), boolInt(w.Active), w.Description, millis(now), id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// DeleteWebhook removes a subscription with its deliveries and their log.
// A delivery in flight finishes, but its outcome is not recorded.
func (db *DB) DeleteWebhook(ctx context.Context, id int64) error {
	defer db.hooks.invalidate()
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM webhook_subscriptions WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete webhook %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}
