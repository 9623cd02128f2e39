package definition

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/quality"
)

// DefaultInquiryActions are the actions that make someone an inquiry when
// the file does not list them (seeds 001 and 004).
var DefaultInquiryActions = []string{"newsletter_signup", "content_download", "webinar_registered",
	"webinar_attended", "contact_form", "demo_request", "price_request", "referral"}

// identRe is for names the data uses (actions, event types, teams);
// ruleNameRe for rule names, which people read in explanations.
var (
	identRe    = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	ruleNameRe = regexp.MustCompile(`^\p{L}[\p{L}\p{N}_-]*$`)
)

type compiler struct {
	p    *problems
	ex   *exprCompiler
	def  *Definition
	raw  *rawFile
	doc  *yaml.Node
	seen map[string]int // rule names per section, to catch duplicates
}

func compileFile(p *problems, raw *rawFile, doc *yaml.Node) *Definition {
	d := &Definition{
		Name:        strings.TrimSpace(raw.Name),
		Version:     strings.TrimSpace(raw.Version),
		Description: raw.Description,
		Rates:       map[string]float64{},
		Calendars:   map[string]*calendar.Calendar{},
	}
	c := &compiler{p: p, def: d, raw: raw, doc: doc, seen: map[string]int{}}
	if d.Name == "" {
		p.add(lineOf(doc, "name"), "", "name is required: say what this definition is, e.g. \"Instrument maker — lead definition\"")
	}
	c.general()
	c.ex = newExprCompiler(p, d.Rates, d.Currency)
	c.ex.signals = c.signalNames()
	n := len(raw.Quality) + len(raw.Signals) + len(raw.Fit) + len(raw.Grades) + len(raw.Bands) + len(raw.SLA)
	if raw.Engagement != nil {
		n += len(raw.Engagement.Rules)
	}
	if raw.Routing != nil {
		n += len(raw.Routing.Rules)
	}
	if n > MaxRules {
		p.add(doc.Line, "", "the file has %d rules; the limit is %d", n, MaxRules)
		return d
	}
	c.inquiry()
	c.quality()
	c.signals()
	c.fit()
	c.grades()
	c.engagement()
	c.bant()
	c.leadGate()
	c.score()
	c.bands()
	c.stages()
	c.routing()
	c.sla()
	c.indexEvents()
	d.Facts = factsNeed(c.ex.facts)
	return d
}

// lineOf finds the line of a top-level key, for errors about a section.
func lineOf(doc *yaml.Node, key string) int {
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == key {
			return doc.Content[i].Line
		}
	}
	return 0
}

func (c *compiler) general() {
	d, raw := c.def, c.raw
	tz := raw.Timezone
	if tz == "" {
		tz = "UTC"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		c.p.add(lineOf(c.doc, "timezone"), "", "timezone %q is not an IANA time zone such as America/Bogota", raw.Timezone)
		loc, tz = time.UTC, "UTC"
	}
	d.Location = loc
	d.Currency = strings.ToUpper(strings.TrimSpace(raw.Currency))
	if d.Currency == "" {
		d.Currency = "USD"
	}
	if !isCurrency(d.Currency) {
		c.p.add(lineOf(c.doc, "currency"), "", "currency %q is not a three-letter ISO 4217 code like USD", raw.Currency)
	}
	for code, rate := range raw.ExchangeRates {
		up := strings.ToUpper(code)
		if !isCurrency(up) {
			c.p.add(lineOf(c.doc, "exchange_rates"), "", "exchange_rates: %q is not a currency code", code)
			continue
		}
		if rate <= 0 {
			c.p.add(lineOf(c.doc, "exchange_rates"), "", "exchange_rates: %s must be positive (how many %s one %s is worth)", up, d.Currency, up)
			continue
		}
		d.Rates[up] = rate
	}
	def := rawCalendar{Timezone: tz}
	if raw.Calendar != nil {
		def = *raw.Calendar
		if def.Timezone == "" {
			def.Timezone = tz
		}
	}
	d.Calendar = c.calendar("calendar", def)
	for _, name := range sortedKeys(raw.Calendars) {
		rc := raw.Calendars[name]
		if rc.Timezone == "" {
			rc.Timezone = tz
		}
		d.Calendars[name] = c.calendar(fmt.Sprintf("calendar %q", name), rc)
	}
}

func (c *compiler) calendar(rule string, rc rawCalendar) *calendar.Calendar {
	cal, err := calendar.New(calendar.Config{Country: strings.ToUpper(rc.Country), Timezone: rc.Timezone, Hours: rc.Hours, Days: rc.Days, Holidays: rc.Holidays})
	if err != nil {
		line := rc.line
		if line == 0 {
			line = lineOf(c.doc, "calendar")
		}
		c.p.add(line, rule, "%v", err)
		return nil
	}
	return cal
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// name checks a rule name: present, snake_case, unique in its section.
func (c *compiler) name(section, name string, line int) string {
	rule := fmt.Sprintf("%s %q", section, name)
	switch {
	case name == "":
		c.p.add(line, "", "%s without a name: give every rule a name so explanations can cite it", section)
	case !ruleNameRe.MatchString(name):
		c.p.add(line, rule, "names are letters, digits, _ and - without spaces (like vp_plus)")
	default:
		key := section + "\x00" + name
		if prev, dup := c.seen[key]; dup {
			c.p.add(line, rule, "the name is already used on line %d", prev)
		}
		c.seen[key] = line
	}
	return rule
}

func (c *compiler) inquiry() {
	d := c.def
	d.Inquiry.Actions = map[string]bool{}
	actions := DefaultInquiryActions
	if c.raw.Inquiry != nil && len(c.raw.Inquiry.Actions) > 0 {
		actions = c.raw.Inquiry.Actions
	}
	for _, a := range actions {
		if !identRe.MatchString(a) {
			c.p.add(lineOf(c.doc, "inquiry"), "inquiry", "action %q: names are lower case letters, digits and _ (like price_request)", a)
		}
		d.Inquiry.Actions[a] = true
	}
	if c.raw.Inquiry != nil && c.raw.Inquiry.When.Text != "" {
		d.Inquiry.When = c.ex.compile(c.raw.Inquiry.When, kindInquiry, reflect.Bool, "inquiry.when")
	}
}

var verdicts = []string{VerdictSuspect, VerdictJunk, VerdictFake}

// builtinQuality applies when a definition has no quality section, so that
// Mickey Mouse and disposable addresses never count as leads by default.
// A definition that lists its own rules (even an empty list) replaces them.
var builtinQuality = []rawQuality{
	{Name: "fake_name", When: src{Text: "facts.fake_name or facts.keyboard_mash"}, Verdict: VerdictFake, Reason: "invented or typed-at-random name"},
	{Name: "test_data", When: src{Text: "facts.test_value"}, Verdict: VerdictJunk, Reason: "test data"},
	{Name: "disposable_email", When: src{Text: "facts.email_disposable"}, Verdict: VerdictJunk, Reason: "disposable e-mail address"},
	{Name: "no_contact", When: src{Text: `not facts.email_valid and person.phone == ""`}, Verdict: VerdictJunk, Reason: "no valid e-mail address and no phone"},
}

func (c *compiler) quality() {
	rules := c.raw.Quality
	if rules == nil && lineOf(c.doc, "quality") == 0 {
		rules = builtinQuality
	}
	for _, r := range rules {
		rule := c.name("quality rule", r.Name, r.line)
		if !slices.Contains(verdicts, r.Verdict) {
			c.p.add(r.line, rule, "verdict %q: use one of %s%s", r.Verdict, strings.Join(verdicts, ", "), didYouMean(r.Verdict, verdicts))
		}
		c.def.Quality = append(c.def.Quality, QualityRule{
			Name: r.Name, Line: r.line, Verdict: r.Verdict, Reason: r.Reason,
			When: c.required(r.When, r.line, kindQuality, reflect.Bool, rule),
		})
	}
}

// required compiles a condition that must be present.
func (c *compiler) required(s src, line int, k kind, want reflect.Kind, rule string) *Program {
	if strings.TrimSpace(s.Text) == "" {
		c.p.add(line, rule, "when is required: the condition under which the rule applies")
		return nil
	}
	return c.ex.compile(s, k, want, rule)
}

// signalNames lists the signals in file order.
func (c *compiler) signalNames() []string {
	var names []string
	for i := 0; i+1 < len(c.doc.Content); i += 2 {
		if c.doc.Content[i].Value == "signals" && c.doc.Content[i+1].Kind == yaml.MappingNode {
			m := c.doc.Content[i+1]
			for j := 0; j+1 < len(m.Content); j += 2 {
				names = append(names, m.Content[j].Value)
			}
		}
	}
	return names
}

func (c *compiler) signals() {
	for _, name := range c.signalNames() {
		r := c.raw.Signals[name]
		rule := c.name("signal", name, r.line)
		s := Signal{Name: name, Line: r.line, Match: c.match(r.rawMatch, r.line, rule), Per: r.Per}
		switch {
		case r.AtLeast == nil || *r.AtLeast < 1:
			c.p.add(r.line, rule, "at_least is required: how many matching events make the signal true (1 or more)")
		case *r.AtLeast != float64(int(*r.AtLeast)) || *r.AtLeast > 1e6:
			c.p.add(r.line, rule, "at_least must be a whole number of events up to 1000000, not %v", *r.AtLeast)
		default:
			s.AtLeast = int(*r.AtLeast)
		}
		if !identRe.MatchString(name) {
			c.p.add(r.line, rule, "signal names are lower case letters, digits and _ (like product_binge), because rules read them as signals.%s", name)
		}
		switch r.Per {
		case "", "day", "week", "month":
		default:
			c.p.add(r.line, rule, "per %q: use day, week or month (calendar periods in the definition's time zone)", r.Per)
		}
		s.Within = c.duration(r.Within, r.line, rule, "within")
		c.def.Signals = append(c.def.Signals, s)
	}
}

func (c *compiler) duration(text string, line int, rule, key string) time.Duration {
	if text == "" {
		return 0
	}
	d, err := ParseDuration(text)
	if err != nil {
		c.p.add(line, rule, "%s: %v", key, err)
	}
	return d
}

func (c *compiler) match(r rawMatch, line int, rule string) Match {
	m := Match{Types: r.Type}
	for _, t := range r.Type {
		if !identRe.MatchString(t) {
			c.p.add(line, rule, "event type %q: names are lower case letters, digits and _ (like page_view)", t)
		}
	}
	for _, k := range sortedKeys(r.Props) {
		pm := PropMatch{Key: k}
		vals, ok := r.Props[k].([]any)
		if !ok {
			vals = []any{r.Props[k]}
		}
		for _, v := range vals {
			switch v := v.(type) {
			case string, bool, float64:
				pm.Values = append(pm.Values, v)
			case int:
				pm.Values = append(pm.Values, float64(v))
			default:
				c.p.add(line, rule, "props.%s: want text, a number, true/false or a list of them", k)
			}
		}
		m.Props = append(m.Props, pm)
	}
	if r.Where.Text != "" {
		m.Where = c.ex.compile(r.Where, kindEventWhere, reflect.Bool, rule)
	}
	if len(m.Types) == 0 && len(m.Props) == 0 && m.Where == nil {
		c.p.add(line, rule, "say which events count: give a type, props or where")
	}
	return m
}

func (c *compiler) fit() {
	for _, r := range c.raw.Fit {
		rule := c.name("fit rule", r.Name, r.line)
		f := FitRule{Name: r.Name, Line: r.line, Group: r.Group, When: c.required(r.When, r.line, kindFit, reflect.Bool, rule)}
		if r.Points == nil {
			c.p.add(r.line, rule, "points is required (negative points lower the fit)")
		} else {
			f.Points = *r.Points
		}
		c.def.Fit = append(c.def.Fit, f)
	}
}

func (c *compiler) grades() {
	for i, r := range c.raw.Grades {
		rule := c.name("grade", r.Name, r.line)
		g := Grade{Name: r.Name, Any: r.From == nil}
		if r.From != nil {
			g.From = *r.From
		}
		if g.Any && i != len(c.raw.Grades)-1 {
			c.p.add(r.line, rule, "only the last grade may leave out from (it catches the rest)")
		}
		if i > 0 && !g.Any && !c.def.Grades[i-1].Any && g.From >= c.def.Grades[i-1].From {
			c.p.add(r.line, rule, "grades go from the highest to the lowest: from %v is not below %v", g.From, c.def.Grades[i-1].From)
		}
		c.def.Grades = append(c.def.Grades, g)
	}
}

func (c *compiler) engagement() {
	e := c.raw.Engagement
	if e == nil {
		return
	}
	c.def.Engagement.HalfLife = c.duration(e.HalfLife, e.line, "engagement", "half_life")
	for _, r := range e.Rules {
		rule := c.name("engagement rule", r.Name, r.line)
		er := EngagementRule{Name: r.Name, Line: r.line, Match: c.match(r.rawMatch, r.line, rule),
			HalfLife: c.def.Engagement.HalfLife, Within: c.duration(r.Within, r.line, rule, "within")}
		if r.HalfLife != "" {
			er.HalfLife = c.duration(r.HalfLife, r.line, rule, "half_life")
		}
		if r.Points == nil {
			c.p.add(r.line, rule, "points is required: what one matching event is worth")
		} else {
			er.Points = *r.Points
		}
		if r.Max != nil {
			if *r.Max <= 0 {
				c.p.add(r.line, rule, "max must be positive: the most this rule can add")
			}
			er.Max = *r.Max
		}
		c.def.Engagement.Rules = append(c.def.Engagement.Rules, er)
	}
}

var (
	bantParts           = []string{"budget", "authority", "need", "timing"}
	defaultAuthority    = map[string]float64{lead.DecisionMaker: 1, lead.Influencer: 0.5, lead.Gatekeeper: 0.25, lead.Unknown: 0}
	defaultNeed         = map[string]float64{lead.NeedConfirmed: 1, lead.NeedLatent: 0.5, lead.NeedNone: 0}
	authorityAnswers    = []string{lead.DecisionMaker, lead.Influencer, lead.Gatekeeper, lead.Unknown}
	needAnswers         = []string{lead.NeedConfirmed, lead.NeedLatent, lead.NeedNone}
	defaultBANTWeight   = 25.0
	defaultBANTThresold = 75.0
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
		matchID(&r.Match)
		r.HalfLifeID = slices.Index(d.HalfLives, r.HalfLife)
		if r.HalfLifeID < 0 {
			r.HalfLifeID = len(d.HalfLives)
			d.HalfLives = append(d.HalfLives, r.HalfLife)
		}
	}
	d.Matches = len(ids)
	for i, r := range d.Engagement.Rules {
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
