// Package engine applies a compiled lead definition to one lead. It is pure:
// the same definition, lead, events, qualification and time always give the
// same Result, and it does no I/O, so the server, the importer, the command
// line and the definition lab all decide exactly alike.
package engine

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/quality"
)

// Evaluator evaluates leads against one definition. It keeps reusable
// scratch space so that evaluating a lead allocates little; it is safe for
// concurrent use.
type Evaluator struct {
	def  *definition.Definition
	pool sync.Pool
	// steps sizes the explanation so it is allocated once: every rule
	// may fire, plus a step per decision.
	steps int
}

// New returns an Evaluator for def.
func New(def *definition.Definition) *Evaluator {
	e := &Evaluator{def: def, steps: min(def.RuleCount()+10, 32)}
	e.pool.New = func() any { return newScratch(def) }
	return e
}

// Definition returns the definition the evaluator applies.
func (e *Evaluator) Definition() *definition.Definition { return e.def }

// Evaluate applies def to a lead. It is New(def).Evaluate; keep an
// Evaluator when evaluating many leads.
func Evaluate(def *definition.Definition, l *lead.Lead, events []lead.Event, q *lead.Qualification, now time.Time) Result {
	return New(def).Evaluate(l, events, q, now)
}

// scratch is per-evaluation working memory, pooled.
type scratch struct {
	vm      *vm.VM
	env     definition.Env
	person  lead.Person
	company lead.Company
	facts   quality.Facts
	bant    definition.BANT
	band    definition.Band
	signals map[string]bool
	// per signal: matching events, and period keys for per-period signals
	sigCount   []int
	sigBuckets [][]int64
	engSum     []float64
	engCount   []int
	groups     []string
	zone       zoneCache
	// Per-event memo: filter results and decay factors are worked out once
	// per event; an entry is valid when its generation equals gen.
	gen      uint32
	matchGen []uint32
	matchOK  []bool
	decayGen []uint32
	decay    []float64
	propGen  []uint32
	propVal  []any
}

func newScratch(def *definition.Definition) any {
	return &scratch{
		vm:         definition.NewVM(),
		signals:    make(map[string]bool, len(def.Signals)),
		sigCount:   make([]int, len(def.Signals)),
		sigBuckets: make([][]int64, len(def.Signals)),
		engSum:     make([]float64, len(def.Engagement.Rules)),
		engCount:   make([]int, len(def.Engagement.Rules)),
		zone:       zoneCache{loc: def.Location},
		matchGen:   make([]uint32, def.Matches),
		matchOK:    make([]bool, def.Matches),
		decayGen:   make([]uint32, len(def.HalfLives)),
		decay:      make([]float64, len(def.HalfLives)),
		propGen:    make([]uint32, len(def.PropKeys)),
		propVal:    make([]any, len(def.PropKeys)),
	}
}

var noAction lead.Action

// Evaluate applies the definition to one lead at time now.
func (e *Evaluator) Evaluate(l *lead.Lead, events []lead.Event, q *lead.Qualification, now time.Time) Result {
	return e.evaluate(l, events, q, now, true)
}

// Quality applies the definition to one lead only as far as its quality
// verdict: the vocabularies, the inquiry and the quality rules. Its
// Quality and Anonymous are those Evaluate gives; there is no score,
// band, stage or route. Intake judges a known person's inquiry on its own
// by it, before merging it into their lead, which is evaluated whole.
func (e *Evaluator) Quality(l *lead.Lead, events []lead.Event, now time.Time) Result {
	return e.evaluate(l, events, nil, now, false)
}

func (e *Evaluator) evaluate(l *lead.Lead, events []lead.Event, q *lead.Qualification, now time.Time, whole bool) Result {
	s := e.pool.Get().(*scratch)
	defer e.pool.Put(s)
	ev := evaluation{def: e.def, s: s, now: now}
	ev.res = Result{
		LeadID:      l.ID,
		Definition:  DefinitionRef{Name: e.def.Name, Version: e.def.Version, Hash: e.def.Hash},
		EvaluatedAt: now,
		Explanation: make([]Step, 0, e.steps),
	}
	ev.judge(l, events)
	if whole {
		ev.score(q)
	}
	return ev.res
}

type evaluation struct {
	def *definition.Definition
	s   *scratch
	now time.Time
	res Result
}

func (ev *evaluation) step(st Step) { ev.res.Explanation = append(ev.res.Explanation, st) }

func (ev *evaluation) fail(err error) { ev.res.Errors = append(ev.res.Errors, err.Error()) }

// cond runs an optional condition; a runtime error counts as false.
func (ev *evaluation) cond(p *definition.Program) bool {
	if p == nil {
		return false
	}
	ok, err := p.Bool(ev.s.vm, &ev.s.env)
	if err != nil {
		ev.fail(err)
		return false
	}
	return ok
}

// judge reads the lead and its events and gives the quality verdict.
func (ev *evaluation) judge(l *lead.Lead, events []lead.Event) {
	d, s := ev.def, ev.s
	s.person, s.company = l.Person, l.Company
	s.person.Income.Base = ev.toBase(s.person.Income, "person.income")
	s.company.Revenue.Base = ev.toBase(s.company.Revenue, "company.revenue")
	s.facts = quality.Compute(&s.person, &s.company, d.Facts)
	env := &s.env
	*env = definition.Env{
		ID: l.ID, Person: &s.person, Company: &s.company, Source: &l.Source,
		Action: &noAction, Actions: l.Actions, Events: past(events, ev.now), Facts: &s.facts,
		Signals: s.signals, Now: ev.now, BANT: &s.bant, Band: &s.band, Country: s.company.Country,
	}
	if env.Country == "" {
		env.Country = s.person.Country
	}
	if n := len(l.Actions); n > 0 {
		env.Action = &l.Actions[n-1]
	}

	ev.vocabulary(l)
	ev.events(events)
	ev.inquiry(l)
	if anonymous(l) {
		ev.anonymous(l)
	} else {
		ev.quality()
	}
}

// score scores the lead judged and decides its band, stage and route.
func (ev *evaluation) score(q *lead.Qualification) {
	res := &ev.res
	ev.bantScore(q)
	ev.fit()
	ev.engagement()
	ev.leadGate()
	ev.total()
	ev.bandChoice()
	ev.stage()
	// A nurtured lead gets its team too: it comes back to that team when
	// its re-contact is due.
	if res.Action == definition.ActionRoute || res.Action == definition.ActionNurture {
		ev.route()
	}
	if res.Action == definition.ActionRoute {
		ev.sla()
	}
}

// toBase converts an amount of the lead to the definition's currency. An
// amount in a currency without an exchange rate counts as 0 and is
// reported, so that the definition's owner can add the rate.
func (ev *evaluation) toBase(m lead.Money, field string) float64 {
	if m.Currency == "" || m.Currency == ev.def.Currency {
		return m.Amount
	}
	if r, ok := ev.def.Rates[m.Currency]; ok {
		return m.Amount * r
	}
	ev.fail(fmt.Errorf("%s: no exchange rate for %s in the definition; counted as 0", field, m.Currency))
	return 0
}

// past returns the events that happened by now, which is all rules may see;
// it copies only when some event lies in the future.
func past(events []lead.Event, now time.Time) []lead.Event {
	for i := range events {
		if events[i].At.After(now) {
			out := make([]lead.Event, 0, len(events))
			for _, e := range events {
				if !e.At.After(now) {
					out = append(out, e)
				}
			}
			return out
		}
	}
	return events
}

func (ev *evaluation) inquiry(l *lead.Lead) {
	d := ev.def
	for i := range l.Actions {
		if d.Inquiry.Actions[l.Actions[i].Type] {
			ev.res.Inquiry = true
			ev.step(Step{Kind: "inquiry", Rule: l.Actions[i].Type, Value: "true"})
			break
		}
	}
	if !ev.res.Inquiry && d.Inquiry.When != nil && ev.cond(d.Inquiry.When) {
		ev.res.Inquiry = true
		ev.step(Step{Kind: "inquiry", Rule: "when", Line: d.Inquiry.When.Line, Value: "true"})
	}
	ev.s.env.Inquiry = ev.res.Inquiry
}

func (ev *evaluation) quality() {
	verdict := definition.VerdictOK
	for i := range ev.def.Quality {
		r := &ev.def.Quality[i]
		if ev.cond(r.When) {
			ev.step(Step{Kind: "quality", Rule: r.Name, Line: r.Line, Value: r.Verdict, Note: r.Reason})
			if definition.Severity(r.Verdict) > definition.Severity(verdict) {
				verdict = r.Verdict
			}
		}
	}
	ev.res.Quality = verdict
	ev.s.env.Quality = verdict
}

// anonymous reports whether nothing in a lead reaches or names a person
// (no e-mail, phone or name) while an external id identifies it: a row of
// an anonymised list, a CRM record without contact data.
func anonymous(l *lead.Lead) bool {
	p := &l.Person
	return p.Email == "" && p.Phone == "" && p.FirstName == "" && p.LastName == "" && l.Source.ExternalID != ""
}

// anonymous takes the place of the quality rules for an anonymous lead:
// they judge contact data, and a lead that never had any is not junk for
// lacking it.
func (ev *evaluation) anonymous(l *lead.Lead) {
	ev.res.Quality, ev.s.env.Quality, ev.res.Anonymous = definition.VerdictOK, definition.VerdictOK, true
	ev.step(Step{Kind: "quality", Rule: "anonymous", Value: definition.VerdictOK,
		Note: fmt.Sprintf("no e-mail, phone or name: an anonymous lead known by its external id %q; the quality rules, which judge contact data, do not apply", l.Source.ExternalID)})
}

func (ev *evaluation) fit() {
	s := ev.s
	s.groups = s.groups[:0]
	var fit float64
rules:
	for i := range ev.def.Fit {
		r := &ev.def.Fit[i]
		if r.Group != "" {
			for _, g := range s.groups {
				if g == r.Group {
					continue rules
				}
			}
		}
		if r.Table != nil {
			if r.When != nil && !ev.cond(r.When) {
				continue
			}
			hit := ev.table(r.Table)
			fit += hit.Points
			ev.step(Step{Kind: "fit", Rule: r.Name, Line: r.Line, Points: hit.Points, Value: hit.Value, Note: hit.Note})
		} else if r.Formula != nil && (r.When == nil || ev.cond(r.When)) {
			pts, inputs := ev.formula(r.Formula)
			fit += pts
			ev.step(Step{Kind: "fit", Rule: r.Name, Line: r.Line, Points: pts, Note: formulaNote(r.Formula, inputs), Inputs: inputs})
		} else if r.Formula == nil && ev.cond(r.When) {
			fit += r.Points
			ev.step(Step{Kind: "fit", Rule: r.Name, Line: r.Line, Points: r.Points})
		} else {
			continue
		}
		if r.Group != "" {
			s.groups = append(s.groups, r.Group)
		}
	}
	ev.res.Fit = round2(fit)
	s.env.Fit = ev.res.Fit
	for _, g := range ev.def.Grades {
		if g.Any || fit >= g.From {
			ev.res.Grade = g.Name
			ev.step(Step{Kind: "grade", Value: g.Name})
			break
		}
	}
	s.env.Grade = ev.res.Grade
}

// table reads a table rule's field and looks its points up; a field that
// cannot be read counts as missing and is reported.
func (ev *evaluation) table(t *definition.Table) definition.TableHit {
	if t.Field == nil {
		return t.Lookup(nil)
	}
	v, err := t.Field.Value(ev.s.vm, &ev.s.env)
	if err != nil {
		ev.fail(err)
		v = nil
	}
	return t.Lookup(v)
}

func (ev *evaluation) leadGate() {
	g, env := &ev.def.Lead, &ev.s.env
	part := func(p *definition.Program, name string) bool {
		if p == nil {
			return false
		}
		v := ev.cond(p)
		ev.step(Step{Kind: "lead", Rule: name, Line: p.Line, Value: boolText(v)})
		return v
	}
	env.Format = part(g.Format, "format")
	env.Characteristics = part(g.Characteristics, "characteristics")
	env.Behaviour = part(g.Behaviour, "behaviour")
	var ok bool
	if g.When != nil {
		ok = ev.cond(g.When)
		ev.step(Step{Kind: "lead", Rule: "when", Line: g.When.Line, Value: boolText(ok)})
	} else {
		ok = (g.Format == nil || env.Format) && (g.Characteristics == nil || env.Characteristics) &&
			(g.Behaviour == nil || env.Behaviour)
	}
	ok = ok && ev.res.Inquiry
	ev.res.Lead, env.Lead = ok, ok
}

func (ev *evaluation) total() {
	res := &ev.res
	if p := ev.def.Total; p != nil {
		v, err := p.Float(ev.s.vm, &ev.s.env)
		if err != nil {
			ev.fail(err)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		res.Total = round2(v)
		ev.step(Step{Kind: "total", Rule: "score.total", Line: p.Line, Points: res.Total})
	} else {
		res.Total = round2(res.Fit + res.Engagement)
	}
	ev.s.env.Total = res.Total
}

func (ev *evaluation) bandChoice() {
	res := &ev.res
	for i := range ev.def.Bands {
		b := &ev.def.Bands[i]
		if b.HasFrom && res.Total < b.From {
			continue
		}
		if b.When != nil && !ev.cond(b.When) {
			continue
		}
		res.Band, res.Action = b.Name, b.Action
		ev.s.band = definition.Band{Name: b.Name, Action: b.Action}
		ev.step(Step{Kind: "band", Rule: b.Name, Line: b.Line, Value: b.Action})
		if b.Action == definition.ActionNurture {
			at := ev.now.Add(b.Recontact)
			res.RecontactAt = &at
		}
		return
	}
}

// stage applies the waterfall's automatic gates in order of precedence:
// not an inquiry, bad quality, SQL, disqualifying band, MQL, nurture.
func (ev *evaluation) stage() {
	res, d := &ev.res, ev.def
	band := ev.s.band.Action
	set := func(stage, action, rule string, line int) {
		res.Stage, res.Action = stage, action
		if action != definition.ActionNurture {
			res.RecontactAt = nil
		}
		ev.step(Step{Kind: "stage", Rule: rule, Line: line, Value: stage})
	}
	switch {
	case !res.Inquiry:
		set(StageNone, ActionNone, "not an inquiry", 0)
	case definition.Severity(res.Quality) >= definition.Severity(definition.VerdictJunk):
		set(StageDisqualified, definition.ActionDisqualify, "quality", 0)
	// A person's qualification outranks the automatic score bands.
	case res.BANT.Human && res.BANT.Qualified && (d.Stages.SQL == nil || ev.cond(d.Stages.SQL)):
		set(StageSQL, definition.ActionRoute, "stages.sql", lineOf(d.Stages.SQL))
	case band == definition.ActionDisqualify:
		set(StageDisqualified, definition.ActionDisqualify, "band", 0)
	case d.Stages.MQL == nil && res.Lead:
		set(StageMQL, definition.ActionRoute, "lead", d.Lead.Line)
	case d.Stages.MQL != nil && ev.cond(d.Stages.MQL):
		set(StageMQL, definition.ActionRoute, "stages.mql", d.Stages.MQL.Line)
	case band == definition.ActionNurture:
		set(StageNurture, definition.ActionNurture, "band", 0)
	default:
		set(StageInquiry, band, "", 0)
	}
	ev.s.env.Stage = res.Stage
}

func lineOf(p *definition.Program) int {
	if p == nil {
		return 0
	}
	return p.Line
}

func (ev *evaluation) route() {
	rt := &ev.def.Routing
	for i := range rt.Rules {
		r := &rt.Rules[i]
		if ev.cond(r.When) {
			ev.res.Team, ev.s.env.Team = r.Team, r.Team
			ev.step(Step{Kind: "routing", Rule: r.Name, Line: r.Line, Value: r.Team})
			return
		}
	}
	if rt.Default != "" {
		ev.res.Team, ev.s.env.Team = rt.Default, rt.Default
		ev.step(Step{Kind: "routing", Rule: "default", Value: rt.Default})
	}
}

func (ev *evaluation) sla() {
	d := ev.def
	for i := range d.SLA {
		p := &d.SLA[i]
		if p.When != nil && !ev.cond(p.When) {
			continue
		}
		cal := d.CalendarFor(ev.res.Team, p)
		due := p.FirstTouch.After(cal, ev.now)
		r := &SLAResult{Policy: p.Name, FirstTouch: p.FirstTouch.Text, Due: due}
		if cal != nil {
			r.Calendar = cal.String()
		}
		if p.EscalateAfter != nil {
			at := p.EscalateAfter.After(cal, due)
			r.EscalateAt = &at
		}
		ev.res.SLA = r
		ev.step(Step{Kind: "sla", Rule: p.Name, Line: p.Line, Value: p.FirstTouch.Text})
		return
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
