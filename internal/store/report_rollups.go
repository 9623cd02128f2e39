package store

import (
	"context"
	"slices"
	"time"
)

// Report rollups (report_rollups): per kind of segment, UTC day and report
// dimension, the sums of the day's rows per value of the dimension,
// packed by the report package (the store only keeps them). They are
// derived from the segments: saveReportSegments deletes the rollups of
// every day whose segments it rewrites, in the same transaction, so a
// rollup that exists always sums what its day's segments hold; the
// background refresh sums the missing days before today again
// (SaveReportRollups), outside the write transaction.

// RollupDims are the dimensions rolled up per day: "" (no dimension, the
// day's total) and every report dimension.
var RollupDims = append([]string{""}, ReportDimensions...)

// ScoresDim names the cohort days' rollup of the bands report: per
// definition, the leads by band and a histogram of their scores.
const ScoresDim = "scores"

// rollupNames are the dims a day's rollups are stored under.
var rollupNames = append(slices.Clone(RollupDims), ScoresDim)

// DayRef names one day of one kind of segment.
type DayRef struct {
	Kind string
	Day  int64
}

// Rollup is one day's sums of one dimension as stored; Tz is the time
// zone its month and week were named in.
type Rollup struct {
	Day  int64
	Tz   string
	Sums []byte
}

// dropRollups deletes the rollups of some days (their segments changed).
func (tx *Tx) dropRollups(ctx context.Context, days map[DayRef]bool) error {
	for d := range days {
		if _, err := tx.exec(ctx, `DELETE FROM report_rollups WHERE kind = ? AND dim IN (`+placeholders(len(rollupNames))+`) AND day = ?`,
			append(append([]any{d.Kind}, anyStrings(rollupNames)...), d.Day)...); err != nil {
			return err
		}
	}
	return nil
}

func anyStrings(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// ReportRollupsMissing lists up to limit days before day before that
// hold segments but no rollups summed in time zone tz, oldest first. The
// caller leaves out today: its segments change with every inquiry, so
// its rollups would be summed again and again, and reports read it from
// its segments.
func (db *DB) ReportRollupsMissing(ctx context.Context, tz string, before int64, limit int) ([]DayRef, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT DISTINCT s.kind, s.day FROM report_segments s
		WHERE s.day < ? AND NOT EXISTS (SELECT 1 FROM report_rollups r WHERE r.kind = s.kind AND r.dim = '' AND r.day = s.day AND r.tz = ?)
		ORDER BY s.kind, s.day LIMIT ?`), before, tz, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DayRef
	for rows.Next() {
		var d DayRef
		if err := rows.Scan(&d.Kind, &d.Day); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// segVersion is one segment of a day and the version it was read at.
type segVersion struct{ seg, version int64 }

// SaveReportRollups sums a day again: it reads the day's rows from its
// segments and hands them to sum (which returns the packed sums by
// dimension of RollupDims, and ScoresDim for a cohort day) outside any
// transaction, since a big day (a million-row import) takes seconds to
// decode and sum; then, in a short transaction, it replaces the day's
// rollups only if no segment of the day changed meanwhile (their
// versions). A day that changed keeps no rollups (the write that changed
// it dropped them), and the next refresh sums it again; it says whether
// it saved.
func (db *DB) SaveReportRollups(ctx context.Context, d DayRef, tz string, sum func(rows []*ReportLead) (map[string][]byte, error)) (bool, error) {
	read, all, err := db.daySegments(ctx, d)
	if err != nil {
		return false, err
	}
	var sums map[string][]byte
	if len(all) > 0 {
		if sums, err = sum(all); err != nil {
			return false, err
		}
	}
	saved := false
	err = db.InTx(ctx, func(tx *Tx) error {
		if err := tx.lockReports(ctx); err != nil {
			return err
		}
		now, err := tx.segmentVersions(ctx, d)
		if err != nil || !slices.Equal(now, read) {
			return err
		}
		if err := tx.dropRollups(ctx, map[DayRef]bool{d: true}); err != nil {
			return err
		}
		saved = true
		for _, dim := range rollupNames {
			b, ok := sums[dim]
			if !ok {
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO report_rollups (kind, day, dim, tz, sums) VALUES (?, ?, ?, ?, ?)`, d.Kind, d.Day, dim, tz, b); err != nil {
				return err
			}
		}
		return nil
	})
	return saved, err
}

// daySegments reads the rows of a day's segments, with the segments'
// versions, in one statement.
func (db *DB) daySegments(ctx context.Context, d DayRef) ([]segVersion, []*ReportLead, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT seg, version, keys, ranks, times FROM report_segments WHERE kind = ? AND day = ? ORDER BY seg`), d.Kind, d.Day)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var read []segVersion
	var all []*ReportLead
	for rows.Next() {
		var v segVersion
		var kb, rb, tb []byte
		if err := rows.Scan(&v.seg, &v.version, &kb, &rb, &tb); err != nil {
			return nil, nil, err
		}
		read = append(read, v)
		if err := DecodeSegment(d.Day, kb, rb, tb, func(r *ReportLead) error {
			all = append(all, r.clone())
			return nil
		}); err != nil {
			return nil, nil, err
		}
	}
	return read, all, rows.Err()
}

// segmentVersions are the segments of a day and their versions, by seg.
func (tx *Tx) segmentVersions(ctx context.Context, d DayRef) ([]segVersion, error) {
	rows, err := tx.rows(ctx, `SELECT seg, version FROM report_segments WHERE kind = ? AND day = ? ORDER BY seg`, d.Kind, d.Day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []segVersion
	for rows.Next() {
		var v segVersion
		if err := rows.Scan(&v.seg, &v.version); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ReportRollups calls fn with the rollups of one dimension of a kind on
// the days [from, to] summed in time zone tz, by day. The sums are fn's to
// keep.
func (db *DB) ReportRollups(ctx context.Context, kind, dim, tz string, from, to int64, fn func(*Rollup) error) error {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT day, tz, sums FROM report_rollups WHERE kind = ? AND dim = ? AND day >= ? AND day <= ? ORDER BY day`),
		kind, dim, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := &Rollup{}
		if err := rows.Scan(&r.Day, &r.Tz, &r.Sums); err != nil {
			return err
		}
		if r.Tz != tz {
			continue
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ReportScoreRows calls fn with the lead ID, inquiry day, score and
// stages reached (bit 0 mql to bit 4 won) of each report row whose score
// lies in [lo, hi] and whose inquiry is in [from, to), of definition
// (0: any), read through the index on score: the leads of a score
// bucket that a decile boundary splits.
func (db *DB) ReportScoreRows(ctx context.Context, lo, hi float64, from, to time.Time, definition int64,
	fn func(id, day int64, score float64, reached byte) error) error {
	where, args := `score >= ? AND score <= ? AND inquiry_at >= ? AND inquiry_at < ?`, []any{lo, hi, millis(from), millis(to)}
	if definition != 0 {
		where += ` AND definition_id = ?`
		args = append(args, definition)
	}
	// SQLite's planner would rather read a month's rows by inquiry than
	// a bucket's by score.
	indexed := ""
	if db.dialect == SQLite {
		indexed = " INDEXED BY report_leads_score"
	}
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT lead_id, inquiry_at, score,
		CASE WHEN mql_at IS NULL THEN 0 ELSE 1 END + CASE WHEN sal_at IS NULL THEN 0 ELSE 2 END +
		CASE WHEN sql_at IS NULL THEN 0 ELSE 4 END + CASE WHEN opportunity_at IS NULL THEN 0 ELSE 8 END +
		CASE WHEN won_at IS NULL THEN 0 ELSE 16 END
		FROM report_leads`+indexed+` WHERE `+where), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, at, reached int64
		var score float64
		if err := rows.Scan(&id, &at, &score, &reached); err != nil {
			return err
		}
		if err := fn(id, DayOf(time.UnixMilli(at)), score, byte(reached)); err != nil {
			return err
		}
	}
	return rows.Err()
}
