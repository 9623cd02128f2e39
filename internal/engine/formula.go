package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/definition"
)

// formula runs a rule's points formula and reads the values it names, for
// the explanation. A formula that fails for this lead (a missing attribute
// multiplied) gives 0 points and is reported in Errors.
func (ev *evaluation) formula(p *definition.Program) (float64, []Input) {
	inputs := ev.inputs(p)
	v, err := p.Float(ev.s.vm, &ev.s.env)
	if err != nil {
		ev.fail(err)
		return 0, inputs
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		ev.fail(fmt.Errorf("%s (line %d): the points formula gave %v", p.Rule, p.Line, v))
		return 0, inputs
	}
	return round2(v), inputs
}

// inputs reads the scalar fields a formula names (lists and whole objects
// are left out: they would not read well in an explanation).
func (ev *evaluation) inputs(p *definition.Program) []Input {
	var out []Input
	for _, in := range p.Inputs {
		v, err := in.Value(ev.s.vm, &ev.s.env)
		if err != nil {
			continue
		}
		switch x := v.(type) {
		case nil, string, bool, float64:
		case int:
			v = float64(x)
		case time.Time:
			v = x.Format(time.RFC3339)
		default:
			continue
		}
		out = append(out, Input{Name: in.Src, Value: v})
	}
	return out
}

// formulaNote is the explanation's note for formula points:
// "= person.attributes.visits * 2 with person.attributes.visits = 12".
func formulaNote(p *definition.Program, inputs []Input) string {
	note := "= " + p.Src
	if len(inputs) > 0 {
		note += " with " + inputsText(inputs)
	}
	return note
}

func inputsText(inputs []Input) string {
	parts := make([]string, len(inputs))
	for i, in := range inputs {
		parts[i] = in.Name + " = " + valueText(in.Value)
	}
	return strings.Join(parts, ", ")
}

func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return "none"
	case float64:
		return num(x)
	case string:
		return strconv.Quote(x)
	}
	return fmt.Sprint(v)
}

// counterValue reads a summary counter: a number, or text holding one
// ("12", "4,5"). Blank and missing are 0; other text is reported.
func (ev *evaluation) counterValue(p *definition.Program) (float64, bool) {
	v, err := p.Value(ev.s.vm, &ev.s.env)
	if err != nil {
		ev.fail(err)
		return 0, false
	}
	switch x := v.(type) {
	case nil:
		return 0, true
	case float64:
		return x, true
	case int:
		return float64(x), true
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return 0, true
		}
		f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f, true
		}
	}
	ev.fail(fmt.Errorf("%s (line %d): counter %s is %s, not a number", p.Rule, p.Line, p.Src, valueText(v)))
	return 0, false
}

// summary scores an engagement rule that reads the lead's own numbers (a
// CRM export's total visits) instead of events. A summary has no dates of
// its own, so it counts as of the lead's latest action (action.at: an
// import row's date, or when it was imported) and fades from there; a lead
// without a dated action counts it as fresh.
func (ev *evaluation) summary(r *definition.EngagementRule) float64 {
	var pts float64
	var inputs []Input
	var note string
	if r.Counter != nil {
		n, ok := ev.counterValue(r.Counter)
		if !ok || n == 0 {
			return 0
		}
		pts = n * r.Points
		inputs = []Input{{Name: r.Counter.Src, Value: n}}
		note = fmt.Sprintf("%s = %s × %s points", r.Counter.Src, num(n), num(r.Points))
	} else {
		pts, inputs = ev.formula(r.Formula)
		note = formulaNote(r.Formula, inputs)
	}
	if pts == 0 {
		return 0
	}
	if at := ev.s.env.Action.At; !at.IsZero() {
		age := ev.now.Sub(at)
		if r.Within > 0 && age > r.Within {
			return 0
		}
		note += ", counted at " + at.In(ev.def.Location).Format(time.DateOnly)
		if r.HalfLife > 0 && age > 0 {
			f := decayFactor(float64(age) / float64(r.HalfLife))
			pts *= f
			note += fmt.Sprintf(", faded to %s%%", num(f*100))
		}
	}
	if r.Max > 0 && pts > r.Max {
		pts = r.Max
		note += ", capped"
	}
	pts = round2(pts)
	ev.step(Step{Kind: "engagement", Rule: r.Name, Line: r.Line, Points: pts, Note: note, Inputs: inputs})
	return pts
}
