package ui

import (
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/ui/view"
)

// Funnel chart geometry, in SVG user units.
const (
	funnelWidth  = 640
	funnelLabelW = 130 // stage names on the left
	funnelBarMax = 400 // the widest bar
	funnelBarH   = 34
	funnelGap    = 26 // room for the rate between two bars
)

// funnelChart lays out the waterfall as centred bars, widths in
// proportion to the first stage's count, so the template only writes
// numbers into attributes and text (html/template escapes all of it).
func funnelChart(rq *request, l report.Line) view.Funnel {
	var top int64
	for _, s := range report.Stages {
		top = max(top, l.Counts[s])
	}
	centre := funnelLabelW + funnelBarMax/2
	out := view.Funnel{Width: funnelWidth, Centre: centre, Height: len(report.Stages)*(funnelBarH+funnelGap) - funnelGap}
	for i, s := range report.Stages {
		n := l.Counts[s]
		w := 0
		if top > 0 {
			w = int(float64(n) / float64(top) * funnelBarMax)
		}
		if n > 0 {
			w = max(w, 2)
		}
		y := i * (funnelBarH + funnelGap)
		b := view.FunnelBar{Stage: s, Label: rq.P.Maybe("stage."+s, s), Count: n, CountText: rq.P.Int(n),
			X: centre - w/2, Y: y, W: w, H: funnelBarH, LabelY: y + funnelBarH/2 + 5, CountX: centre + w/2 + 8, RateY: y - funnelGap/2 + 5}
		if i > 0 {
			b.Rate = percent(rq, l.Rates[s])
		}
		out.Bars = append(out.Bars, b)
	}
	return out
}
