package report

import (
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"sort"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// Rollups: per kind of segment, UTC day and dimension, each value's sums
// (store.RollupDims; report_rollups). A report over a long period adds up
// one small value a day instead of reading every row of its segments.
// The sums are what the segments' fast path adds for a whole day (acc):
// counts, the hours of each stage as a histogram of tenths (percentiles
// stay exact), won amounts in thousandths, rejections and recycling. In
// the flow view a lead counts its rejection and recycling on the first
// day of the period it entered something, which depends on the period:
// the rows that entered something earlier (gap) and have something to
// count once are kept one by one with the day of that earlier entry.

// onceItem is a flow row's rejection and recycling, counted only when the
// period starts after its previous entry day.
type onceItem struct {
	prev   int64 // the UTC day of the lead's previous entry
	id     int64
	reason string
	flags  byte // the mask's recycled, came back and converted bits
}

// daySums is one value's sums over a day.
type daySums struct {
	acc
	items []onceItem
}

const flagBits = store.MaskRecycled | store.MaskCameBack | store.MaskConverted

// sumDay sums a day's rows (of kind's segment) for every rolled-up
// dimension, month and week named in loc, and packs each dimension's sums;
// a cohort day also gets its scores rollup (scores.go).
func sumDay(kind string, day int64, loc *time.Location, rows []*store.ReportLead) map[string][]byte {
	byDim := map[string]map[string]*daySums{}
	for _, dim := range store.RollupDims {
		byDim[dim] = map[string]*daySums{}
	}
	for _, row := range rows {
		var ip inPeriod
		var prev int64
		hasPrev := false // an entry on an earlier day
		if kind == store.SegFlow {
			ip.inquiry = store.DayOf(row.InquiryAt) == day
			if d := store.DayOf(row.InquiryAt); d < day {
				prev, hasPrev = d, true
			}
			for i, t := range row.Reached {
				if t == nil {
					continue
				}
				d := store.DayOf(*t)
				ip.reached[i] = d == day
				if d < day && (!hasPrev || d > prev) {
					prev, hasPrev = d, true
				}
			}
		} else {
			ip.inquiry = true
			for i, t := range row.Reached {
				ip.reached[i] = t != nil
			}
		}
		for _, dim := range store.RollupDims {
			v := ""
			if dim != "" {
				v = dimension(row, dim, loc)
			}
			s := byDim[dim][v]
			if s == nil {
				s = &daySums{acc: *newAcc()}
				byDim[dim][v] = s
			}
			once := !hasPrev
			s.addLead(row, &ip, once)
			if m := rowMask(row) & flagBits; !once && (row.Rejected != "" || m != 0) {
				s.items = append(s.items, onceItem{prev: prev, id: row.LeadID, reason: row.Rejected, flags: m})
			}
		}
	}
	out := map[string][]byte{}
	for dim, vals := range byDim {
		out[dim] = packSums(day, vals)
	}
	if kind == store.SegCohort {
		out[store.ScoresDim] = sumScores(rows)
	}
	return out
}

// packSums packs one dimension's sums of a day, values in order.
func packSums(day int64, vals map[string]*daySums) []byte {
	names := make([]string, 0, len(vals))
	for v := range vals {
		names = append(names, v)
	}
	sort.Strings(names)
	b := binary.AppendUvarint(nil, uint64(len(names)))
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	counted := func(m map[string]int64) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = binary.AppendUvarint(b, uint64(len(keys)))
		for _, k := range keys {
			str(k)
			b = binary.AppendVarint(b, m[k])
		}
	}
	for _, name := range names {
		s := vals[name]
		str(name)
		for _, c := range s.counts {
			b = binary.AppendUvarint(b, uint64(c))
		}
		for _, hs := range s.hours {
			hs = slices.Clone(hs)
			slices.Sort(hs)
			var distinct int
			for i := range hs {
				if i == 0 || hs[i] != hs[i-1] {
					distinct++
				}
			}
			b = binary.AppendUvarint(b, uint64(distinct))
			for i := 0; i < len(hs); {
				j := i
				for j < len(hs) && hs[j] == hs[i] {
					j++
				}
				b = binary.AppendVarint(b, int64(hs[i]))
				b = binary.AppendUvarint(b, uint64(j-i))
				i = j
			}
		}
		counted(s.won)
		b = binary.AppendUvarint(b, uint64(s.rejected))
		counted(s.reasons)
		b = binary.AppendUvarint(b, uint64(s.recycled))
		b = binary.AppendUvarint(b, uint64(s.cameBack))
		b = binary.AppendUvarint(b, uint64(s.converted))
		b = binary.AppendUvarint(b, uint64(len(s.items)))
		for _, it := range s.items {
			b = binary.AppendUvarint(b, uint64(day-it.prev))
			b = binary.AppendUvarint(b, uint64(it.id))
			str(it.reason)
			b = append(b, it.flags)
		}
	}
	return b
}

var errRollupCorrupt = errors.New("report rollup is damaged")

// sumsReader reads packed sums.
type sumsReader struct {
	b   []byte
	err error
}

func (r *sumsReader) uv() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sumsReader) sv() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sumsReader) str() string {
	n := r.uv()
	if n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *sumsReader) byte1() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *sumsReader) fail() {
	if r.err == nil {
		r.err = errRollupCorrupt
	}
	r.b = nil
}

// onlyValue is the single value of a day's packed sums, if it has one.
func onlyValue(b []byte) (string, bool) {
	r := sumsReader{b: b}
	if r.uv() != 1 {
		return "", false
	}
	v := r.str()
	return v, r.err == nil
}

// addSums adds a day's packed sums into the lines to (a value's line,
// nil: the value is not kept). once says whether a flow row whose
// previous entry was on day prev (lead id) counts its rejection and
// recycling in the period.
func addSums(day int64, b []byte, to func(value string) *acc, once func(prev, id int64) bool) error {
	r := sumsReader{b: b}
	n := r.uv()
	for range n {
		if r.err != nil {
			break
		}
		a := to(r.str())
		skip := a == nil
		if skip {
			a = newAcc() // read and dropped
		}
		for i := range a.counts {
			a.counts[i] += int64(r.uv())
		}
		for s := range a.hours {
			for range r.uv() {
				v, c := int32(r.sv()), r.uv()
				if r.err != nil {
					break
				}
				if !skip {
					for range c {
						a.hours[s] = append(a.hours[s], v)
					}
				}
			}
		}
		for range r.uv() {
			k := r.str()
			a.won[k] += r.sv()
		}
		a.rejected += int64(r.uv())
		for range r.uv() {
			k := r.str()
			a.reasons[k] += r.sv()
		}
		a.recycled += int64(r.uv())
		a.cameBack += int64(r.uv())
		a.converted += int64(r.uv())
		for range r.uv() {
			prev := day - int64(r.uv())
			id := int64(r.uv())
			reason := r.str()
			flags := r.byte1()
			if r.err == nil && once(prev, id) {
				a.once(reason, flags)
			}
		}
	}
	return r.err
}

// rollPlan is how a funnel reads rollups: the one dimension it groups or
// filters by (or none), and in the cohort view a month or week beside it,
// taken from the day's only value of that dimension (a day whose
// inquiries fall in two months is read from its segments).
type rollPlan struct {
	dim   string
	label string
	keep  map[string][]map[string]bool // filters by dimension; all must hold
}

// rollupPlan is nil when the query needs more than the rollups keep: two
// dimensions (but a cohort's month or week), or a definition.
func (r *Reports) rollupPlan(q Query) *rollPlan {
	if r.noRollups || q.DefinitionID != 0 {
		return nil
	}
	p := &rollPlan{keep: map[string][]map[string]bool{}}
	var need []string
	add := func(name string, vals []string) {
		if !slices.Contains(need, name) {
			need = append(need, name)
		}
		if vals != nil {
			set := map[string]bool{}
			for _, v := range vals {
				set[v] = true
			}
			p.keep[name] = append(p.keep[name], set)
		}
	}
	for _, g := range q.GroupBy {
		add(g, nil)
	}
	for name, vals := range q.Filters {
		if len(vals) > 0 {
			add(name, vals)
		}
	}
	if q.Scope.Limited {
		add("team", append([]string{}, q.Scope.Teams...))
	}
	isLabel := func(n string) bool { return n == "month" || n == "week" }
	switch {
	case len(need) == 0:
	case len(need) == 1:
		p.dim = need[0]
	case len(need) == 2 && !q.Flow && isLabel(need[0]) != isLabel(need[1]):
		p.dim, p.label = need[0], need[1]
		if isLabel(p.dim) {
			p.dim, p.label = p.label, p.dim
		}
	default:
		return nil
	}
	return p
}

func (p *rollPlan) keeps(dim, v string) bool {
	for _, set := range p.keep[dim] {
		if !set[v] {
			return false
		}
	}
	return true
}

// funnelRollups adds the rollups of the whole days [a, b] into lines by
// group key, and returns the runs of days it did not find rollups for
// (to be read from their segments). seen holds the leads that entered
// something on the period's first day before it ends (flow view).
func (r *Reports) funnelRollups(ctx context.Context, q Query, plan *rollPlan, kind string, p period, a, b int64, loc *time.Location,
	lines map[[2]string]*acc, seen map[int64]bool) ([][2]int64, error) {
	tz := loc.String()
	var labels map[int64]string
	if plan.label != "" {
		labels = map[int64]string{}
		if err := r.db.ReportRollups(ctx, kind, plan.label, tz, a, b, func(ro *store.Rollup) error {
			if v, ok := onlyValue(ro.Sums); ok {
				labels[ro.Day] = v
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	once := func(prev, id int64) bool { return prev < p.d1 || prev == p.d1 && p.cutStart && !seen[id] }
	var covered []int64
	err := r.db.ReportRollups(ctx, kind, plan.dim, tz, a, b, func(ro *store.Rollup) error {
		var label string
		if plan.label != "" {
			l, ok := labels[ro.Day]
			if !ok {
				return nil
			}
			covered = append(covered, ro.Day)
			if !plan.keeps(plan.label, l) {
				return nil
			}
			label = l
		} else {
			covered = append(covered, ro.Day)
		}
		return addSums(ro.Day, ro.Sums, func(v string) *acc {
			if !plan.keeps(plan.dim, v) {
				return nil
			}
			var key [2]string
			for g, name := range q.GroupBy {
				if name == plan.dim {
					key[g] = v
				} else {
					key[g] = label
				}
			}
			l := lines[key]
			if l == nil {
				l = newAcc()
				lines[key] = l
			}
			return l
		}, once)
	})
	if err != nil {
		return nil, err
	}
	// The days between the ones covered.
	return uncovered(a, b, covered), nil
}
