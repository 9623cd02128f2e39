package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// Report segments: the report rows packed per UTC day and per range of
// SegmentSize lead IDs (report_segments). Kind SegCohort holds on the day of
// each lead's inquiry its row; kind SegFlow holds on each day a lead
// entered a stage (the inquiry included) its row, once per day.
//
// A segment is stored as three values so a report reads only what it
// counts: keys (the columns every report reads: stages reached, hours,
// dimensions, flags, the inquiry's second, and for the flow view what was
// entered that day), ranks (scores, for deciles) and times (the instants,
// read only for the days a period cuts in two). Inside keys each column is
// a section of its own, so a report decodes only the dimensions it groups
// or filters by. SaveReportLeads keeps the segments in step with
// report_leads, rewriting only the segments of the leads whose rows
// changed; a segment holds at most SegmentSize rows, so no write rewrites
// a whole day of a busy intake.
const (
	SegCohort = "c"
	SegFlow   = "f"
)

// segShift splits a day's rows into segments by lead ID: SegmentSize
// (8,192) IDs a segment. A refresh rewrites every segment its leads touch,
// whole, so the smaller they are the less it decodes and encodes again
// for a few changed rows (after a million-row import, catching reports up
// took 56 s with 65,536 IDs a segment and 33 s with 8,192 on two cores;
// 4,096 saved 2 s more for twice the segments a report reads). Migration
// 066 packed the segments again when this changed.
const segShift = 13

// SegmentSize is how many lead IDs one segment spans.
const SegmentSize = 1 << segShift

const dayMillis = int64(24 * time.Hour / time.Millisecond)

// DayOf is the UTC day number of an instant (days since 1970-01-01).
func DayOf(t time.Time) int64 { return floorDiv(t.UnixMilli(), dayMillis) }

// DayStart is the first instant of a UTC day number.
func DayStart(day int64) time.Time { return time.UnixMilli(day * dayMillis).UTC() }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// entryDays are the distinct UTC days a row entered the inquiry or a
// stage, in order.
func entryDays(r *ReportLead) []int64 {
	days := []int64{DayOf(r.InquiryAt)}
	for _, t := range r.Reached {
		if t != nil {
			days = append(days, DayOf(*t))
		}
	}
	slices.Sort(days)
	return slices.Compact(days)
}

type segKey struct {
	kind string
	day  int64
	seg  int64
}

func segOf(id int64) int64 { return id >> segShift }

// segKeys are the segments a row is kept on.
func segKeys(r *ReportLead) []segKey {
	s := segOf(r.LeadID)
	out := []segKey{{SegCohort, DayOf(r.InquiryAt), s}}
	for _, d := range entryDays(r) {
		out = append(out, segKey{SegFlow, d, s})
	}
	return out
}

func cmpSegKey(a, b segKey) int {
	if a.kind != b.kind {
		return cmpString(a.kind, b.kind)
	}
	if a.day != b.day {
		return cmpInt(a.day, b.day)
	}
	return cmpInt(a.seg, b.seg)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// saveReportSegments moves the rows of the leads in ids out of the
// segments they were kept on (old, as report_leads had them) and puts rows
// on theirs. Only the segments these rows touch are read and written.
func (tx *Tx) saveReportSegments(ctx context.Context, ids []int64, old, rows []*ReportLead) error {
	touched := map[segKey]bool{}
	add := map[segKey][]*ReportLead{}
	for _, r := range old {
		for _, k := range segKeys(r) {
			touched[k] = true
		}
	}
	for _, r := range rows {
		for _, k := range segKeys(r) {
			touched[k], add[k] = true, append(add[k], r)
		}
	}
	drop := map[int64]bool{}
	for _, id := range ids {
		drop[id] = true
	}
	keys := make([]segKey, 0, len(touched))
	for k := range touched {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmpSegKey)
	days := map[DayRef]bool{}
	for _, k := range keys {
		days[DayRef{k.kind, k.day}] = true
	}
	if err := tx.dropRollups(ctx, days); err != nil {
		return err
	}
	for _, k := range keys {
		var kb, rb, tb []byte
		err := tx.row(ctx, `SELECT keys, ranks, times FROM report_segments WHERE kind = ? AND day = ? AND seg = ?`, k.kind, k.day, k.seg).Scan(&kb, &rb, &tb)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var kept []*ReportLead
		if err := DecodeSegment(k.day, kb, rb, tb, func(r *ReportLead) error {
			if !drop[r.LeadID] {
				kept = append(kept, r.clone())
			}
			return nil
		}); err != nil {
			return fmt.Errorf("report segment %s %d %d: %w", k.kind, k.day, k.seg, err)
		}
		kept = append(kept, add[k]...)
		if len(kept) == 0 {
			if _, err := tx.exec(ctx, `DELETE FROM report_segments WHERE kind = ? AND day = ? AND seg = ?`, k.kind, k.day, k.seg); err != nil {
				return err
			}
			continue
		}
		slices.SortFunc(kept, func(a, b *ReportLead) int { return cmpInt(a.LeadID, b.LeadID) })
		kb, rb, tb = encodeSegment(k.kind, k.day, kept)
		if _, err := tx.exec(ctx, `INSERT INTO report_segments (kind, day, seg, leads, keys, ranks, times, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, day, seg) DO UPDATE SET leads = excluded.leads, keys = excluded.keys, ranks = excluded.ranks, times = excluded.times,
			version = report_segments.version + 1`,
			k.kind, k.day, k.seg, len(kept), kb, rb, tb, newSegmentVersion()); err != nil {
			return err
		}
	}
	return nil
}

// newSegmentVersion is the version of a segment written where none was:
// the clock, so a segment deleted and written again does not come back
// with a version a reader saw before (SaveReportRollups). Every later
// write adds one.
func newSegmentVersion() int64 { return time.Now().UnixNano() }

// clone copies a row with its own times.
func (r *ReportLead) clone() *ReportLead {
	c := *r
	for i, t := range r.Reached {
		if t != nil {
			v := *t
			c.Reached[i] = &v
		}
	}
	return &c
}

// sameReportLead says whether two rows say the same: a refresh leaves
// the segments of an unchanged row alone.
func sameReportLead(a, b *ReportLead) bool {
	if a.LeadID != b.LeadID || !a.InquiryAt.Equal(b.InquiryAt) || a.Source != b.Source || a.Campaign != b.Campaign || a.Form != b.Form ||
		a.Country != b.Country || a.Team != b.Team || a.Owner != b.Owner || a.Band != b.Band || a.Score != b.Score ||
		a.DefinitionID != b.DefinitionID || a.Version != b.Version || a.Rejected != b.Rejected || a.Recycled != b.Recycled ||
		a.CameBack != b.CameBack || a.Converted != b.Converted || a.WonAmount != b.WonAmount || a.WonCurrency != b.WonCurrency {
		return false
	}
	for i := range a.Reached {
		x, y := a.Reached[i], b.Reached[i]
		if (x == nil) != (y == nil) || x != nil && (x.UnixMilli() != y.UnixMilli() || tenths(a.Hours[i]) != tenths(b.Hours[i])) {
			return false
		}
	}
	return true
}

func tenths(h float64) int64 { return int64(math.Round(h * 10)) }

// SegmentBlobs says which values of a segment a reader wants besides keys.
type SegmentBlobs struct{ Ranks, Times bool }

// Segment is one stored segment as read: its day and its values (ranks
// and times nil unless asked for).
type Segment struct {
	Day, Seg           int64
	Keys, Ranks, Times []byte
}

// ReportSegments calls fn with the segments of a kind on the days
// [from, to], by day. The values are fn's to keep.
func (db *DB) ReportSegments(ctx context.Context, kind string, from, to int64, want SegmentBlobs, fn func(*Segment) error) error {
	cols := "keys"
	if want.Ranks {
		cols += ", ranks"
	}
	if want.Times {
		cols += ", times"
	}
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT day, seg, `+cols+` FROM report_segments WHERE kind = ? AND day >= ? AND day <= ? ORDER BY day, seg`), kind, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		s := &Segment{}
		dest := []any{&s.Day, &s.Seg, &s.Keys}
		if want.Ranks {
			dest = append(dest, &s.Ranks)
		}
		if want.Times {
			dest = append(dest, &s.Times)
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return rows.Err()
}

// repackSetting is the setting that holds, while report_segments is being
// packed again from report_leads, the first lead ID not packed yet.
const repackSetting = "report_segments_repack_from"

// RepackChunk is how many lead IDs (two segments) RepackReportSegments
// packs per transaction, so intake waits no longer than for a big group.
// At 1.3 million leads, 200 single inquiries/s during the repack: with
// the whole table in one transaction (as before) requests waited up to
// 18 s and one failed; with 16 segments a transaction up to 6.5 s; with
// two, p99 441 ms (max 640 ms), the repack done within 13 s.
const RepackChunk = 2 * SegmentSize

// RebuildReportSegmentsIfEmpty starts packing report_segments again from
// report_leads when it holds no segment but report_leads holds rows: after
// an upgrade that changed the segments (migrations 040, 066), or a repair
// that emptied the table. RepackReportSegments then packs them, a range
// of lead IDs per transaction. It says whether a repack is under way
// (started now, or earlier by this or another server).
func (db *DB) RebuildReportSegmentsIfEmpty(ctx context.Context) (bool, error) {
	var segs, rows int
	if err := db.sql.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM (SELECT 1 FROM report_segments LIMIT 1) s),
		(SELECT count(*) FROM (SELECT 1 FROM report_leads LIMIT 1) r)`).Scan(&segs, &rows); err != nil {
		return false, err
	}
	if segs > 0 || rows == 0 {
		v, err := db.Setting(ctx, repackSetting)
		return v != "", err
	}
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.lockReports(ctx); err != nil {
			return err
		}
		var n int
		if err := tx.row(ctx, `SELECT count(*) FROM (SELECT 1 FROM report_segments LIMIT 1) s`).Scan(&n); err != nil || n > 0 {
			return err // another server made them meanwhile
		}
		_, err := tx.exec(ctx, `INSERT INTO settings (name, value, updated_at) VALUES (?, '0', ?) ON CONFLICT (name) DO NOTHING`,
			repackSetting, millis(time.Now()))
		return err
	})
	return err == nil, err
}

// RepackReportSegments packs report_segments again from report_leads
// while RebuildReportSegmentsIfEmpty's repack is under way: up to chunks
// ranges of lead IDs (0: all that are left), each in its own transaction,
// so intake writes between them and no more than a range's rows are held
// in memory. A segment holds only the leads of its range of IDs, so each
// range's segments are replaced whole from the rows as they are then; the
// refresher's changes meanwhile, in ranges not packed yet, are packed
// again with them. Reports read the ranges packed so far. It says whether
// the repack is done (or none was under way).
func (db *DB) RepackReportSegments(ctx context.Context, chunks int) (bool, error) {
	for i := 0; chunks == 0 || i < chunks; i++ {
		done := false
		err := db.InTx(ctx, func(tx *Tx) error {
			if err := tx.lockReports(ctx); err != nil {
				return err
			}
			var v string
			err := tx.row(ctx, `SELECT value FROM settings WHERE name = ?`, repackSetting).Scan(&v)
			if errors.Is(err, sql.ErrNoRows) {
				done = true
				return nil
			}
			if err != nil {
				return err
			}
			from, err := strconv.ParseInt(v, 10, 64)
			if err != nil || from < 0 || from%SegmentSize != 0 {
				return fmt.Errorf("setting %s: %q is not where a segment starts", repackSetting, v)
			}
			to := from + RepackChunk
			if err := tx.packRange(ctx, from, to); err != nil {
				return err
			}
			var more int
			if err := tx.row(ctx, `SELECT count(*) FROM (SELECT 1 FROM report_leads WHERE lead_id >= ? LIMIT 1) r`, to).Scan(&more); err != nil {
				return err
			}
			if more == 0 {
				done = true
				_, err = tx.exec(ctx, `DELETE FROM settings WHERE name = ?`, repackSetting)
				return err
			}
			_, err = tx.exec(ctx, `UPDATE settings SET value = ?, updated_at = ? WHERE name = ?`, strconv.FormatInt(to, 10), millis(time.Now()), repackSetting)
			return err
		})
		if err != nil || done {
			return done, err
		}
	}
	return false, nil
}

// packRange replaces the segments of the lead IDs [from, to) (whole
// segments) with the rows report_leads holds for them, and drops the
// rollups of every day those segments are on.
func (tx *Tx) packRange(ctx context.Context, from, to int64) error {
	bySeg, err := tx.reportLeadsBySegment(ctx, `WHERE lead_id >= ? AND lead_id < ?`, from, to)
	if err != nil {
		return err
	}
	days := map[DayRef]bool{}
	for k := range bySeg {
		days[DayRef{k.kind, k.day}] = true
	}
	old, err := tx.rows(ctx, `SELECT DISTINCT kind, day FROM report_segments WHERE seg >= ? AND seg < ?`, segOf(from), segOf(to))
	if err != nil {
		return err
	}
	for old.Next() {
		var d DayRef
		if err := old.Scan(&d.Kind, &d.Day); err != nil {
			old.Close()
			return err
		}
		days[d] = true
	}
	if err := errors.Join(old.Err(), old.Close()); err != nil {
		return err
	}
	if err := tx.dropRollups(ctx, days); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM report_segments WHERE seg >= ? AND seg < ?`, segOf(from), segOf(to)); err != nil {
		return err
	}
	return tx.insertSegments(ctx, bySeg)
}

// reportLeadsBySegment reads the report_leads rows that where (a WHERE
// clause, or "") keeps, grouped by the segments each is kept on.
func (tx *Tx) reportLeadsBySegment(ctx context.Context, where string, args ...any) (map[segKey][]*ReportLead, error) {
	rows, err := tx.rows(ctx, `SELECT `+reportLeadCols+` FROM report_leads `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	bySeg := map[segKey][]*ReportLead{}
	for rows.Next() {
		r, err := scanReportLead(rows)
		if err != nil {
			return nil, err
		}
		for _, k := range segKeys(r) {
			bySeg[k] = append(bySeg[k], r)
		}
	}
	return bySeg, rows.Err()
}

// insertSegments writes new segments (none of them stored yet), each
// with its rows in lead ID order.
func (tx *Tx) insertSegments(ctx context.Context, bySeg map[segKey][]*ReportLead) error {
	keys := make([]segKey, 0, len(bySeg))
	for k := range bySeg {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmpSegKey)
	for _, k := range keys {
		list := bySeg[k]
		slices.SortFunc(list, func(a, b *ReportLead) int { return cmpInt(a.LeadID, b.LeadID) })
		kb, rb, tb := encodeSegment(k.kind, k.day, list)
		if _, err := tx.exec(ctx, `INSERT INTO report_segments (kind, day, seg, leads, keys, ranks, times, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			k.kind, k.day, k.seg, len(list), kb, rb, tb, newSegmentVersion()); err != nil {
			return err
		}
	}
	return nil
}

// RebuildReportSegments packs report_segments again from report_leads,
// whole: a repair, and how benchmarks that write report_leads directly
// make their segments. It holds every row in memory at once, and the
// database's write lock meanwhile.
func (db *DB) RebuildReportSegments(ctx context.Context) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if err := tx.lockReports(ctx); err != nil {
			return err
		}
		bySeg, err := tx.reportLeadsBySegment(ctx, "")
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM report_segments`); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM report_rollups`); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM settings WHERE name = ?`, repackSetting); err != nil {
			return err // a repack under way is done by this
		}
		return tx.insertSegments(ctx, bySeg)
	})
}

// ReportSegmentRows is how many rows the segments of a kind hold on the
// days [from, to]: what a report that keeps one value a row allocates.
func (db *DB) ReportSegmentRows(ctx context.Context, kind string, from, to int64) (int, error) {
	var n sql.NullInt64
	err := db.sql.QueryRowContext(ctx, db.q(`SELECT sum(leads) FROM report_segments WHERE kind = ? AND day >= ? AND day <= ?`), kind, from, to).Scan(&n)
	return int(n.Int64), err
}
