package definition

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/quality"
)

func (c *compiler) bant() {
	b := &c.def.BANT
	*b = BANTScale{Budget: defaultBANTWeight, Authority: defaultBANTWeight, Need: defaultBANTWeight, Timing: defaultBANTWeight,
		Threshold: defaultBANTThresold, BudgetPartial: 0.5, AuthorityScale: defaultAuthority, NeedScale: defaultNeed,
		TimingWithin: 6, TimingImmediate: 1}
	r := c.raw.BANT
	if r == nil {
		return
	}
	b.Line = r.line
	const rule = "bant"
	for k, w := range r.Weights {
		switch k {
		case "budget":
			b.Budget = w
		case "authority":
			b.Authority = w
		case "need":
			b.Need = w
		case "timing":
			b.Timing = w
		default:
			c.p.add(r.line, rule, "weights: unknown criterion %q (use budget, authority, need, timing)%s", k, didYouMean(k, bantParts))
		}
		if w < 0 {
			c.p.add(r.line, rule, "weights: %s must not be negative", k)
		}
	}
	if b.MaxScore() <= 0 {
		c.p.add(r.line, rule, "weights: at least one criterion must weigh more than 0")
	}
	if r.Threshold != nil {
		b.Threshold = *r.Threshold
	}
	if b.Threshold <= 0 || b.Threshold > b.MaxScore() {
		c.p.add(r.line, rule, "threshold %v must be above 0 and at most the sum of the weights (%v)", b.Threshold, b.MaxScore())
	}
	if r.Budget != nil {
		if r.Budget.Minimum != "" {
			m, err := lead.ParseMoney(r.Budget.Minimum)
			if err != nil {
				c.p.add(r.line, rule, "budget.minimum: %v", err)
			} else if v, ok := toBase(m, c.def.Rates, c.def.Currency); !ok {
				c.p.add(r.line, rule, "budget.minimum: no exchange rate for %s in exchange_rates", m.Currency)
			} else {
				b.BudgetMinimum, b.BudgetMinimumText = v, r.Budget.Minimum
			}
		}
		if r.Budget.Partial != nil {
			b.BudgetPartial = fraction(c, r.line, "budget.partial", *r.Budget.Partial)
		}
	}
	b.AuthorityScale = c.scale(r.Authority, defaultAuthority, authorityAnswers, r.line, "authority")
	b.NeedScale = c.scale(r.Need, defaultNeed, needAnswers, r.line, "need")
	if t := r.Timing; t != nil {
		months := func(key, text string, def float64) float64 {
			if text == "" {
				return def
			}
			m, err := parseMonths(text)
			if err != nil {
				c.p.add(r.line, rule, "timing.%s: %v", key, err)
			}
			return m
		}
		b.TimingWithin = months("within", t.Within, b.TimingWithin)
		b.TimingLeadTime = months("lead_time", t.LeadTime, 0)
		b.TimingPartialWithin = months("partial_within", t.PartialWithin, 0)
		b.TimingImmediate = months("immediate", t.Immediate, b.TimingImmediate)
		if t.Partial != nil {
			b.TimingPartial = fraction(c, r.line, "timing.partial", *t.Partial)
		} else if b.TimingPartialWithin > 0 {
			b.TimingPartial = 0.5
		}
		if b.TimingPartialWithin > 0 && b.TimingPartialWithin <= b.TimingWithin {
			c.p.add(r.line, rule, "timing.partial_within must be longer than timing.within")
		}
		if b.TimingLeadTime >= b.TimingWithin {
			c.p.add(r.line, rule, "timing.lead_time (what you need to deliver) must be shorter than timing.within")
		}
	}
}

func fraction(c *compiler, line int, key string, v float64) float64 {
	if v < 0 || v > 1 {
		c.p.add(line, "bant", "%s: %v must be between 0 and 1 (the share of the weight it earns)", key, v)
	}
	return v
}

func (c *compiler) scale(given, def map[string]float64, answers []string, line int, key string) map[string]float64 {
	if len(given) == 0 {
		return def
	}
	out := map[string]float64{}
	for k, v := range def {
		out[k] = v
	}
	for k, v := range given {
		if !slices.Contains(answers, k) {
			c.p.add(line, "bant", "%s: unknown answer %q (use %s)%s", key, k, strings.Join(answers, ", "), didYouMean(k, answers))
		}
		out[k] = fraction(c, line, key+"."+k, v)
	}
	return out
}

func (c *compiler) leadGate() {
	r := c.raw.Lead
	if r == nil {
		c.p.add(0, "lead", "the lead section is required: it says which combination of format, characteristics and behaviour makes an inquiry a lead (seed 002)")
		return
	}
	g := &c.def.Lead
	g.Line = r.line
	part := func(s src, name string) *Program {
		if s.Text == "" {
			return nil
		}
		return c.ex.compile(s, kindLeadPart, reflect.Bool, "lead."+name)
	}
	g.Format = part(r.Format, "format")
	g.Characteristics = part(r.Characteristics, "characteristics")
	g.Behaviour = part(r.Behaviour, "behaviour")
	if r.When.Text != "" {
		g.When = c.ex.compile(r.When, kindLeadWhen, reflect.Bool, "lead.when")
		for _, p := range []struct {
			name string
			prog *Program
		}{{"format", g.Format}, {"characteristics", g.Characteristics}, {"behaviour", g.Behaviour}} {
			if p.prog == nil && g.When.Uses(p.name) {
				c.p.add(r.When.Line, "lead.when", "it uses %s but lead.%s is not defined", p.name, p.name)
			}
		}
	} else if r.Format.Text == "" && r.Characteristics.Text == "" && r.Behaviour.Text == "" {
		c.p.add(r.line, "lead", "give at least one of format, characteristics, behaviour or when")
	}
}

func (c *compiler) score() {
	if c.raw.Score != nil && c.raw.Score.Total.Text != "" {
		c.def.Total = c.ex.compile(c.raw.Score.Total, kindTotal, reflect.Float64, "score.total")
	}
}

var actions = []string{ActionRoute, ActionNurture, ActionDisqualify}

func (c *compiler) bands() {
	if len(c.raw.Bands) == 0 {
		c.p.add(0, "bands", "bands are required: score ranges, each with a course of action (seed 000); the last one catches the rest")
		return
	}
	var lastFrom *float64
	for i, r := range c.raw.Bands {
		rule := c.name("band", r.Name, r.line)
		b := BandRule{Name: r.Name, Line: r.line, Action: r.Action}
		if r.From != nil {
			b.From, b.HasFrom = *r.From, true
			if lastFrom != nil && *r.From >= *lastFrom && r.When.Text == "" {
				c.p.add(r.line, rule, "bands go from the highest score down: from %v is not below %v, so this band could never apply", *r.From, *lastFrom)
			}
			lastFrom = r.From
		}
		if r.When.Text != "" {
			b.When = c.ex.compile(r.When, kindBand, reflect.Bool, rule)
		}
		catchAll := r.From == nil && r.When.Text == ""
		if catchAll && i != len(c.raw.Bands)-1 {
			c.p.add(r.line, rule, "a band without from or when catches every lead, so it must be the last")
		}
		if !catchAll && i == len(c.raw.Bands)-1 {
			c.p.add(r.line, rule, "the last band must catch the rest (leave out from and when) so every lead gets an action")
		}
		if !slices.Contains(actions, r.Action) {
			c.p.add(r.line, rule, "action %q: use route, nurture or disqualify%s", r.Action, didYouMean(r.Action, actions))
		}
		switch {
		case r.Action == ActionNurture && r.Recontact == "":
			c.p.add(r.line, rule, "recontact is required with nurture: when to try again, e.g. 3w")
		case r.Action != ActionNurture && r.Recontact != "":
			c.p.add(r.line, rule, "recontact only applies to nurture bands")
		}
		b.Recontact = c.duration(r.Recontact, r.line, rule, "recontact")
		c.def.Bands = append(c.def.Bands, b)
	}
}

func (c *compiler) stages() {
	if c.raw.Stages == nil {
		return
	}
	if s := c.raw.Stages.MQL; s.Text != "" {
		c.def.Stages.MQL = c.ex.compile(s, kindStage, reflect.Bool, "stages.mql")
	}
	if s := c.raw.Stages.SQL; s.Text != "" {
		c.def.Stages.SQL = c.ex.compile(s, kindStage, reflect.Bool, "stages.sql")
	}
}

func (c *compiler) routing() {
	r := c.raw.Routing
	rt := &c.def.Routing
	rt.Teams = map[string]Team{}
	if r == nil {
		return
	}
	for name, t := range r.Teams {
		if !identRe.MatchString(name) {
			c.p.add(r.line, fmt.Sprintf("team %q", name), "names are lower case letters, digits and _ (like north_america)")
		}
		if t.Calendar != "" {
			c.calendarRef(t.Calendar, r.line, fmt.Sprintf("team %q", name))
		}
		rt.Teams[name] = Team{Label: t.Label, Calendar: t.Calendar}
	}
	rt.Default = r.Default
	if r.Default == "" {
		c.p.add(r.line, "routing", "default is required: the team that gets leads no rule claims")
	} else {
		c.teamRef(r.Default, r.line, "routing")
	}
	for _, rr := range r.Rules {
		rule := c.name("routing rule", rr.Name, rr.line)
		if rr.Team == "" {
			c.p.add(rr.line, rule, "team is required")
		} else {
			c.teamRef(rr.Team, rr.line, rule)
		}
		rt.Rules = append(rt.Rules, RouteRule{Name: rr.Name, Line: rr.line, Team: rr.Team,
			When: c.required(rr.When, rr.line, kindRoute, reflect.Bool, rule)})
	}
}

func (c *compiler) teamRef(team string, line int, rule string) {
	teams := c.def.Routing.Teams
	if len(teams) == 0 {
		if !identRe.MatchString(team) {
			c.p.add(line, rule, "team %q: names are lower case letters, digits and _", team)
		}
		return
	}
	if _, ok := teams[team]; !ok {
		c.p.add(line, rule, "team %q is not in routing.teams%s", team, didYouMean(team, sortedKeys(teams)))
	}
}

func (c *compiler) calendarRef(name string, line int, rule string) {
	if _, ok := c.raw.Calendars[name]; !ok {
		c.p.add(line, rule, "calendar %q is not in calendars%s", name, didYouMean(name, sortedKeys(c.raw.Calendars)))
	}
}

func (c *compiler) sla() {
	for i, r := range c.raw.SLA {
		rule := c.name("sla", r.Name, r.line)
		pol := SLAPolicy{Name: r.Name, Line: r.line, Calendar: r.Calendar}
		if r.When.Text != "" {
			pol.When = c.ex.compile(r.When, kindSLA, reflect.Bool, rule)
		} else if i != len(c.raw.SLA)-1 {
			c.p.add(r.line, rule, "a policy without when applies to every lead, so it must be the last")
		}
		if r.FirstTouch == "" {
			c.p.add(r.line, rule, "first_touch is required, e.g. \"1 business day\"")
		} else if sp, err := ParseSpan(r.FirstTouch); err != nil {
			c.p.add(r.line, rule, "first_touch: %v", err)
		} else {
			pol.FirstTouch = sp
		}
		if r.EscalateAfter != "" {
			if sp, err := ParseSpan(r.EscalateAfter); err != nil {
				c.p.add(r.line, rule, "escalate_after: %v", err)
			} else {
				pol.EscalateAfter = &sp
			}
		}
		switch r.OnEscalation {
		case "", "notify":
		case "reassign":
			pol.Reassign = true
		default:
			c.p.add(r.line, rule, "on_escalation %q: want notify or reassign%s", r.OnEscalation, didYouMean(r.OnEscalation, []string{"notify", "reassign"}))
		}
		if pol.Reassign && pol.EscalateAfter == nil {
			c.p.add(r.line, rule, "on_escalation: reassign needs escalate_after, the grace period after the deadline, e.g. \"2 business hours\"")
		}
		if r.Calendar != "" {
			c.calendarRef(r.Calendar, r.line, rule)
		}
		c.def.SLA = append(c.def.SLA, pol)
	}
}

// indexEvents groups signals and engagement rules by the event types they
// match, so the engine looks at each event once.
func (c *compiler) indexEvents() {
	d := c.def
	pos := map[string]int{}
	at := func(t string) *TypeRules {
		i, ok := pos[t]
		if !ok {
			i = len(d.EventTypes)
			pos[t] = i
			d.EventTypes = append(d.EventTypes, t)
			d.ByType = append(d.ByType, TypeRules{})
		}
		return &d.ByType[i]
	}
	for i, s := range d.Signals {
		if len(s.Types) == 0 {
			d.AnyType.Signals = append(d.AnyType.Signals, i)
		}
		for _, t := range s.Types {
			tr := at(t)
			tr.Signals = append(tr.Signals, i)
		}
	}
	ids := map[string]int{}
	matchID := func(m *Match) {
		for i := range m.Props {
			pm := &m.Props[i]
			pm.KeyID = slices.Index(d.PropKeys, pm.Key)
			if pm.KeyID < 0 {
				pm.KeyID = len(d.PropKeys)
				d.PropKeys = append(d.PropKeys, pm.Key)
			}
		}
		key := fmt.Sprintf("%q", m.Types)
		for _, pm := range m.Props {
			key += fmt.Sprintf("|%q=%v", pm.Key, pm.Values)
		}
		if m.Where != nil {
			key += "|" + m.Where.Src
		}
		id, ok := ids[key]
		if !ok {
			id = len(ids)
			ids[key] = id
		}
		m.ID = id
	}
	for i := range d.Signals {
		matchID(&d.Signals[i].Match)
	}
	for i := range d.Engagement.Rules {
		r := &d.Engagement.Rules[i]
		if r.Summary() {
			continue
		}
		matchID(&r.Match)
		r.HalfLifeID = slices.Index(d.HalfLives, r.HalfLife)
		if r.HalfLifeID < 0 {
			r.HalfLifeID = len(d.HalfLives)
			d.HalfLives = append(d.HalfLives, r.HalfLife)
		}
	}
	d.Matches = len(ids)
	for i, r := range d.Engagement.Rules {
		if r.Summary() {
			continue
		}
		if len(r.Types) == 0 {
			d.AnyType.Engagement = append(d.AnyType.Engagement, i)
		}
		for _, t := range r.Types {
			tr := at(t)
			tr.Engagement = append(tr.Engagement, i)
		}
	}
}

// factsNeed maps the facts rules read to what quality.Compute must do.
func factsNeed(used map[string]bool) quality.Need {
	var n quality.Need
	for f := range used {
		need, ok := quality.NeedOf(f)
		if !ok { // "*": the facts object as a whole
			return quality.NeedAll
		}
		n |= need
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// waterfall compiles pause reasons and where each rejection reason sends a
// lead; reasons the file leaves out keep their defaults.
func (c *compiler) waterfall() {
	w := &c.def.Waterfall
	w.Rejections = make(map[string]Rejection, len(DefaultRejections))
	for k, v := range DefaultRejections {
		w.Rejections[k] = v
	}
	raw := c.raw.Waterfall
	if raw == nil {
		return
	}
	seen := map[string]bool{}
	for _, r := range raw.PauseReasons {
		r = strings.TrimSpace(r)
		if r == "" || seen[r] {
			c.p.add(raw.line, "waterfall", "pause_reasons: %q is empty or repeated", r)
			continue
		}
		seen[r] = true
		w.PauseReasons = append(w.PauseReasons, r)
	}
	for _, reason := range sortedKeys(raw.Rejections) {
		r := raw.Rejections[reason]
		if _, ok := DefaultRejections[reason]; !ok {
			c.p.add(raw.line, "waterfall", "rejections: unknown reason %q%s (the reasons are %s)", reason,
				didYouMean(reason, sortedKeys(DefaultRejections)), strings.Join(sortedKeys(DefaultRejections), ", "))
			continue
		}
		rej := Rejection{To: r.To}
		switch r.To {
		case "disqualified":
			if r.Recontact != "" {
				c.p.add(raw.line, "waterfall", "rejections.%s: a disqualified lead is not re-contacted; remove recontact or send it to nurture", reason)
			}
		case "nurture":
			if r.Recontact == "" {
				c.p.add(raw.line, "waterfall", "rejections.%s: nurture needs recontact, e.g. 3w", reason)
			} else if d, err := ParseDuration(r.Recontact); err != nil || d <= 0 {
				c.p.add(raw.line, "waterfall", "rejections.%s: recontact %q is not a positive duration such as 3w", reason, r.Recontact)
			} else {
				rej.Recontact = d
			}
		default:
			c.p.add(raw.line, "waterfall", "rejections.%s: to %q: want nurture or disqualified%s", reason, r.To,
				didYouMean(r.To, []string{"nurture", "disqualified"}))
		}
		w.Rejections[reason] = rej
	}
}
