package report

import (
	"context"
	"errors"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// A report over segments reads the days its period covers whole by their
// keys only (the fast path: counts by stage bits, dimensions by string
// table index, no instants decoded), and the at most two days the period
// cuts in two row by row, whole. Both add to the same sums (acc), in
// the same way the row by row reports do, so the answers are equal; the
// whole days are shared among the processors.

// period is a query's days.
type period struct {
	from, to time.Time
	// d1 and d2 are the first and last UTC days the period touches;
	// cutStart and cutEnd say it starts or ends inside them.
	d1, d2           int64
	cutStart, cutEnd bool
}

func newPeriod(from, to time.Time) period {
	p := period{from: from, to: to, d1: store.DayOf(from), d2: store.DayOf(to.Add(-time.Millisecond))}
	p.cutStart = !store.DayStart(p.d1).Equal(from)
	p.cutEnd = !store.DayStart(p.d2 + 1).Equal(to)
	return p
}

func (p period) in(t time.Time) bool { return !t.Before(p.from) && t.Before(p.to) }

// edges are the days read row by row.
func (p period) edges() []int64 {
	if p.d1 == p.d2 {
		if p.cutStart || p.cutEnd {
			return []int64{p.d1}
		}
		return nil
	}
	var out []int64
	if p.cutStart {
		out = append(out, p.d1)
	}
	if p.cutEnd {
		out = append(out, p.d2)
	}
	return out
}

// whole is the first and last day read by keys (first > last: none).
func (p period) whole() (int64, int64) {
	if p.d1 == p.d2 && (p.cutStart || p.cutEnd) {
		return 1, 0
	}
	a, b := p.d1, p.d2
	if p.cutStart {
		a++
	}
	if p.cutEnd {
		b--
	}
	return a, b
}

// selector is what a query keeps and groups by, prepared once; a
// worker's view of it is a rowSel.
type selector struct {
	q      Query
	loc    *time.Location
	groups []string
	// text dimensions filtered, by section
	filters []textFilter
	month   map[string]bool // nil: not filtered
	week    map[string]bool
}

type textFilter struct {
	sec  int
	name string
	set  map[string]bool
}

func newSelector(q Query, loc *time.Location) *selector {
	s := &selector{q: q, loc: loc, groups: q.GroupBy}
	for name, vals := range q.Filters {
		if len(vals) == 0 {
			continue
		}
		set := map[string]bool{}
		for _, v := range vals {
			set[v] = true
		}
		switch name {
		case "month":
			s.month = set
		case "week":
			s.week = set
		default:
			sec, _ := store.DimSection(name)
			s.filters = append(s.filters, textFilter{sec: sec, name: name, set: set})
		}
	}
	if q.Scope.Limited {
		// The asker's teams, on top of any team filter they chose; no
		// team at all keeps no row.
		set := map[string]bool{}
		for _, t := range q.Scope.Teams {
			set[t] = true
		}
		sec, _ := store.DimSection("team")
		s.filters = append(s.filters, textFilter{sec: sec, name: "team", set: set})
	}
	return s
}

// keep is the filters and the definition for a whole row.
func (s *selector) keep(row *store.ReportLead) bool {
	if s.q.DefinitionID != 0 && row.DefinitionID != s.q.DefinitionID {
		return false
	}
	for _, f := range s.filters {
		if !f.set[dimension(row, f.name, s.loc)] {
			return false
		}
	}
	if s.month != nil && !s.month[month(row.InquiryAt, s.loc)] {
		return false
	}
	if s.week != nil && !s.week[isoWeek(row.InquiryAt, s.loc)] {
		return false
	}
	return true
}

// rowSel is a worker's state for selecting and grouping the rows of a
// segment by their keys: decoded columns, reused from one segment to the
// next, and the group values seen, numbered.
type rowSel struct {
	s     *selector
	keys  store.SegKeys
	pass  []bool
	idx   []uint32
	ints  []int64
	tab   []bool
	group [2][]int32 // each row's group value numbers
	trans []int32
	// numbers of group values, per dimension of the grouping
	ids   [2]map[string]int32
	names [2][]string
	// labels of months and weeks by UTC day of the inquiry
	labels map[labelKey]dayLabel
}

type labelKey struct {
	week bool
	day  int64
}

// dayLabel is the month or week of the inquiries of a UTC day, when all
// of them are in one (uniform) in the organisation's time zone.
type dayLabel struct {
	uniform bool
	label   string
}

func newRowSel(s *selector) *rowSel {
	return &rowSel{s: s, ids: [2]map[string]int32{{}, {}}, labels: map[labelKey]dayLabel{}}
}

// number is the number of a group value of grouping dimension g.
func (w *rowSel) number(g int, v string) int32 {
	if id, ok := w.ids[g][v]; ok {
		return id
	}
	id := int32(len(w.names[g]))
	w.ids[g][v] = id
	w.names[g] = append(w.names[g], v)
	return id
}

// key is the group of a whole row.
func (w *rowSel) key(row *store.ReportLead) uint64 {
	var k [2]int32
	for g, name := range w.s.groups {
		k[g] = w.number(g, dimension(row, name, w.s.loc))
	}
	return uint64(uint32(k[0]))<<32 | uint64(uint32(k[1]))
}

// label is the month or week of an instant given as the second sec of a
// segment's day.
func (w *rowSel) label(week bool, day, sec int64) string {
	l, _, _ := w.labelOf(week, day, sec)
	return l
}

// labelOf is label, with the UTC day of the instant and whether every
// instant of that day has the same label.
func (w *rowSel) labelOf(week bool, day, sec int64) (string, int64, bool) {
	at := day*86400 + sec
	iday := at / 86400
	if at < 0 && at%86400 != 0 {
		iday--
	}
	k := labelKey{week, iday}
	l, ok := w.labels[k]
	if !ok {
		first, last := store.DayStart(iday), store.DayStart(iday+1).Add(-time.Second)
		a, b := w.name(week, first), w.name(week, last)
		l = dayLabel{uniform: a == b, label: a}
		w.labels[k] = l
	}
	if l.uniform {
		return l.label, iday, true
	}
	return w.name(week, time.Unix(at, 0)), iday, false
}

func (w *rowSel) name(week bool, t time.Time) string {
	if week {
		return isoWeek(t, w.s.loc)
	}
	return month(t, w.s.loc)
}

// prepare parses a segment's keys and works out which rows the query
// keeps (pass) and their groups.
func (w *rowSel) prepare(seg *store.Segment) error {
	k := &w.keys
	if err := k.Parse(seg.Day, seg.Keys); err != nil {
		return err
	}
	n := k.N
	w.pass = w.pass[:0]
	for range n {
		w.pass = append(w.pass, true)
	}
	var err error
	for _, f := range w.s.filters {
		if w.idx, err = k.Indexes(f.sec, w.idx); err != nil {
			return err
		}
		w.tab = w.tab[:0]
		for _, v := range k.Strs {
			w.tab = append(w.tab, f.set[string(v)])
		}
		for i, j := range w.idx {
			w.pass[i] = w.pass[i] && w.tab[j]
		}
	}
	if w.s.q.DefinitionID != 0 {
		if w.ints, err = k.Ints(store.SecDef, w.ints); err != nil {
			return err
		}
		for i, d := range w.ints {
			w.pass[i] = w.pass[i] && d == w.s.q.DefinitionID
		}
	}
	needInquiry := w.s.month != nil || w.s.week != nil
	for _, g := range w.s.groups {
		needInquiry = needInquiry || g == "month" || g == "week"
	}
	if needInquiry {
		if w.ints, err = k.Ints(store.SecInquiry, w.ints); err != nil {
			return err
		}
		for i, sec := range w.ints {
			if w.s.month != nil && w.pass[i] && !w.s.month[w.label(false, seg.Day, sec)] {
				w.pass[i] = false
			}
			if w.s.week != nil && w.pass[i] && !w.s.week[w.label(true, seg.Day, sec)] {
				w.pass[i] = false
			}
		}
	}
	for g := range w.group {
		w.group[g] = w.group[g][:0]
		if g >= len(w.s.groups) {
			for range n {
				w.group[g] = append(w.group[g], 0)
			}
			continue
		}
		name := w.s.groups[g]
		if name == "month" || name == "week" {
			// Rows of one UTC day mostly share a label: numbered once.
			lastDay, lastID, reuse := int64(0), int32(0), false
			for _, sec := range w.ints {
				iday := (seg.Day*86400 + sec) / 86400
				if reuse && iday == lastDay && (seg.Day*86400+sec) >= 0 {
					w.group[g] = append(w.group[g], lastID)
					continue
				}
				l, d, uniform := w.labelOf(name == "week", seg.Day, sec)
				id := w.number(g, l)
				w.group[g] = append(w.group[g], id)
				lastDay, lastID, reuse = d, id, uniform
			}
			continue
		}
		sec, _ := store.DimSection(name)
		if w.idx, err = k.Indexes(sec, w.idx); err != nil {
			return err
		}
		w.trans = w.trans[:0]
		for _, v := range k.Strs {
			w.trans = append(w.trans, w.number(g, string(v)))
		}
		for _, j := range w.idx {
			w.group[g] = append(w.group[g], w.trans[j])
		}
	}
	return nil
}

// groupKey is row i's group after prepare.
func (w *rowSel) groupKey(i int) uint64 {
	return uint64(uint32(w.group[0][i]))<<32 | uint64(uint32(w.group[1][i]))
}

// scan reads the segments of the query's view over its period: edge
// handles each row of the days cut in two, whole, in the calling
// goroutine, first; then whole(worker, segment) the other days' segments,
// spread over workers goroutines.
func (r *Reports) scan(ctx context.Context, kind string, p period, want store.SegmentBlobs, workers int,
	edge func(day int64, row *store.ReportLead) error, whole func(worker int, seg *store.Segment) error) error {
	if err := r.scanEdges(ctx, kind, p, edge); err != nil {
		return err
	}
	a, b := p.whole()
	return r.scanWhole(ctx, kind, [][2]int64{{a, b}}, want, workers, whole)
}

// scanEdges reads the days the period cuts in two row by row.
func (r *Reports) scanEdges(ctx context.Context, kind string, p period, edge func(day int64, row *store.ReportLead) error) error {
	for _, d := range p.edges() {
		err := r.db.ReportSegments(ctx, kind, d, d, store.SegmentBlobs{Ranks: true, Times: true}, func(s *store.Segment) error {
			return store.DecodeSegment(s.Day, s.Keys, s.Ranks, s.Times, func(row *store.ReportLead) error { return edge(d, row) })
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// scanWhole reads the segments of the runs of whole days [a, b] by their
// keys, spread over workers goroutines.
func (r *Reports) scanWhole(ctx context.Context, kind string, runs [][2]int64, want store.SegmentBlobs, workers int,
	whole func(worker int, seg *store.Segment) error) error {
	runs = slices.DeleteFunc(slices.Clone(runs), func(run [2]int64) bool { return run[0] > run[1] })
	if len(runs) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	segs := make(chan *store.Segment, 2*workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range segs {
				if errs[w] != nil {
					continue
				}
				if err := whole(w, s); err != nil {
					errs[w] = err
					cancel()
				}
			}
		}()
	}
	var err error
	for _, run := range runs {
		if err = r.db.ReportSegments(ctx, kind, run[0], run[1], want, func(s *store.Segment) error {
			select {
			case segs <- s:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}); err != nil {
			break
		}
	}
	close(segs)
	wg.Wait()
	if e := errors.Join(errs...); e != nil {
		return e
	}
	return err
}

// scanWorkers is how many goroutines count whole days: the processors.
func scanWorkers() int { return max(1, min(runtime.GOMAXPROCS(0), 4)) }

// funnelScan is a worker's sums: the total and each group's.
type funnelScan struct {
	sel    *rowSel
	total  *acc
	groups map[uint64]*acc
	hours  []int32
	ids    []int64
	rej    []uint32
	cur    []uint32
	won    map[int]float64
}

func (f *funnelScan) group(k uint64) *acc {
	a := f.groups[k]
	if a == nil {
		a = newAcc()
		f.groups[k] = a
	}
	return a
}

// funnelSegments answers a funnel from the segments: the total and each
// group's sums, by the groups' values.
func (r *Reports) funnelSegments(ctx context.Context, q Query, loc *time.Location) (*acc, map[[2]string]*acc, error) {
	p := newPeriod(q.From, q.To)
	sel := newSelector(q, loc)
	n := scanWorkers()
	ws := make([]*funnelScan, n)
	for i := range ws {
		ws[i] = &funnelScan{sel: newRowSel(sel), total: newAcc(), groups: map[uint64]*acc{}, won: map[int]float64{}}
	}
	kind := store.SegCohort
	if q.Flow {
		kind = store.SegFlow
	}
	// Leads that entered something in the period on its first day when
	// the period starts inside it: on a later day they are not new.
	seen := map[int64]bool{}
	edge := func(day int64, row *store.ReportLead) error {
		w := ws[0]
		var ip inPeriod
		once := true
		if q.Flow {
			on := func(t time.Time) bool { return store.DayOf(t) == day && p.in(t) }
			ip.inquiry = on(row.InquiryAt)
			any := ip.inquiry
			for i, t := range row.Reached {
				ip.reached[i] = t != nil && on(*t)
				any = any || ip.reached[i]
			}
			if any && day == p.d1 && p.cutStart {
				seen[row.LeadID] = true
			}
			once = firstDayIn(row, p.in) == day
			if !any && !once {
				return nil
			}
		} else {
			if !p.in(row.InquiryAt) {
				return nil
			}
			ip.inquiry = true
			for i, t := range row.Reached {
				ip.reached[i] = t != nil
			}
		}
		if !sel.keep(row) {
			return nil
		}
		w.total.addLead(row, &ip, once)
		if len(q.GroupBy) > 0 {
			w.group(w.sel.key(row)).addLead(row, &ip, once)
		}
		return nil
	}
	whole := func(wi int, seg *store.Segment) error {
		return ws[wi].segment(seg, q, p, seen)
	}
	if err := r.scanEdges(ctx, kind, p, edge); err != nil {
		return nil, nil, err
	}
	// Whole days from their rollups where they have them, else from
	// their segments.
	a, b := p.whole()
	runs := [][2]int64{{a, b}}
	rolled := map[[2]string]*acc{}
	if plan := r.rollupPlan(q); plan != nil && a <= b {
		var err error
		if runs, err = r.funnelRollups(ctx, q, plan, kind, p, a, b, loc, rolled, seen); err != nil {
			return nil, nil, err
		}
	}
	if err := r.scanWhole(ctx, kind, runs, store.SegmentBlobs{}, n, whole); err != nil {
		return nil, nil, err
	}
	// Merge the workers' sums by the groups' values.
	total := newAcc()
	groups := map[[2]string]*acc{}
	for key, a := range rolled {
		total.merge(a)
		if len(q.GroupBy) > 0 {
			groups[key] = a
		}
	}
	for _, w := range ws {
		total.merge(w.total)
		for k, a := range w.groups {
			var key [2]string
			for g := range q.GroupBy {
				key[g] = w.sel.names[g][int32(k>>(32*(1-g)))]
			}
			if b := groups[key]; b != nil {
				b.merge(a)
			} else {
				groups[key] = a
			}
		}
	}
	return total, groups, nil
}

// segment counts a whole day's segment by its keys.
func (f *funnelScan) segment(seg *store.Segment, q Query, p period, seen map[int64]bool) error {
	w := f.sel
	if err := w.prepare(seg); err != nil {
		return err
	}
	k := &w.keys
	var err error
	if f.hours, err = k.Hours(f.hours); err != nil {
		return err
	}
	if f.rej, err = k.Indexes(store.SecRejected, f.rej); err != nil {
		return err
	}
	if f.cur, err = k.Indexes(store.SecWonCurrency, f.cur); err != nil {
		return err
	}
	clear(f.won)
	if err := k.Won(func(row int, a float64) { f.won[row] = a }); err != nil {
		return err
	}
	mask := k.Bytes(store.SecMask)
	onDay := k.Bytes(store.SecOnDay)
	var gaps []int64
	if q.Flow {
		if len(onDay) != k.N {
			return errors.New("report segment: a flow segment without its day's entries")
		}
		if gaps, err = k.Ints(store.SecGap, nil); err != nil {
			return err
		}
		if p.cutStart {
			if f.ids, err = k.Ints(store.SecIDs, f.ids); err != nil {
				return err
			}
		}
	}
	grouped := len(q.GroupBy) > 0
	h := 0
	for i := range k.N {
		m := mask[i]
		nh := bits.OnesCount8(m & 31)
		if h+nh > len(f.hours) {
			return errors.New("report segment: fewer hours than stages")
		}
		if !w.pass[i] {
			h += nh
			continue
		}
		var g *acc
		if grouped {
			g = f.group(w.groupKey(i))
		}
		on := byte(63) // the cohort: the inquiry and every stage reached
		once := true
		if q.Flow {
			on = onDay[i]
			if gap := gaps[i]; gap != 0 {
				prev := seg.Day - gap
				once = prev < p.d1 || prev == p.d1 && p.cutStart && !seen[f.ids[i]]
			}
		}
		if on&1 != 0 {
			f.total.stage(0, 0)
			if g != nil {
				g.stage(0, 0)
			}
		}
		for s := range 5 {
			if m&(1<<s) == 0 {
				continue
			}
			if on&(2<<s) != 0 {
				f.total.stage(s+1, f.hours[h])
				if g != nil {
					g.stage(s+1, f.hours[h])
				}
				if s == 4 {
					if cur := k.Strs[f.cur[i]]; len(cur) > 0 {
						f.total.addWon(string(cur), f.won[i])
						if g != nil {
							g.addWon(string(cur), f.won[i])
						}
					}
				}
			}
			h++
		}
		if once {
			rej := string(k.Strs[f.rej[i]])
			f.total.once(rej, m)
			if g != nil {
				g.once(rej, m)
			}
		}
	}
	return nil
}
