package store

import (
	"context"
	"fmt"

	"github.com/pistahq/pista/internal/lead"
)

// LeadData is a live lead's data alone, for reports that read every lead
// (vocabulary coverage) and need neither events nor evaluation.
type LeadData struct {
	ID   int64
	Data lead.Lead
}

// LeadDataPage reads up to limit live leads with IDs above afterID, in ID
// order.
func (db *DB) LeadDataPage(ctx context.Context, afterID int64, limit int) ([]LeadData, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT id, data FROM leads WHERE id > ? AND merged_into IS NULL ORDER BY id LIMIT ?`), afterID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LeadData
	for rows.Next() {
		var (
			r    LeadData
			data string
		)
		if err := rows.Scan(&r.ID, &data); err != nil {
			return nil, err
		}
		if err := lead.DecodeStored([]byte(data), &r.Data); err != nil {
			return nil, fmt.Errorf("lead %d: %w", r.ID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
