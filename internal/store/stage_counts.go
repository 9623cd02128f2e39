package store

import (
	"context"
)

// StageCount is how many live leads are in a stage.
type StageCount struct {
	Stage string
	Count int64
}

// CountByStage counts live leads per stage, largest first.
func (db *DB) CountByStage(ctx context.Context) ([]StageCount, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT stage, count(*) FROM leads WHERE merged_into IS NULL GROUP BY stage ORDER BY count(*) DESC, stage`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StageCount
	for rows.Next() {
		var c StageCount
		if err := rows.Scan(&c.Stage, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
