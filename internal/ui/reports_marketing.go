package ui

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/ui/view"
	"github.com/pistahq/pista/internal/vocab"
)

// marketing fills conversion by source (report.Funnel grouped by source:
// inquiry → MQL → won) and by band and decile of the active definition
// (report.Bands), with the page's filters.
func (u *UI) marketing(ctx context.Context, rq *request, f reportFilters, p *view.Reports) error {
	q := f.query(f.from, f.to)
	q.GroupBy = []string{"source"}
	fun, err := u.rep.Funnel(ctx, q)
	if err != nil {
		return err
	}
	p.Sources.MidLabel = rq.P.Maybe("stage."+stage.MQL, stage.MQL)
	for _, g := range fun.Groups {
		in, mql, won := g.Counts[stage.Inquiry], g.Counts[stage.MQL], g.Counts[stage.Won]
		// The source's label in the user's language, not its code.
		p.Sources.Rows = append(p.Sources.Rows, convRow(rq, u.label(rq.P, "source.format", g.Key), in, mql, won, nil))
	}
	bq := f.query(f.from, f.to)
	if a := u.svc.Active(); a != nil {
		bq.DefinitionID = a.ID
	}
	b, err := u.rep.Bands(ctx, bq)
	if err != nil {
		return err
	}
	p.Bands.MidLabel = rq.P.Maybe("stage."+stage.SAL, stage.SAL)
	p.Deciles.MidLabel = p.Bands.MidLabel
	// Bands in the definition's order (best first), not alphabetical.
	order := map[string]int{}
	if a := u.svc.Active(); a != nil {
		for i, band := range a.Def.Bands {
			order[band.Name] = i + 1
		}
	}
	bands := slices.Clone(b.Bands)
	slices.SortStableFunc(bands, func(x, y report.BandLine) int { return cmp.Compare(rank(order, x.Name), rank(order, y.Name)) })
	for _, l := range bands {
		p.Bands.Rows = append(p.Bands.Rows, convRow(rq, u.label(rq.P, vocab.BandField, l.Name), l.Leads, l.Counts[stage.SAL], l.Counts[stage.Won], l.Lift[stage.Won]))
	}
	for _, l := range b.Deciles {
		p.Deciles.Rows = append(p.Deciles.Rows, convRow(rq, l.Name, l.Leads, l.Counts[stage.SAL], l.Counts[stage.Won], l.Lift[stage.Won]))
	}
	v := url.Values{"from": {f.From}, "to": {f.To}}
	if f.Team != "" {
		v.Set("team", f.Team)
	}
	if f.Source != "" {
		v.Set("source", f.Source)
	}
	p.BandsCSV = "/app/reports/bands.csv?" + v.Encode()
	return nil
}

// convRow is a group's line; the bar is the won rate on a 0–100 scale.
func convRow(rq *request, label string, leads, mid, won int64, lift *float64) view.ConvRow {
	r := view.ConvRow{Label: label, Leads: rq.P.Int(leads), Mid: rq.P.Int(mid), Won: rq.P.Int(won),
		MidRate: percent(rq, ratio(mid, leads)), WonRate: percent(rq, ratio(won, leads)), Lift: "—"}
	if lift != nil {
		r.Lift = rq.P.Number(*lift, 2) + "×"
	}
	if leads > 0 {
		r.Bar = int(float64(won) / float64(leads) * 100)
		if won > 0 {
			r.Bar = max(r.Bar, 1)
		}
	}
	return r
}

// reportsBandsCSV is the bands report's table as CSV.
func (u *UI) reportsBandsCSV(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := u.reportFiltersOf(r, rq)
	if err != nil {
		return err
	}
	q := f.query(f.from, f.to)
	if a := u.svc.Active(); a != nil {
		q.DefinitionID = a.ID
	}
	b, err := u.rep.Bands(r.Context(), q)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="bands.csv"`)
	return b.Table().WriteCSV(w)
}

// rank is a band's place in the definition, bands it no longer has last.
func rank(order map[string]int, name string) int {
	if i, ok := order[name]; ok {
		return i
	}
	return len(order) + 1
}
