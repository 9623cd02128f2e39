package definition

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/lead"
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

func compileFile(p *problems, raw *rawFile, doc *yaml.Node, rates map[string]float64) *Definition {
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
	for code, rate := range rates { // a rates file's, checked by LoadRates
		d.Rates[code] = rate
	}
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
	c.vocabularies()
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
	c.waterfall()
	c.indexEvents()
	d.Facts = factsNeed(c.ex.facts)
	d.literals = c.ex.literals.out
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
		if r.rawTable.given() {
			c.def.Fit = append(c.def.Fit, c.tableRule(r, rule))
			continue
		}
		f := FitRule{Name: r.Name, Line: r.line, Group: r.Group}
		if r.Points != nil && r.Points.Formula.Text != "" && strings.TrimSpace(r.When.Text) == "" {
			// Formula points need no condition: they apply to every lead.
		} else {
			f.When = c.required(r.When, r.line, kindFit, reflect.Bool, rule)
		}
		switch {
		case r.Points == nil:
			c.p.add(r.line, rule, "points is required (negative points lower the fit)")
		case r.Points.Formula.Text != "":
			f.Formula = c.ex.compile(r.Points.Formula, kindFit, reflect.Float64, rule)
		default:
			f.Points = r.Points.Num
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
		er := EngagementRule{Name: r.Name, Line: r.line,
			HalfLife: c.def.Engagement.HalfLife, Within: c.duration(r.Within, r.line, rule, "within")}
		if r.HalfLife != "" {
			er.HalfLife = c.duration(r.HalfLife, r.line, rule, "half_life")
		}
		if !c.engagementPoints(&er, r, rule) {
			er.Match = c.match(r.rawMatch, r.line, rule)
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

// engagementPoints reads an engagement rule's points. An event rule's
// points are a number per matching event; a summary rule reads numbers the
// lead carries: counter (a number per unit of the counter) or a formula.
// It reports whether the rule is a summary rule (no events to match).
func (c *compiler) engagementPoints(er *EngagementRule, r rawEngagementRule, rule string) bool {
	events := len(r.Type) > 0 || len(r.Props) > 0 || r.Where.Text != ""
	counter := strings.TrimSpace(r.Counter.Text) != ""
	formula := r.Points != nil && r.Points.Formula.Text != ""
	switch {
	case r.Points == nil && counter:
		c.p.add(r.line, rule, "points is required: what one unit of the counter is worth")
	case r.Points == nil:
		c.p.add(r.line, rule, "points is required: what one matching event is worth")
	case counter && events:
		c.p.add(r.line, rule, "counter and type, props or where cannot go together: a rule counts events or reads a counter")
	case counter && formula:
		c.p.add(r.line, rule, "with counter, points is a number: what one unit of the counter is worth")
	case formula && events:
		c.p.add(r.line, rule, "a formula for points needs no events: leave out type, props and where, or give a number of points per event")
	case counter:
		// Any type: a counter imported as text ("12") is read in the
		// engine, and a missing one counts nothing.
		er.Counter = c.ex.compile(r.Counter, kindFit, reflect.Interface, rule)
		er.Points = r.Points.Num
	case formula:
		er.Formula = c.ex.compile(r.Points.Formula, kindFit, reflect.Float64, rule)
	default:
		er.Points = r.Points.Num
	}
	return counter || formula
}
