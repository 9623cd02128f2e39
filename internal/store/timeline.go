package store

import (
	"context"
	"encoding/json"
	"time"
)

// TimelineEntry is one thing that happened to a lead: an action, a merge,
// an evaluation, a stage change, a qualification.
type TimelineEntry struct {
	ID   int64           `json:"id"`
	At   time.Time       `json:"at"`
	Kind string          `json:"kind"`
	Data json.RawMessage `json:"data"`
}

// AddTimeline appends to a lead's timeline (written at commit).
func (tx *Tx) AddTimeline(ctx context.Context, leadID int64, at time.Time, kind string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	tx.AddTimelineJSON(leadID, at, kind, b)
	return nil
}

// AddTimelineJSON is AddTimeline for an entry already encoded as JSON.
func (tx *Tx) AddTimelineJSON(leadID int64, at time.Time, kind string, data []byte) {
	tx.timeline = append(tx.timeline, leadID, millis(at), kind, string(data))
}

// Timeline returns a lead's timeline, oldest first (at most limit entries,
// the latest).
func (db *DB) Timeline(ctx context.Context, leadID int64, limit int) ([]TimelineEntry, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT id, at, kind, data FROM timeline WHERE lead_id = ? ORDER BY id DESC LIMIT ?`), leadID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TimelineEntry
	for rows.Next() {
		var (
			e    TimelineEntry
			at   int64
			data string
		)
		if err := rows.Scan(&e.ID, &at, &e.Kind, &data); err != nil {
			return nil, err
		}
		e.At, e.Data = fromMillis(at), json.RawMessage(data)
		out = append(out, e)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, rows.Err()
}
