package store

import (
	"context"
	"encoding/json"

	"github.com/pistahq/pista/internal/lead"
)

// InsertQualification records BANT answers for a lead.
func (tx *Tx) InsertQualification(ctx context.Context, leadID int64, q *lead.Qualification) error {
	b, err := json.Marshal(q)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO qualifications (lead_id, data, by_whom, at) VALUES (?, ?, ?, ?)`, leadID, string(b), q.By, millis(q.At))
	return err
}
