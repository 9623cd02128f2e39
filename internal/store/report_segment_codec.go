package store

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
)

// The packed form of a segment's keys: a format number, the row count, a
// string table, then one section per column (its length, then its
// bytes), so a reader skips the columns it does not need. Numbers are
// varints; hours are tenths (they are rounded to 0.1); amounts and scores
// keep their float64 bits, so a row reads back exactly as it was stored.
const segFormat = 2

// The sections of a segment's keys, in order.
const (
	SecIDs    = iota // lead IDs, ascending: the first, then differences
	SecMask          // one byte a row: stages reached (bits 0-4), recycled (5), came back (6), converted (7)
	SecHours         // tenths of business hours of each stage reached, row after row
	SecSource        // dimensions: an index into the string table a row
	SecCampaign
	SecForm
	SecVersion
	SecCountry
	SecTeam
	SecOwner
	SecBand
	SecRejected
	SecWonCurrency
	SecWon     // rows with a deal amount or currency: the row's index and the amount's bits
	SecDef     // the evaluating definition's ID a row
	SecInquiry // the inquiry's second, counted from the segment's day (zone offsets are whole seconds)
	SecOnDay   // flow only: one byte a row, what the lead entered that day: the inquiry (bit 0), stage i (bit i+1)
	SecGap     // flow only: days since the lead's previous entry day (0: none)
	numSecs
)

// Mask bits after the five stages.
const (
	MaskRecycled  = 1 << 5
	MaskCameBack  = 1 << 6
	MaskConverted = 1 << 7
)

// DimSection is the section of a report dimension stored as text ("month"
// and "week" are not: they come from SecInquiry).
func DimSection(name string) (int, bool) {
	switch name {
	case "source":
		return SecSource, true
	case "campaign":
		return SecCampaign, true
	case "form":
		return SecForm, true
	case "definition_version":
		return SecVersion, true
	case "country":
		return SecCountry, true
	case "team":
		return SecTeam, true
	case "owner":
		return SecOwner, true
	case "band":
		return SecBand, true
	}
	return 0, false
}

// encodeSegment packs rows (sorted by lead ID) kept on a day of a kind.
func encodeSegment(kind string, day int64, rows []*ReportLead) (keys, ranks, times []byte) {
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
	var sec [numSecs][]byte
	start := day * dayMillis
	var prev int64
	ranks = make([]byte, 0, 8*len(rows))
	for i, r := range rows {
		sec[SecIDs] = binary.AppendUvarint(sec[SecIDs], uint64(r.LeadID-prev))
		prev = r.LeadID
		var mask byte
		for s, t := range r.Reached {
			if t != nil {
				mask |= 1 << s
				sec[SecHours] = binary.AppendVarint(sec[SecHours], tenths(r.Hours[s]))
			}
		}
		if r.Recycled {
			mask |= MaskRecycled
		}
		if r.CameBack {
			mask |= MaskCameBack
		}
		if r.Converted {
			mask |= MaskConverted
		}
		sec[SecMask] = append(sec[SecMask], mask)
		for s, v := range []string{r.Source, r.Campaign, r.Form, r.Version, r.Country, r.Team, r.Owner, r.Band, r.Rejected, r.WonCurrency} {
			sec[SecSource+s] = binary.AppendUvarint(sec[SecSource+s], str(v))
		}
		if r.WonAmount != 0 || r.WonCurrency != "" {
			sec[SecWon] = binary.AppendUvarint(sec[SecWon], uint64(i))
			sec[SecWon] = binary.LittleEndian.AppendUint64(sec[SecWon], math.Float64bits(r.WonAmount))
		}
		sec[SecDef] = binary.AppendVarint(sec[SecDef], r.DefinitionID)
		inq := r.InquiryAt.UnixMilli()
		sec[SecInquiry] = binary.AppendVarint(sec[SecInquiry], floorDiv(inq-start, 1000))
		if kind == SegFlow {
			var on byte
			if DayOf(r.InquiryAt) == day {
				on = 1
			}
			for s, t := range r.Reached {
				if t != nil && DayOf(*t) == day {
					on |= 1 << (s + 1)
				}
			}
			sec[SecOnDay] = append(sec[SecOnDay], on)
			var gap int64
			for _, d := range entryDays(r) {
				if d < day {
					gap = day - d
				}
			}
			sec[SecGap] = binary.AppendUvarint(sec[SecGap], uint64(gap))
		}
		ranks = binary.LittleEndian.AppendUint64(ranks, math.Float64bits(r.Score))
		times = binary.AppendVarint(times, inq-start)
		for _, t := range r.Reached {
			if t != nil {
				times = binary.AppendVarint(times, t.UnixMilli()-inq)
			}
		}
	}
	keys = binary.AppendUvarint(nil, segFormat)
	keys = binary.AppendUvarint(keys, uint64(len(rows)))
	keys = binary.AppendUvarint(keys, uint64(len(strs)))
	for _, s := range strs {
		keys = binary.AppendUvarint(keys, uint64(len(s)))
		keys = append(keys, s...)
	}
	for _, s := range sec {
		keys = binary.AppendUvarint(keys, uint64(len(s)))
		keys = append(keys, s...)
	}
	return keys, ranks, times
}

var errSegCorrupt = errors.New("packed report segment is damaged")

// SegKeys is a segment's keys, parsed: the string table and where each
// section lies. The slices point into the stored value; nothing is
// decoded until a section is asked for.
type SegKeys struct {
	Day  int64
	N    int
	Strs [][]byte
	sec  [numSecs][]byte
}

// Parse reads the header and the section bounds of a segment's keys.
func (k *SegKeys) Parse(day int64, b []byte) error {
	k.Day, k.N, k.Strs = day, 0, k.Strs[:0]
	r := reader{b: b}
	if r.uv() != segFormat {
		return errSegCorrupt
	}
	n, ns := r.uv(), r.uv()
	if r.bad || n > uint64(len(b)) || ns > uint64(len(b)) {
		return errSegCorrupt
	}
	k.N = int(n)
	for range ns {
		k.Strs = append(k.Strs, r.bytes(r.uv()))
	}
	for i := range k.sec {
		k.sec[i] = r.bytes(r.uv())
	}
	if r.bad || len(k.sec[SecMask]) != k.N || (len(k.sec[SecOnDay]) != 0 && len(k.sec[SecOnDay]) != k.N) {
		return errSegCorrupt
	}
	return nil
}

// Bytes is a section of one byte a row (SecMask, SecOnDay; nil for
// SecOnDay in a cohort segment).
func (k *SegKeys) Bytes(sec int) []byte { return k.sec[sec] }

// Indexes decodes a dimension section: each row's index into Strs.
func (k *SegKeys) Indexes(sec int, buf []uint32) ([]uint32, error) {
	r := reader{b: k.sec[sec]}
	buf = buf[:0]
	for range k.N {
		v := r.uv()
		if v >= uint64(len(k.Strs)) {
			return nil, errSegCorrupt
		}
		buf = append(buf, uint32(v))
	}
	if r.bad {
		return nil, errSegCorrupt
	}
	return buf, nil
}

// Ints decodes a section of one number a row: SecIDs (as IDs), SecDef,
// SecInquiry, SecGap.
func (k *SegKeys) Ints(sec int, buf []int64) ([]int64, error) {
	r := reader{b: k.sec[sec]}
	buf = buf[:0]
	var prev int64
	for range k.N {
		var v int64
		switch sec {
		case SecIDs:
			prev += int64(r.uv())
			v = prev
		case SecGap:
			v = int64(r.uv())
		default:
			v = r.sv()
		}
		buf = append(buf, v)
	}
	if r.bad {
		return nil, errSegCorrupt
	}
	return buf, nil
}

// Hours decodes the tenths of hours of every stage reached, row after
// row, in the order of the mask's bits.
func (k *SegKeys) Hours(buf []int32) ([]int32, error) {
	r := reader{b: k.sec[SecHours]}
	buf = buf[:0]
	for r.p < len(r.b) {
		buf = append(buf, int32(r.sv()))
	}
	if r.bad {
		return nil, errSegCorrupt
	}
	return buf, nil
}

// Won calls fn with each row that has a deal amount or currency.
func (k *SegKeys) Won(fn func(row int, amount float64)) error {
	r := reader{b: k.sec[SecWon]}
	for r.p < len(r.b) {
		i := r.uv()
		a := r.f64()
		if r.bad || i >= uint64(k.N) {
			return errSegCorrupt
		}
		fn(int(i), a)
	}
	return nil
}

// Scores decodes a segment's ranks: each row's score.
func Scores(ranks []byte, n int, buf []float64) ([]float64, error) {
	if len(ranks) != 8*n {
		return nil, errSegCorrupt
	}
	buf = buf[:0]
	for i := range n {
		buf = append(buf, math.Float64frombits(binary.LittleEndian.Uint64(ranks[8*i:])))
	}
	return buf, nil
}

// DecodeSegment calls fn with each row of a segment (none for nil keys),
// whole, reusing one value and its times.
func DecodeSegment(day int64, keys, ranks, times []byte, fn func(*ReportLead) error) error {
	if len(keys) == 0 {
		return nil
	}
	var k SegKeys
	if err := k.Parse(day, keys); err != nil {
		return err
	}
	ids, err := k.Ints(SecIDs, nil)
	if err != nil {
		return err
	}
	hours, err := k.Hours(nil)
	if err != nil {
		return err
	}
	var dims [SecWonCurrency - SecSource + 1][]uint32
	for i := range dims {
		if dims[i], err = k.Indexes(SecSource+i, nil); err != nil {
			return err
		}
	}
	defs, err := k.Ints(SecDef, nil)
	if err != nil {
		return err
	}
	won := map[int]float64{}
	if err := k.Won(func(row int, a float64) { won[row] = a }); err != nil {
		return err
	}
	scores, err := Scores(ranks, k.N, nil)
	if err != nil {
		return err
	}
	mask := k.Bytes(SecMask)
	s := func(row, dim int) string { return string(k.Strs[dims[dim][row]]) }
	tr := reader{b: times}
	start := day * dayMillis
	var (
		r  ReportLead
		ts [5]time.Time
		h  int
	)
	for i := range k.N {
		r = ReportLead{LeadID: ids[i], Score: scores[i], DefinitionID: defs[i], WonAmount: won[i]}
		inq := start + tr.sv()
		r.InquiryAt = time.UnixMilli(inq).UTC()
		for st := range r.Reached {
			if mask[i]&(1<<st) == 0 {
				continue
			}
			if h >= len(hours) {
				return errSegCorrupt
			}
			ts[st] = time.UnixMilli(inq + tr.sv()).UTC()
			r.Reached[st], r.Hours[st] = &ts[st], float64(hours[h])/10
			h++
		}
		r.Source, r.Campaign, r.Form, r.Version, r.Country = s(i, 0), s(i, 1), s(i, 2), s(i, 3), s(i, 4)
		r.Team, r.Owner, r.Band, r.Rejected, r.WonCurrency = s(i, 5), s(i, 6), s(i, 7), s(i, 8), s(i, 9)
		r.Recycled, r.CameBack, r.Converted = mask[i]&MaskRecycled != 0, mask[i]&MaskCameBack != 0, mask[i]&MaskConverted != 0
		if tr.bad {
			return errSegCorrupt
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

// reader reads varints and float64s, remembering a failure.
type reader struct {
	b   []byte
	p   int
	bad bool
}

func (r *reader) uv() uint64 {
	v, n := binary.Uvarint(r.b[r.p:])
	if n <= 0 {
		r.bad = true
		r.p = len(r.b)
		return 0
	}
	r.p += n
	return v
}

func (r *reader) sv() int64 {
	v, n := binary.Varint(r.b[r.p:])
	if n <= 0 {
		r.bad = true
		r.p = len(r.b)
		return 0
	}
	r.p += n
	return v
}

func (r *reader) f64() float64 {
	if r.p+8 > len(r.b) {
		r.bad = true
		r.p = len(r.b)
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b[r.p:]))
	r.p += 8
	return v
}

func (r *reader) bytes(n uint64) []byte {
	if r.bad || uint64(r.p)+n > uint64(len(r.b)) {
		r.bad = true
		return nil
	}
	out := r.b[r.p : r.p+int(n)]
	r.p += int(n)
	return out
}
