package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Report days: the report rows packed per UTC day (report_days). Kind
// DayCohort holds on the day of each lead's inquiry its row; kind DayFlow
// holds on each day a lead entered a stage (the inquiry included) its row,
// once per day. A report reads the days its period touches and keeps the
// rows exactly in it, so the answer is the one report_leads gives, for any
// grouping, filter and time zone, from a few hundred values instead of a
// million rows. SaveReportLeads keeps them in step in its transaction.
const (
	DayCohort = "c"
	DayFlow   = "f"
)

const dayMillis = int64(24 * time.Hour / time.Millisecond)

// DayOf is the UTC day number of an instant (days since 1970-01-01).
func DayOf(t time.Time) int64 { return floorDiv(t.UnixMilli(), dayMillis) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// reportDays are the days a row is kept on, of each kind.
func reportDays(r *ReportLead) (cohort int64, flow []int64) {
	cohort = DayOf(r.InquiryAt)
	flow = []int64{cohort}
	for _, t := range r.Reached {
		if t != nil {
			flow = append(flow, DayOf(*t))
		}
	}
	slices.Sort(flow)
	return cohort, slices.Compact(flow)
}

type dayKey struct {
	kind string
	day  int64
}

// saveReportDays moves the rows of the leads in ids out of the days they
// were kept on (old, as report_leads had them) and puts rows on theirs.
func (tx *Tx) saveReportDays(ctx context.Context, ids []int64, old, rows []*ReportLead) error {
	touched := map[dayKey]bool{}
	add := map[dayKey][]*ReportLead{}
	for _, r := range old {
		c, fl := reportDays(r)
		touched[dayKey{DayCohort, c}] = true
		for _, d := range fl {
			touched[dayKey{DayFlow, d}] = true
		}
	}
	for _, r := range rows {
		c, fl := reportDays(r)
		k := dayKey{DayCohort, c}
		touched[k], add[k] = true, append(add[k], r)
		for _, d := range fl {
			k := dayKey{DayFlow, d}
			touched[k], add[k] = true, append(add[k], r)
		}
	}
	drop := map[int64]bool{}
	for _, id := range ids {
		drop[id] = true
	}
	keys := make([]dayKey, 0, len(touched))
	for k := range touched {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b dayKey) int {
		if a.kind != b.kind {
			return cmpString(a.kind, b.kind)
		}
		return int(a.day - b.day)
	})
	for _, k := range keys {
		var data []byte
		err := tx.row(ctx, `SELECT data FROM report_days WHERE kind = ? AND day = ?`, k.kind, k.day).Scan(&data)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var kept []*ReportLead
		if err := decodeDay(data, func(r *ReportLead) error {
			if !drop[r.LeadID] {
				kept = append(kept, r.clone())
			}
			return nil
		}); err != nil {
			return fmt.Errorf("report day %s %d: %w", k.kind, k.day, err)
		}
		kept = append(kept, add[k]...)
		if len(kept) == 0 {
			if _, err := tx.exec(ctx, `DELETE FROM report_days WHERE kind = ? AND day = ?`, k.kind, k.day); err != nil {
				return err
			}
			continue
		}
		slices.SortFunc(kept, func(a, b *ReportLead) int { return int(a.LeadID - b.LeadID) })
		if _, err := tx.exec(ctx, `INSERT INTO report_days (kind, day, leads, data) VALUES (?, ?, ?, ?)
			ON CONFLICT (kind, day) DO UPDATE SET leads = excluded.leads, data = excluded.data`, k.kind, k.day, len(kept), encodeDay(kept)); err != nil {
			return err
		}
	}
	return nil
}

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

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ReportDays calls fn with each row kept on the days [from, to] of a kind,
// day by day, reusing one value.
func (db *DB) ReportDays(ctx context.Context, kind string, from, to int64, fn func(day int64, r *ReportLead) error) error {
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT day, data FROM report_days WHERE kind = ? AND day >= ? AND day <= ? ORDER BY day`), kind, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		day  int64
		data []byte
	)
	for rows.Next() {
		if err := rows.Scan(&day, &data); err != nil {
			return err
		}
		if err := decodeDay(data, func(r *ReportLead) error { return fn(day, r) }); err != nil {
			return fmt.Errorf("report day %s %d: %w", kind, day, err)
		}
	}
	return rows.Err()
}

// The packed form of a day: a string table, then the rows. Numbers are
// varints; times are milliseconds, the reached ones after the inquiry;
// hours are tenths (they are rounded to 0.1); amounts and scores keep
// their float64 bits, so a row reads back exactly as it was stored.
const dayFormat = 1

const (
	flagRecycled = 1 << iota
	flagCameBack
	flagConverted
	flagWon
)

func encodeDay(rows []*ReportLead) []byte {
	index := map[string]uint64{}
	var strs []string
	str := func(s string) uint64 {
		i, ok := index[s]
		if !ok {
			i = uint64(len(strs))
			index[s] = i
			strs = append(strs, s)
		}
		return i
	}
	body := make([]byte, 0, 64*len(rows))
	for _, r := range rows {
		body = binary.AppendUvarint(body, uint64(r.LeadID))
		body = binary.AppendVarint(body, r.InquiryAt.UnixMilli())
		var reached uint64
		for i, t := range r.Reached {
			if t != nil {
				reached |= 1 << i
			}
		}
		body = binary.AppendUvarint(body, reached)
		for i, t := range r.Reached {
			if t != nil {
				body = binary.AppendVarint(body, t.UnixMilli()-r.InquiryAt.UnixMilli())
				body = binary.AppendVarint(body, int64(math.Round(r.Hours[i]*10)))
			}
		}
		for _, s := range []string{r.Source, r.Campaign, r.Form, r.Version, r.Country, r.Team, r.Owner, r.Band, r.Rejected, r.WonCurrency} {
			body = binary.AppendUvarint(body, str(s))
		}
		var flags uint64
		if r.Recycled {
			flags |= flagRecycled
		}
		if r.CameBack {
			flags |= flagCameBack
		}
		if r.Converted {
			flags |= flagConverted
		}
		if r.WonAmount != 0 {
			flags |= flagWon
		}
		body = binary.AppendUvarint(body, flags)
		if r.WonAmount != 0 {
			body = binary.LittleEndian.AppendUint64(body, math.Float64bits(r.WonAmount))
		}
		body = binary.LittleEndian.AppendUint64(body, math.Float64bits(r.Score))
		body = binary.AppendVarint(body, r.DefinitionID)
	}
	out := binary.AppendUvarint(nil, dayFormat)
	out = binary.AppendUvarint(out, uint64(len(rows)))
	out = binary.AppendUvarint(out, uint64(len(strs)))
	for _, s := range strs {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return append(out, body...)
}

var errDayCorrupt = errors.New("packed report day is damaged")

// decodeDay calls fn with each row of a packed day (none for nil),
// reusing one value and its times.
func decodeDay(b []byte, fn func(*ReportLead) error) error {
	if len(b) == 0 {
		return nil
	}
	p := 0
	bad := false
	uv := func() uint64 {
		v, n := binary.Uvarint(b[p:])
		if n <= 0 {
			bad = true
			return 0
		}
		p += n
		return v
	}
	sv := func() int64 {
		v, n := binary.Varint(b[p:])
		if n <= 0 {
			bad = true
			return 0
		}
		p += n
		return v
	}
	f64 := func() float64 {
		if p+8 > len(b) {
			bad = true
			return 0
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(b[p:]))
		p += 8
		return v
	}
	if uv() != dayFormat {
		return errDayCorrupt
	}
	n, ns := uv(), uv()
	if bad || ns > uint64(len(b)) {
		return errDayCorrupt
	}
	strs := make([]string, ns)
	for i := range strs {
		l := uv()
		if bad || uint64(p)+l > uint64(len(b)) {
			return errDayCorrupt
		}
		strs[i] = string(b[p : p+int(l)])
		p += int(l)
	}
	str := func() string {
		i := uv()
		if i >= uint64(len(strs)) {
			bad = true
			return ""
		}
		return strs[i]
	}
	var (
		r     ReportLead
		times [5]time.Time
	)
	for range n {
		r = ReportLead{LeadID: int64(uv())}
		inq := sv()
		r.InquiryAt = time.UnixMilli(inq).UTC()
		reached := uv()
		for i := range r.Reached {
			if reached&(1<<i) != 0 {
				times[i] = time.UnixMilli(inq + sv()).UTC()
				r.Reached[i] = &times[i]
				r.Hours[i] = float64(sv()) / 10
			}
		}
		r.Source, r.Campaign, r.Form, r.Version, r.Country = str(), str(), str(), str(), str()
		r.Team, r.Owner, r.Band, r.Rejected, r.WonCurrency = str(), str(), str(), str(), str()
		flags := uv()
		r.Recycled, r.CameBack, r.Converted = flags&flagRecycled != 0, flags&flagCameBack != 0, flags&flagConverted != 0
		if flags&flagWon != 0 {
			r.WonAmount = f64()
		}
		r.Score = f64()
		r.DefinitionID = sv()
		if bad {
			return errDayCorrupt
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

// RebuildReportDays packs report_days again from report_leads, whole: a
// repair, and how benchmarks that write report_leads directly make their
// days. It holds every row in memory at once.
func (db *DB) RebuildReportDays(ctx context.Context) error {
	byDay := map[dayKey][]*ReportLead{}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+reportLeadCols+` FROM report_leads`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanReportLead(rows)
		if err != nil {
			return err
		}
		c, fl := reportDays(r)
		byDay[dayKey{DayCohort, c}] = append(byDay[dayKey{DayCohort, c}], r)
		for _, d := range fl {
			byDay[dayKey{DayFlow, d}] = append(byDay[dayKey{DayFlow, d}], r)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(reportLock)); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM report_days`); err != nil {
			return err
		}
		for k, list := range byDay {
			slices.SortFunc(list, func(a, b *ReportLead) int { return int(a.LeadID - b.LeadID) })
			if _, err := tx.exec(ctx, `INSERT INTO report_days (kind, day, leads, data) VALUES (?, ?, ?, ?)`, k.kind, k.day, len(list), encodeDay(list)); err != nil {
				return err
			}
		}
		return nil
	})
}
