package report

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// Query is what a report is asked: the period, the view, the grouping and
// the filters (names from store.ReportDimensions).
type Query struct {
	From, To time.Time
	Flow     bool
	GroupBy  []string
	Filters  map[string][]string
	// DefinitionID keeps only leads evaluated by that definition (bands).
	DefinitionID int64
	// Scope is whose numbers the asker may see (a manager: their teams').
	Scope Scope
}

// Scope limits a report to the leads of some teams: a manager's reports
// count their teams' leads only. The zero Scope counts every lead.
type Scope struct {
	Limited bool
	Teams   []string // when Limited: the teams whose leads count
}

// Has reports whether a lead (or clock) of team counts in the scope.
func (s Scope) Has(team string) bool { return !s.Limited || slices.Contains(s.Teams, team) }

// Funnel is the waterfall of a cohort (or of a period's flow), in total
// and per group.
type Funnel struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	View    string    `json:"view"` // "cohort" or "flow"
	GroupBy []string  `json:"group_by"`
	Stages  []string  `json:"stages"`
	Total   Line      `json:"total"`
	Groups  []Line    `json:"groups"`
}

// Line is the funnel of one group (or the total).
type Line struct {
	// Key is the group's value, both values joined by " / " when grouped
	// by two dimensions; Keys names each.
	Key  string            `json:"key,omitempty"`
	Keys map[string]string `json:"keys,omitempty"`
	// Counts: leads that reached each stage or a later one (flow view:
	// that entered it in the period).
	Counts map[string]int64 `json:"counts"`
	// Rates: counts[stage] / counts[previous stage]; null over zero.
	Rates map[string]*float64 `json:"rates"`
	// Business hours from the previous stage to this one, over the leads
	// that reached it (nearest rank); null when none did.
	MedianHours map[string]*float64 `json:"median_business_hours"`
	P90Hours    map[string]*float64 `json:"p90_business_hours"`
	WonAmount   map[string]float64  `json:"won_amount"`
	Rejected    Rejected            `json:"rejected"`
	Recycled    Recycled            `json:"recycled"`
}

// Rejected is how many MQLs sales rejected, and why (each lead's first
// rejection).
type Rejected struct {
	Count   int64            `json:"count"`
	Share   *float64         `json:"share"` // of counts.mql
	Reasons map[string]int64 `json:"reasons"`
}

// Recycled is how many leads went to nurture after reaching MQL, how many
// came back, and how many of those sales then accepted (SAL or later).
type Recycled struct {
	Count     int64    `json:"count"`
	Share     *float64 `json:"share"` // of counts.mql
	CameBack  int64    `json:"came_back"`
	Converted int64    `json:"converted"`
}

// histogram maps hours (rounded to 0.1) to how many leads took them.
type histogram map[float64]int64

func (h histogram) add(o histogram) {
	for k, v := range o {
		h[k] += v
	}
}

// percentile is the nearest-rank percentile p (0..1); nil when empty.
func (h histogram) percentile(p float64) *float64 {
	var n int64
	keys := make([]float64, 0, len(h))
	for k, v := range h {
		n += v
		keys = append(keys, k)
	}
	if n == 0 {
		return nil
	}
	sort.Float64s(keys)
	want := int64(math.Ceil(p * float64(n)))
	want = max(want, 1)
	var seen int64
	for _, k := range keys {
		seen += h[k]
		if seen >= want {
			v := k
			return &v
		}
	}
	v := keys[len(keys)-1]
	return &v
}

// acc sums what a line counts; the segments' fast path and the row by
// row path both add to one, so they cannot count differently.
type acc struct {
	counts                        [6]int64         // by stage, inquiry first
	hours                         [5][]int32       // tenths of business hours of each lead that reached a stage
	won                           map[string]int64 // thousandths, by currency: sums that do not depend on the order
	rejected                      int64
	reasons                       map[string]int64
	recycled, cameBack, converted int64
}

func newAcc() *acc { return &acc{won: map[string]int64{}, reasons: map[string]int64{}} }

// stage counts a lead entering a stage (0: the inquiry) and, after the
// inquiry, the hours it took.
func (a *acc) stage(i int, tenths int32) {
	a.counts[i]++
	if i > 0 {
		a.hours[i-1] = append(a.hours[i-1], tenths)
	}
}

func (a *acc) addWon(currency string, amount float64) {
	a.won[currency] += int64(math.Round(amount * 1000))
}

// once counts what a lead counts once: its rejection and recycling.
func (a *acc) once(rejected string, mask byte) {
	if rejected != "" {
		a.rejected++
		a.reasons[rejected]++
	}
	if mask&store.MaskRecycled != 0 {
		a.recycled++
	}
	if mask&store.MaskCameBack != 0 {
		a.cameBack++
	}
	if mask&store.MaskConverted != 0 {
		a.converted++
	}
}

func (a *acc) merge(b *acc) {
	for i := range a.counts {
		a.counts[i] += b.counts[i]
	}
	for i := range a.hours {
		a.hours[i] = append(a.hours[i], b.hours[i]...)
	}
	for k, v := range b.won {
		a.won[k] += v
	}
	a.rejected += b.rejected
	for k, v := range b.reasons {
		a.reasons[k] += v
	}
	a.recycled += b.recycled
	a.cameBack += b.cameBack
	a.converted += b.converted
}

// percentiles are the nearest-rank percentiles ps (0..1) of tenths of
// hours, nil when there are none. Hours are counted by value when they
// span less than countSpan tenths (most do), else sorted.
func percentiles(hs []int32, ps ...float64) []*float64 {
	out := make([]*float64, len(ps))
	if len(hs) == 0 {
		return out
	}
	lo, hi := hs[0], hs[0]
	for _, v := range hs {
		lo, hi = min(lo, v), max(hi, v)
	}
	rank := func(p float64) int { return max(int(math.Ceil(p*float64(len(hs)))), 1) }
	if int64(hi)-int64(lo) < countSpan {
		counts := make([]int, int(hi-lo)+1)
		for _, v := range hs {
			counts[v-lo]++
		}
		for j, p := range ps {
			want, seen := rank(p), 0
			for i, c := range counts {
				if seen += c; seen >= want {
					v := float64(int32(i)+lo) / 10
					out[j] = &v
					break
				}
			}
		}
		return out
	}
	slices.Sort(hs)
	for j, p := range ps {
		v := float64(hs[rank(p)-1]) / 10
		out[j] = &v
	}
	return out
}

// countSpan bounds the counting of hours by value (a year of hours).
const countSpan = 1 << 17

// line computes the rates and percentiles from the sums.
func (a *acc) line() Line {
	l := Line{Counts: map[string]int64{}, Rates: map[string]*float64{}, MedianHours: map[string]*float64{}, P90Hours: map[string]*float64{},
		WonAmount: map[string]float64{}, Rejected: Rejected{Count: a.rejected, Reasons: a.reasons},
		Recycled: Recycled{Count: a.recycled, CameBack: a.cameBack, Converted: a.converted}}
	for i, s := range Stages {
		l.Counts[s] = a.counts[i]
	}
	for i := 1; i < len(Stages); i++ {
		s := Stages[i]
		l.Rates[s] = rate(a.counts[i], a.counts[i-1])
		p := percentiles(a.hours[i-1], 0.5, 0.9)
		l.MedianHours[s], l.P90Hours[s] = p[0], p[1]
	}
	for k, v := range a.won {
		l.WonAmount[k] = float64(v) / 1000
	}
	l.Rejected.Share = rate(a.rejected, a.counts[1])
	l.Recycled.Share = rate(a.recycled, a.counts[1])
	return l
}

// rate is n/d rounded to 4 places; nil over zero (JSON null, never NaN).
func rate(n, d int64) *float64 {
	if d == 0 {
		return nil
	}
	v := math.Round(float64(n)/float64(d)*10000) / 10000
	return &v
}

// addLead counts one whole lead into a line: what of it lies in the
// period (p), and what it counts once when once is set.
func (a *acc) addLead(f *store.ReportLead, p *inPeriod, once bool) {
	if p.inquiry {
		a.stage(0, 0)
	}
	for i, ok := range p.reached {
		if ok {
			a.stage(i+1, int32(math.Round(f.Hours[i]*10)))
		}
	}
	if p.reached[4] && f.WonCurrency != "" {
		a.addWon(f.WonCurrency, f.WonAmount)
	}
	if once {
		a.once(f.Rejected, rowMask(f))
	}
}

// rowMask is a row's stages and flags as a segment stores them.
func rowMask(f *store.ReportLead) byte {
	var m byte
	for i, t := range f.Reached {
		if t != nil {
			m |= 1 << i
		}
	}
	if f.Recycled {
		m |= store.MaskRecycled
	}
	if f.CameBack {
		m |= store.MaskCameBack
	}
	if f.Converted {
		m |= store.MaskConverted
	}
	return m
}

// Funnel answers GET /api/v1/reports/funnel. The period's segments are
// counted (see scan.go) with the filters and the grouping, in the
// organisation's time zone.
func (r *Reports) Funnel(ctx context.Context, q Query) (*Funnel, error) {
	if err := r.requestRefresh(ctx); err != nil {
		return nil, err
	}
	loc, err := r.Location(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkQuery(q); err != nil {
		return nil, err
	}
	total, groups := newAcc(), map[[2]string]*acc{}
	switch {
	case !q.To.After(q.From):
	case r.rowByRow:
		sel := newSelector(q, loc)
		err = r.eachRow(ctx, q, func(f *store.ReportLead, p *inPeriod) {
			if !sel.keep(f) {
				return
			}
			total.addLead(f, p, true)
			if len(q.GroupBy) == 0 {
				return
			}
			var key [2]string
			for i, g := range q.GroupBy {
				key[i] = dimension(f, g, loc)
			}
			a := groups[key]
			if a == nil {
				a = newAcc()
				groups[key] = a
			}
			a.addLead(f, p, true)
		})
	default:
		total, groups, err = r.funnelSegments(ctx, q, loc)
	}
	if err != nil {
		return nil, err
	}
	out := &Funnel{From: q.From, To: q.To, View: "cohort", GroupBy: q.GroupBy, Stages: Stages, Groups: []Line{}, Total: total.line()}
	if q.Flow {
		out.View = "flow"
	}
	if out.GroupBy == nil {
		out.GroupBy = []string{}
	}
	for key, a := range groups {
		l := a.line()
		l.Keys = map[string]string{}
		for i, g := range q.GroupBy {
			l.Keys[g] = key[i]
		}
		l.Key = strings.Join(key[:len(q.GroupBy)], " / ")
		out.Groups = append(out.Groups, l)
	}
	sort.Slice(out.Groups, func(i, j int) bool { return out.Groups[i].Key < out.Groups[j].Key })
	return out, nil
}
