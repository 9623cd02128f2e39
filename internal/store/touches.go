package store

import (
	"context"
	"time"
)

// Touch is a salesperson's contact with a lead.
type Touch struct {
	ID         int64     `json:"id"`
	LeadID     int64     `json:"lead_id"`
	UserID     int64     `json:"user_id,omitempty"`
	Kind       string    `json:"kind"`
	Outcome    string    `json:"outcome"`
	Note       string    `json:"note,omitempty"`
	At         time.Time `json:"at"`
	RecordedAt time.Time `json:"recorded_at"`
}

// InsertTouch stores a touch and sets its ID.
func (tx *Tx) InsertTouch(ctx context.Context, t *Touch) error {
	id, err := tx.insert(ctx, `INSERT INTO touches (lead_id, user_id, kind, outcome, note, at, recorded_at) VALUES (?,?,?,?,?,?,?)`,
		t.LeadID, nullInt(t.UserID), t.Kind, t.Outcome, t.Note, millis(t.At), millis(t.RecordedAt))
	t.ID = id
	return err
}
