package store

import (
	"context"
	"time"
)

// OpsStats is the state an operator watches, read at each metrics scrape:
// counts over open rows only, answered from partial indexes.
type OpsStats struct {
	ClocksPending  int // first touches still owed, on time so far
	ClocksDueSoon  int // of those, due within the next two hours
	ClocksBreached int // past their deadline and still untouched
	ClocksPaused   int
	TimersOverdue  int // timers due but not yet fired: the poller is late
	// OldestOverdueTimer is how late the most overdue timer is (0: none).
	OldestOverdueTimer time.Duration
	WebhooksPending    int
	WebhooksFailed     int
	ReevalTotal        int // of the re-evaluation running now, if any
	ReevalDone         int
	SizeBytes          int64
}

// OpsStats reads the operator's counts as of now.
func (db *DB) OpsStats(ctx context.Context, now time.Time) (OpsStats, error) {
	var s OpsStats
	ms := millis(now)
	// A breached clock that was touched late is no longer owed.
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT status, count(*), sum(CASE WHEN due_at <= ? THEN 1 ELSE 0 END),
		sum(CASE WHEN touched_at IS NULL THEN 1 ELSE 0 END)
		FROM clocks WHERE status IN ('pending', 'paused', 'breached') GROUP BY status`), millis(now.Add(2*time.Hour)))
	if err != nil {
		return s, err
	}
	for rows.Next() {
		var status string
		var n, soon, untouched int
		if err := rows.Scan(&status, &n, &soon, &untouched); err != nil {
			rows.Close()
			return s, err
		}
		switch status {
		case ClockPending:
			s.ClocksPending, s.ClocksDueSoon = n, soon
		case ClockPaused:
			s.ClocksPaused = n
		case ClockBreached:
			s.ClocksBreached = untouched
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s, err
	}
	var oldest *int64
	if err := db.sql.QueryRowContext(ctx, db.q(`SELECT count(*), min(due_at) FROM timers WHERE fired_at IS NULL AND due_at <= ?`), ms).Scan(&s.TimersOverdue, &oldest); err != nil {
		return s, err
	}
	if oldest != nil {
		s.OldestOverdueTimer = now.Sub(time.UnixMilli(*oldest))
	}
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'`).Scan(&s.WebhooksPending); err != nil {
		return s, err
	}
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM webhook_deliveries WHERE status = 'failed'`).Scan(&s.WebhooksFailed); err != nil {
		return s, err
	}
	var total, done *int
	err = db.sql.QueryRowContext(ctx, `SELECT total, done FROM reevaluations WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1`).Scan(&total, &done)
	if err == nil && total != nil && done != nil {
		s.ReevalTotal, s.ReevalDone = *total, *done
	}
	size := `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`
	if db.dialect == Postgres {
		size = `SELECT pg_database_size(current_database())`
	}
	if err := db.sql.QueryRowContext(ctx, size).Scan(&s.SizeBytes); err != nil {
		return s, err
	}
	return s, nil
}
