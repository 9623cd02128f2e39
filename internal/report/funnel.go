package report

import (
	"context"
	"math"
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
}

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

	hours [5]histogram
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

func newLine() *Line {
	l := &Line{Counts: map[string]int64{}, WonAmount: map[string]float64{}, Rejected: Rejected{Reasons: map[string]int64{}}}
	for i := range l.hours {
		l.hours[i] = histogram{}
	}
	for _, s := range Stages {
		l.Counts[s] = 0
	}
	return l
}

// finish computes the rates and percentiles from the counts.
func (l *Line) finish() {
	l.Rates, l.MedianHours, l.P90Hours = map[string]*float64{}, map[string]*float64{}, map[string]*float64{}
	for i := 1; i < len(Stages); i++ {
		s := Stages[i]
		l.Rates[s] = rate(l.Counts[s], l.Counts[Stages[i-1]])
		l.MedianHours[s] = l.hours[i-1].percentile(0.5)
		l.P90Hours[s] = l.hours[i-1].percentile(0.9)
	}
	l.Rejected.Share = rate(l.Rejected.Count, l.Counts[Stages[1]])
	l.Recycled.Share = rate(l.Recycled.Count, l.Counts[Stages[1]])
}

// rate is n/d rounded to 4 places; nil over zero (JSON null, never NaN).
func rate(n, d int64) *float64 {
	if d == 0 {
		return nil
	}
	v := math.Round(float64(n)/float64(d)*10000) / 10000
	return &v
}

// addLead counts one lead into a line: what of it lies in the period.
func (l *Line) addLead(f *store.ReportLead, p *inPeriod) {
	if p.inquiry {
		l.Counts[Stages[0]]++
	}
	for i, ok := range p.reached {
		if ok {
			l.Counts[Stages[i+1]]++
			l.hours[i][f.Hours[i]]++
		}
	}
	if f.Rejected != "" {
		l.Rejected.Count++
		l.Rejected.Reasons[f.Rejected]++
	}
	if p.reached[4] && f.WonCurrency != "" {
		l.WonAmount[f.WonCurrency] += f.WonAmount
	}
	if f.Recycled {
		l.Recycled.Count++
	}
	if f.CameBack {
		l.Recycled.CameBack++
	}
	if f.Converted {
		l.Recycled.Converted++
	}
}

// Funnel answers GET /api/v1/reports/funnel. The rows of the period come
// packed per day (see each) and are counted here, with the filters and
// the grouping, in the organisation's time zone.
func (r *Reports) Funnel(ctx context.Context, q Query) (*Funnel, error) {
	if err := r.refresh(ctx, requestBatches); err != nil {
		return nil, err
	}
	loc, err := r.Location(ctx)
	if err != nil {
		return nil, err
	}
	total := newLine()
	groups := map[[2]string]*Line{}
	err = r.each(ctx, q, loc, func(f *store.ReportLead, p *inPeriod) {
		total.addLead(f, p)
		if len(q.GroupBy) == 0 {
			return
		}
		var key [2]string
		for i, g := range q.GroupBy {
			key[i] = dimension(f, g, loc)
		}
		l, ok := groups[key]
		if !ok {
			l = newLine()
			l.Keys = map[string]string{}
			for i, g := range q.GroupBy {
				l.Keys[g] = key[i]
			}
			l.Key = strings.Join(key[:len(q.GroupBy)], " / ")
			groups[key] = l
		}
		l.addLead(f, p)
	})
	if err != nil {
		return nil, err
	}
	out := &Funnel{From: q.From, To: q.To, View: "cohort", GroupBy: q.GroupBy, Stages: Stages, Groups: []Line{}}
	if q.Flow {
		out.View = "flow"
	}
	if out.GroupBy == nil {
		out.GroupBy = []string{}
	}
	total.finish()
	out.Total = *total
	for _, l := range groups {
		l.finish()
		out.Groups = append(out.Groups, *l)
	}
	sort.Slice(out.Groups, func(i, j int) bool { return out.Groups[i].Key < out.Groups[j].Key })
	return out, nil
}
