package store

import (
	"context"
	"time"
)

// firstAnalyze is how many leads and report rows this process inserts
// before it first has PostgreSQL analyze the tables they go into; each
// next time is four times as many.
const firstAnalyze = 1000

// grew counts the leads and report rows a committed transaction inserted
// and, on PostgreSQL, analyzes the tables they went into in the background
// each time the count passes 1,000, 4,000, 16,000... A young table that
// autovacuum has not analyzed yet is planned as nearly empty: a lookup of
// a hundred phones then scans the whole table (8.4 ms at 7,500 rows,
// against 0.9 ms after ANALYZE).
//
// Report rows count too: after a large pista import, the server fills
// report_leads for every imported lead, and no lead it inserts would
// have that table analyzed. The refresher's statement reading a hundred
// report rows by lead_id kept the plan PostgreSQL made for it while the
// table was nearly empty, a scan of the whole table, until an ANALYZE
// changed the table's statistics: at 550,000 rows the reports caught up
// at 200 leads a second, and at 20,000 a second after one.
//
// Only the columns looked up by lists of values while intake runs are
// analyzed, from a small sample (statistics target 10, 3,000 rows): the
// leads columns intake looks people up by, and the lead_id of timeline
// and report_leads, which the report refresher reads a hundred leads at a
// time. That is what those lookups' plans need (without statistics a
// list of a hundred lead IDs is planned as a scan of the whole timeline:
// 45 ms each, against 1.3 ms after ANALYZE, at 68,000 entries), and it
// costs a twentieth of a full ANALYZE (130 ms against 2.8 s at 13,000
// leads, time the database would take from intake). Autovacuum's own
// ANALYZE later fills in the rest.
func (db *DB) grew(n int64) {
	if db.dialect != Postgres || n == 0 {
		return
	}
	total := db.inserted.Add(n)
	next := db.nextAnalyze.Load()
	if total < next || !db.nextAnalyze.CompareAndSwap(next, next*4) {
		return
	}
	db.background.Add(1)
	go func() {
		defer db.background.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		db.analyzeLookups(ctx) // a failure only leaves the statistics as they were
	}()
}

// analyzeLookups analyzes the columns looked up by lists of values (see
// grew).
func (db *DB) analyzeLookups(ctx context.Context) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL default_statistics_target = 10`); err != nil {
		return err
	}
	for _, q := range []string{
		`ANALYZE leads (email, phone, external_id, merged_into)`,
		`ANALYZE timeline (lead_id)`,
		`ANALYZE report_leads (lead_id)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return tx.Commit()
}
