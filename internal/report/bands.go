package report

import (
	"context"
	"math"
	"sort"
	"strconv"
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

func (b *bandCount) add(row *store.ReportLead) {
	b.leads++
	for i, t := range row.Reached {
		if t != nil {
			b.reached[i]++
		}
	}
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
	id      int64
	score   float64
	reached [5]bool
}

// deciles splits leads ranked by score (highest first, then by lead ID)
// into ten groups as equal as possible, the first ones one larger when
// the leads do not divide by ten (SQL's ntile(10)); fewer than ten leads
// make as many groups of one.
func deciles(leads []scored) []bandCount {
	sort.Slice(leads, func(i, j int) bool {
		if leads[i].score != leads[j].score {
			return leads[i].score > leads[j].score
		}
		return leads[i].id < leads[j].id
	})
	n := len(leads)
	var out []bandCount
	at := 0
	for d := range min(10, n) {
		size := n / 10
		if d < n%10 {
			size++
		}
		b := bandCount{name: strconv.Itoa(d + 1)}
		for _, l := range leads[at : at+size] {
			b.leads++
			for i, ok := range l.reached {
				if ok {
					b.reached[i]++
				}
			}
		}
		at += size
		out = append(out, b)
	}
	return out
}

// Bands answers GET /api/v1/reports/bands over the cohort's leads
// evaluated by definition (0: any), by band and by score decile.
func (r *Reports) Bands(ctx context.Context, q Query) (*Bands, error) {
	if err := r.refresh(ctx, requestBatches); err != nil {
		return nil, err
	}
	loc, err := r.Location(ctx)
	if err != nil {
		return nil, err
	}
	q.Flow, q.GroupBy = false, nil
	byBand := map[string]*bandCount{}
	sum := bandCount{name: "total"}
	var ranked []scored
	err = r.each(ctx, q, loc, func(row *store.ReportLead, _ *inPeriod) {
		b := byBand[row.Band]
		if b == nil {
			b = &bandCount{name: row.Band}
			byBand[row.Band] = b
		}
		b.add(row)
		sum.add(row)
		s := scored{id: row.LeadID, score: row.Score}
		for i, t := range row.Reached {
			s.reached[i] = t != nil
		}
		ranked = append(ranked, s)
	})
	if err != nil {
		return nil, err
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
	for _, b := range deciles(ranked) {
		l := bandLine(b)
		l.lift(out.Total)
		out.Deciles = append(out.Deciles, l)
	}
	return out, nil
}
