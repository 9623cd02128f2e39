package report

import (
	"context"
	"math"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// Bands is the definition's test against outcomes: how each band, and
// each tenth of the leads by score, converted.
type Bands struct {
	From         time.Time  `json:"from"`
	To           time.Time  `json:"to"`
	DefinitionID int64      `json:"definition_id,omitempty"`
	Stages       []string   `json:"stages"`
	Total        BandLine   `json:"total"`
	Bands        []BandLine `json:"bands"`
	Deciles      []BandLine `json:"deciles"`
}

// BandLine is one band's or decile's leads and conversion from the lead
// (inquiry) to each later stage.
type BandLine struct {
	Name   string              `json:"name"`
	Leads  int64               `json:"leads"`
	Counts map[string]int64    `json:"counts"`
	Rates  map[string]*float64 `json:"conversion"`
	// Lift is the line's conversion over the total's: 2 means twice as
	// likely as the average lead; null when either is undefined.
	Lift map[string]*float64 `json:"lift"`
}

// bandStages are the stages the bands report converts to.
var bandStages = []string{"sal", "sql", "opportunity", "won"}

// bandCount is one band's or decile's leads and how many reached each
// stage after the inquiry.
type bandCount struct {
	name    string
	leads   int64
	reached [5]int64
}

func (b *bandCount) addMask(m byte) {
	b.leads++
	for i := range b.reached {
		if m&(1<<i) != 0 {
			b.reached[i]++
		}
	}
}

func (b *bandCount) merge(o *bandCount) {
	b.leads += o.leads
	for i := range b.reached {
		b.reached[i] += o.reached[i]
	}
}

// band is a band's count, made when first seen.
func band(m map[string]*bandCount, name string) *bandCount {
	b := m[name]
	if b == nil {
		b = &bandCount{name: name}
		m[name] = b
	}
	return b
}

func bandLine(b bandCount) BandLine {
	l := BandLine{Name: b.name, Leads: b.leads, Counts: map[string]int64{}, Rates: map[string]*float64{}, Lift: map[string]*float64{}}
	for i, s := range store.ReportStages {
		l.Counts[s] = b.reached[i]
	}
	for _, s := range bandStages {
		l.Rates[s] = rate(l.Counts[s], l.Leads)
	}
	return l
}

func (l *BandLine) lift(total BandLine) {
	for _, s := range bandStages {
		a, t := l.Rates[s], total.Rates[s]
		if a == nil || t == nil || *t == 0 {
			l.Lift[s] = nil
			continue
		}
		v := math.Round(*a / *t * 100) / 100
		l.Lift[s] = &v
	}
}

// scored is a lead of the cohort with its score, for the deciles.
type scored struct {
	id    int64
	score float64
	mask  byte // stages reached, bit 0 for mql
}

// deciles splits leads ranked by score (highest first, then by lead ID)
// into ten groups as equal as possible, the first ones one larger when
// the leads do not divide by ten (SQL's ntile(10)); fewer than ten leads
// make as many groups of one. The leads are not sorted: each group's
// bounds are selected (quickselect), which a million leads need.
func deciles(leads []scored) []bandCount {
	n := len(leads)
	bounds := decileBounds(n) // the first lead of each group after the first
	selectRanks(leads, 0, n, bounds)
	var out []bandCount
	from := 0
	for d, to := range append(bounds, n) {
		b := bandCount{name: strconv.Itoa(d + 1)}
		for _, l := range leads[from:to] {
			b.addMask(l.mask)
		}
		out = append(out, b)
		from = to
	}
	if n == 0 {
		return nil
	}
	return out
}

// ranksBefore orders leads for the deciles: higher score first, then
// lower lead ID.
func ranksBefore(a, b *scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.id < b.id
}

// selectRanks reorders leads[lo:hi] so that for each k in ks (sorted,
// within the range) leads[k] is the lead of rank k and every lead before
// it ranks before it.
func selectRanks(leads []scored, lo, hi int, ks []int) {
	for len(ks) > 0 && hi-lo > 16 {
		// median of three as the pivot, moved to hi-1
		mid := lo + (hi-lo)/2
		if ranksBefore(&leads[mid], &leads[lo]) {
			leads[mid], leads[lo] = leads[lo], leads[mid]
		}
		if ranksBefore(&leads[hi-1], &leads[lo]) {
			leads[hi-1], leads[lo] = leads[lo], leads[hi-1]
		}
		if ranksBefore(&leads[mid], &leads[hi-1]) {
			leads[mid], leads[hi-1] = leads[hi-1], leads[mid]
		}
		pivot := leads[hi-1]
		p := lo
		for i := lo; i < hi-1; i++ {
			if ranksBefore(&leads[i], &pivot) {
				leads[i], leads[p] = leads[p], leads[i]
				p++
			}
		}
		leads[p], leads[hi-1] = leads[hi-1], leads[p]
		// ks below p go left, above p right; p itself is in place.
		i := sort.SearchInts(ks, p)
		left, right := ks[:i], ks[i:]
		if len(right) > 0 && right[0] == p {
			right = right[1:]
		}
		if len(left) < len(right) {
			selectRanks(leads, lo, p, left)
			lo, ks = p+1, right
		} else {
			selectRanks(leads, p+1, hi, right)
			hi, ks = p, left
		}
	}
	if len(ks) > 0 {
		slices.SortFunc(leads[lo:hi], func(a, b scored) int {
			if ranksBefore(&a, &b) {
				return -1
			}
			if ranksBefore(&b, &a) {
				return 1
			}
			return 0
		})
	}
}

// Bands answers GET /api/v1/reports/bands over the cohort's leads
// evaluated by definition (0: any), by band and by score decile.
func (r *Reports) Bands(ctx context.Context, q Query) (*Bands, error) {
	if err := r.requestRefresh(ctx); err != nil {
		return nil, err
	}
	loc, err := r.Location(ctx)
	if err != nil {
		return nil, err
	}
	q.Flow, q.GroupBy = false, nil
	if err := checkQuery(q); err != nil {
		return nil, err
	}
	byBand := map[string]*bandCount{}
	sum := bandCount{name: "total"}
	var ranked []scored
	var decs []bandCount
	switch {
	case !q.To.After(q.From):
	case r.rowByRow:
		sel := newSelector(q, loc)
		err = r.eachRow(ctx, q, func(row *store.ReportLead, _ *inPeriod) {
			if !sel.keep(row) {
				return
			}
			m := rowMask(row)
			band(byBand, row.Band).addMask(m)
			sum.addMask(m)
			ranked = append(ranked, scored{id: row.LeadID, score: row.Score, mask: m})
		})
	default:
		var h *scoreHist
		ranked, h, err = r.bandsSegments(ctx, q, loc, byBand, &sum)
		if err == nil && h != nil {
			a, b := newPeriod(q.From, q.To).whole()
			decs, err = decilesMixed(h, ranked, func(k uint32) ([]scored, error) { return r.bucketRows(ctx, h, k, a, b, q.DefinitionID) })
			ranked = nil
		}
	}
	if err != nil {
		return nil, err
	}
	if decs == nil {
		decs = deciles(ranked)
	}
	out := &Bands{From: q.From, To: q.To, DefinitionID: q.DefinitionID, Stages: append([]string{"lead"}, bandStages...),
		Total: bandLine(sum), Bands: []BandLine{}, Deciles: []BandLine{}}
	names := make([]string, 0, len(byBand))
	for n := range byBand {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		l := bandLine(*byBand[n])
		l.lift(out.Total)
		out.Bands = append(out.Bands, l)
	}
	for _, b := range decs {
		l := bandLine(b)
		l.lift(out.Total)
		out.Deciles = append(out.Deciles, l)
	}
	return out, nil
}

// bandsSegments counts the cohort's leads by band into byBand and sum
// from the scores rollups of the whole days that have them (h, nil when
// not read) and the segments of the others, and returns the score of
// each lead read from the segments for the deciles.
func (r *Reports) bandsSegments(ctx context.Context, q Query, loc *time.Location, byBand map[string]*bandCount, sum *bandCount) ([]scored, *scoreHist, error) {
	p := newPeriod(q.From, q.To)
	sel := newSelector(q, loc)
	type worker struct {
		sel    *rowSel
		bands  map[string]*bandCount
		sum    bandCount
		ranked []scored
		idx    []uint32
		ids    []int64
		scores []float64
	}
	n := scanWorkers()
	ws := make([]*worker, n)
	for i := range ws {
		ws[i] = &worker{sel: newRowSel(sel), bands: map[string]*bandCount{}}
	}
	// Every lead's score, in one slice made once: a year's million leads
	// grown by appending spent a third of the report copying.
	a, b := p.whole()
	runs := [][2]int64{{a, b}}
	var h *scoreHist
	if a <= b && r.bandsRollable(q) {
		h = newScoreHist()
		var err error
		if runs, err = r.bandsRollups(ctx, q, a, b, loc.String(), h, byBand, sum); err != nil {
			return nil, nil, err
		}
	}
	var rows int
	for _, run := range runs {
		if run[0] > run[1] {
			continue
		}
		n, err := r.db.ReportSegmentRows(ctx, store.SegCohort, run[0], run[1])
		if err != nil {
			return nil, nil, err
		}
		rows += n
	}
	ranked := make([]scored, 0, rows)
	var mu sync.Mutex
	var edges []scored // the rows of the days cut in two
	edge := func(_ int64, row *store.ReportLead) error {
		if !p.in(row.InquiryAt) || !sel.keep(row) {
			return nil
		}
		w := ws[0]
		m := rowMask(row)
		band(w.bands, row.Band).addMask(m)
		w.sum.addMask(m)
		edges = append(edges, scored{id: row.LeadID, score: row.Score, mask: m})
		return nil
	}
	whole := func(wi int, seg *store.Segment) error {
		w := ws[wi]
		if err := w.sel.prepare(seg); err != nil {
			return err
		}
		k := &w.sel.keys
		var err error
		if w.idx, err = k.Indexes(store.SecBand, w.idx); err != nil {
			return err
		}
		if w.ids, err = k.Ints(store.SecIDs, w.ids); err != nil {
			return err
		}
		if w.scores, err = store.Scores(seg.Ranks, k.N, w.scores); err != nil {
			return err
		}
		mask := k.Bytes(store.SecMask)
		counts := make([]*bandCount, len(k.Strs))
		w.ranked = w.ranked[:0]
		defer func() {
			mu.Lock()
			ranked = append(ranked, w.ranked...)
			mu.Unlock()
		}()
		for i := range k.N {
			if !w.sel.pass[i] {
				continue
			}
			b := counts[w.idx[i]]
			if b == nil {
				b = band(w.bands, string(k.Strs[w.idx[i]]))
				counts[w.idx[i]] = b
			}
			b.addMask(mask[i])
			w.sum.addMask(mask[i])
			w.ranked = append(w.ranked, scored{id: w.ids[i], score: w.scores[i], mask: mask[i]})
		}
		return nil
	}
	if err := r.scanEdges(ctx, store.SegCohort, p, edge); err != nil {
		return nil, nil, err
	}
	if err := r.scanWhole(ctx, store.SegCohort, runs, store.SegmentBlobs{Ranks: true}, n, whole); err != nil {
		return nil, nil, err
	}
	for _, w := range ws {
		sum.merge(&w.sum)
		for name, b := range w.bands {
			band(byBand, name).merge(b)
		}
	}
	return append(ranked, edges...), h, nil
}
