package report

import (
	"context"
	"math"
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

func bandLine(b store.BandRow) BandLine {
	l := BandLine{Name: b.Name, Leads: b.Leads, Counts: map[string]int64{}, Rates: map[string]*float64{}, Lift: map[string]*float64{}}
	for i, s := range store.ReportStages {
		l.Counts[s] = b.Reached[i]
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

// Bands answers GET /api/v1/reports/bands over the leads evaluated by
// definition (0: any).
func (r *Reports) Bands(ctx context.Context, q Query) (*Bands, error) {
	if err := r.refresh(ctx, requestBatches); err != nil {
		return nil, err
	}
	sq := q.store()
	sq.Flow, sq.GroupBy = false, nil
	bands, err := r.db.BandCounts(ctx, sq)
	if err != nil {
		return nil, err
	}
	deciles, err := r.db.DecileCounts(ctx, sq)
	if err != nil {
		return nil, err
	}
	var sum store.BandRow
	for _, b := range bands {
		sum.Leads += b.Leads
		for i := range sum.Reached {
			sum.Reached[i] += b.Reached[i]
		}
	}
	sum.Name = "total"
	out := &Bands{From: q.From, To: q.To, DefinitionID: q.DefinitionID, Stages: append([]string{"lead"}, bandStages...),
		Total: bandLine(sum), Bands: []BandLine{}, Deciles: []BandLine{}}
	for _, b := range bands {
		l := bandLine(b)
		l.lift(out.Total)
		out.Bands = append(out.Bands, l)
	}
	for _, b := range deciles {
		l := bandLine(b)
		l.lift(out.Total)
		out.Deciles = append(out.Deciles, l)
	}
	return out, nil
}
