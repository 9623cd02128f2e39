package view

import (
	"strconv"

	"github.com/pistahq/pista/internal/lab"
)

// Lab is the Lab page: import outcomes, backtest the active definition
// (optionally against another stored version) on the database's leads,
// and what the last act found.
type Lab struct {
	Base
	// The backtest form, as sent (or its defaults).
	From, To, Outcome, Against string
	Versions                   []Option // stored versions to compare with
	Stages                     []string // the waterfall's outcomes
	// The outcome import form, as sent.
	By, KeyColumn, OutcomeColumn, Positive string
	Imported                               *lab.OutcomeStats
	Report                                 *lab.BacktestReport
	Chart                                  *LiftChart
	AgainstChart                           *LiftChart
}

// LiftChart is a decile lift bar chart drawn as SVG on the server: the
// coordinates are computed here so the template only places them.
type LiftChart struct {
	Width, Height int
	// BaseY is the y of lift 1 (no better than random); Axis the x axis.
	BaseY, AxisY, Left, Right float64
	Bars                      []LiftBar
	Title                     string
}

// LiftBar is one decile's bar with its label and value.
type LiftBar struct {
	X, Y, W, H   float64
	Label, Value string // decile number and lift, in the page's language
	LabelY       float64
	ValueY       float64
	CenterX      float64
}

// NewLiftChart lays out the deciles' lift as bars, scaled to the highest
// lift (at least 2, so a flat ranking looks flat). num formats a lift in
// the page's language.
func NewLiftChart(title string, deciles []lab.Decile, num func(float64) string) *LiftChart {
	const w, h, left, right, top, bottom = 360, 240, 24.0, 6.0, 20.0, 28.0
	c := &LiftChart{Width: w, Height: h, Left: left, Right: w - right, AxisY: h - bottom, Title: title}
	top2 := 2.0
	for _, d := range deciles {
		if d.Lift > top2 {
			top2 = d.Lift
		}
	}
	plot := c.AxisY - top
	y := func(v float64) float64 { return c.AxisY - plot*v/top2 }
	c.BaseY = y(1)
	n := len(deciles)
	if n == 0 {
		return c
	}
	step := (c.Right - left) / float64(n)
	for i, d := range deciles {
		b := LiftBar{X: left + float64(i)*step + step*0.15, W: step * 0.7, Y: y(d.Lift), Label: strconv.Itoa(d.Decile), Value: num(d.Lift)}
		b.H = c.AxisY - b.Y
		b.CenterX = b.X + b.W/2
		b.LabelY = c.AxisY + 16
		b.ValueY = b.Y - 4
		c.Bars = append(c.Bars, b)
	}
	return c
}

// Pct formats a share (0.123) as a percentage in the page's language.
func (b *Base) Pct(v float64) string { return b.P.T("lab.percent", b.P.Number(v*100, 1)) }
