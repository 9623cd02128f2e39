package definition_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/definition"
)

// minimal is the smallest valid definition; tests append or replace parts.
const minimal = `name: Test
lead:
  when: inquiry
bands:
  - {name: all, action: route}
`

func TestExamplesLoad(t *testing.T) {
	files, _ := filepath.Glob("../../examples/definitions/*.yaml")
	if len(files) < 3 {
		t.Fatalf("want at least 3 example definitions, found %d", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			d, err := definition.Load(f)
			if err != nil {
				t.Fatalf("%v", err)
			}
			if d.Name == "" || d.Hash == "" || len(d.Bands) == 0 {
				t.Errorf("incomplete definition: %+v", d)
			}
		})
	}
}

func TestErrorsNameFileLineAndRule(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // substring of the error text, file and line included
	}{
		{"unknown field with suggestion", minimal + `fit:
  - {name: vp_plus, when: person.senority == "vp", points: 15}
`, `test.yaml:7: fit rule "vp_plus": unknown field person.senority (did you mean seniority?)`},
		{"unknown nested field", minimal + `fit:
  - {name: rev, when: company.revenue.amout > 5, points: 1}
`, `test.yaml:7: fit rule "rev": unknown field company.revenue.amout (did you mean amount?)`},
		{"unknown root name", minimal + `fit:
  - {name: x, when: compnay.industry == "a", points: 1}
`, `unknown name "compnay" (did you mean company?)`},
		{"name from a later phase", minimal + `fit:
  - {name: x, when: total > 5, points: 1}
`, `test.yaml:7: fit rule "x": "total" is not available in fit rules (total is computed after fit rules`},
		{"unknown signal", minimal + `signals:
  binge: {type: page_view, at_least: 5, per: day}
fit:
  - {name: x, when: signals.bnge, points: 1}
`, `unknown signal "bnge" (did you mean binge?)`},
		{"unknown key with suggestion", minimal + `fit:
  - {name: x, whn: inquiry, points: 1}
`, `test.yaml:7: unknown key "whn" in "fit" (did you mean when?)`},
		{"unknown top-level key", minimal + "signal:\n  a: {type: x, at_least: 1}\n", `test.yaml:6: unknown key "signal" in the file (did you mean signals?)`},
		{"condition must be bool", minimal + `fit:
  - {name: x, when: company.employees, points: 1}
`, `the condition must be true or false, but it is int`},
		{"syntax error", minimal + `fit:
  - {name: x, when: 'company.employees >', points: 1}
`, `test.yaml:7: fit rule "x": unexpected token`},
		{"points not a number", minimal + `fit:
  - {name: x, when: inquiry, points: lots}
`, `test.yaml:7: points "lots" is not a number; write a formula in quotes, like points: 'person.attributes.visits * 2'`},
		{"missing points", minimal + `fit:
  - {name: x, when: inquiry}
`, `fit rule "x": points is required`},
		{"duplicate rule name", minimal + `fit:
  - {name: x, when: inquiry, points: 1}
  - {name: x, when: inquiry, points: 2}
`, `test.yaml:8: fit rule "x": the name is already used on line 7`},
		{"bad verdict", minimal + `quality:
  - {name: q, when: facts.fake_name, verdict: fak}
`, `verdict "fak": use one of suspect, junk, fake (did you mean fake?)`},
		{"unknown fact", minimal + `quality:
  - {name: q, when: facts.fake_nam, verdict: fake}
`, `unknown field facts.fake_nam (did you mean fake_name?)`},
		{"bands must end with catch-all", "name: T\nlead: {when: inquiry}\nbands:\n  - {name: a, from: 10, action: route}\n", `band "a": the last band must catch the rest`},
		{"band order", "name: T\nlead: {when: inquiry}\nbands:\n  - {name: a, from: 10, action: route}\n  - {name: b, from: 20, action: route}\n  - {name: c, action: disqualify}\n", `test.yaml:5: band "b": bands go from the highest score down`},
		{"nurture needs recontact", "name: T\nlead: {when: inquiry}\nbands:\n  - {name: a, action: nurture}\n", `band "a": recontact is required with nurture`},
		{"bad recontact", "name: T\nlead: {when: inquiry}\nbands:\n  - {name: a, action: nurture, recontact: 3 fortnights}\n", `recontact: duration "3 fortnights": unknown unit "fortnights"`},
		{"missing lead", "name: T\nbands:\n  - {name: a, action: route}\n", `the lead section is required`},
		{"missing name", "lead: {when: inquiry}\nbands:\n  - {name: a, action: route}\n", `name is required`},
		{"bad timezone", minimal + "timezone: Mars/Olympus\n", `test.yaml:6: timezone "Mars/Olympus" is not an IANA time zone`},
		{"bad calendar country", minimal + "calendar: {country: XX}\n", `test.yaml:6: calendar: country "XX" is not supported`},
		{"unknown team", minimal + "routing:\n  default: latam\n  teams: {latam: {}, north: {}}\n  rules:\n    - {name: r, when: inquiry, team: nort}\n", `routing rule "r": team "nort" is not in routing.teams (did you mean north?)`},
		{"bant weight typo", minimal + "bant:\n  weights: {budget: 20, autority: 30}\n", `weights: unknown criterion "autority" (use budget, authority, need, timing) (did you mean authority?)`},
		{"bant threshold above max", minimal + "bant:\n  threshold: 120\n", `threshold 120 must be above 0 and at most the sum of the weights (100)`},
		{"sla span", minimal + "sla:\n  - {name: s, first_touch: 1 business fortnight}\n", `sla "s": first_touch: deadline "1 business fortnight"`},
		{"money without rate", minimal + `fit:
  - {name: x, when: company.revenue.base > money("5 GBP"), points: 1}
`, `no exchange rate for GBP`},
		{"on_escalation typo", minimal + "sla:\n  - {name: s, first_touch: 1 business day, escalate_after: 2 business hours, on_escalation: reasign}\n", `sla "s": on_escalation "reasign": want notify or reassign (did you mean reassign?)`},
		{"reassign needs grace", minimal + "sla:\n  - {name: s, first_touch: 1 business day, on_escalation: reassign}\n", `on_escalation: reassign needs escalate_after`},
		{"rejection reason typo", minimal + "waterfall:\n  rejections:\n    no_budgt: {to: nurture, recontact: 3w}\n", `rejections: unknown reason "no_budgt" (did you mean no_budget?)`},
		{"rejection nurture needs recontact", minimal + "waterfall:\n  rejections:\n    no_budget: {to: nurture}\n", `rejections.no_budget: nurture needs recontact`},
		{"rejection bad target", minimal + "waterfall:\n  rejections:\n    fake: {to: trash}\n", `rejections.fake: to "trash": want nurture or disqualified`},
		{"waterfall key typo", minimal + "waterfall:\n  pause_reason: [x]\n", `unknown key "pause_reason" in "waterfall" (did you mean pause_reasons?)`},
		{"signal needs at_least", minimal + "signals:\n  s: {type: page_view}\n", `signal "s": at_least is required`},
		{"signal bad per", minimal + "signals:\n  s: {type: page_view, at_least: 2, per: fortnight}\n", `per "fortnight": use day, week or month`},
		{"event where sees only event", minimal + "signals:\n  s: {type: page_view, at_least: 2, where: person.age > 3}\n", `"person" is not available in an event filter (where)`},
		{"lead.when uses undefined part", "name: T\nlead: {format: inquiry, when: format and behaviour}\nbands:\n  - {name: a, action: route}\n", `lead.when: it uses behaviour but lead.behaviour is not defined`},
		{"not a mapping", "- a\n- b\n", `test.yaml:1: the file must be a YAML mapping`},
		{"yaml syntax", "name: [unclosed\n", `test.yaml:1: did not find expected`},
		{"empty", "  \n", `the file is empty`},
		{"expression as a mapping", minimal + "fit:\n  - name: x\n    points: 1\n    when: {a: b}\n", `test.yaml:9: an expression must be text`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := definition.Parse("test.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("want error containing %q, got none", tt.want)
			}
			var list definition.Errors
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want definition.Errors", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

func TestValidDefinitionParts(t *testing.T) {
	d, err := definition.Parse("ok.yaml", []byte(minimal+`version: "7"
timezone: America/Bogota
currency: cop
exchange_rates: {usd: 4000}
signals:
  binge: {type: [page_view, visit], props: {category: [product, pricing], rank: 1, new: true}, per: day, at_least: 5}
  recent: {type: page_view, within: 7d, at_least: 3}
engagement:
  half_life: 30d
  rules:
    - {name: pages, type: page_view, points: 2, max: 20}
    - {name: any_webinar, where: 'event.type startsWith "webinar"', points: 5, half_life: 3d}
bant:
  weights: {budget: 20, authority: 30, need: 30, timing: 20}
  budget: {minimum: 3500 USD}
  timing: {within: 6 months, lead_time: 2 weeks, partial_within: 1 year}
sla:
  - {name: urgent, when: bant.budget_ok and bant.immediate, first_touch: 1 business day, escalate_after: 4 business hours}
  - {name: rest, first_touch: 48h}
`))
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != "7" || d.Currency != "COP" || d.Rates["USD"] != 4000 {
		t.Errorf("general: version %q currency %q rates %v", d.Version, d.Currency, d.Rates)
	}
	if d.Location.String() != "America/Bogota" {
		t.Errorf("location %v", d.Location)
	}
	if got := d.BANT; got.Authority != 30 || got.Budget != 20 || got.BudgetMinimum != 3500*4000 || got.TimingLeadTime != 14.0/30 || got.TimingPartialWithin != 365.0/30 {
		t.Errorf("bant %+v", got)
	}
	if d.Signals[0].Per != "day" || d.Signals[0].AtLeast != 5 || len(d.Signals[0].Props) != 3 || d.Signals[1].Within != 7*24*time.Hour {
		t.Errorf("signals %+v", d.Signals)
	}
	if d.EventTypes[0] != "page_view" || d.EventTypes[1] != "visit" || len(d.ByType[0].Signals) != 2 || len(d.AnyType.Engagement) != 1 {
		t.Errorf("event index %v %+v %+v", d.EventTypes, d.ByType, d.AnyType)
	}
	if d.SLA[0].FirstTouch.Unit != definition.BusinessDays || d.SLA[0].EscalateAfter.Unit != definition.BusinessHours || d.SLA[1].FirstTouch.D != 48*time.Hour {
		t.Errorf("sla %+v", d.SLA)
	}
}

func TestLimits(t *testing.T) {
	big := make([]byte, definition.MaxFileSize+1)
	for i := range big {
		big[i] = '#'
	}
	if _, err := definition.Parse("big.yaml", big); err == nil || !strings.Contains(err.Error(), "the limit is") {
		t.Errorf("oversized file: %v", err)
	}
	long := minimal + "fit:\n  - {name: x, points: 1, when: '" + strings.Repeat("inquiry and ", 400) + "inquiry'}\n"
	if _, err := definition.Parse("long.yaml", []byte(long)); err == nil || !strings.Contains(err.Error(), "the limit is 4000") {
		t.Errorf("long expression: %v", err)
	}
	var many strings.Builder
	many.WriteString(minimal + "fit:\n")
	for i := range definition.MaxRules + 1 {
		many.WriteString("  - {name: r")
		many.WriteString(strings.Repeat("x", i%3))
		many.WriteString(", when: inquiry, points: 1}\n")
	}
	if _, err := definition.Parse("many.yaml", []byte(many.String())); err == nil || !strings.Contains(err.Error(), "rules; the limit is") {
		t.Errorf("too many rules: %v", err)
	}
	// A billion-laughs style alias bomb must fail fast, not eat memory.
	bomb := "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	if _, err := definition.Parse("bomb.yaml", []byte(bomb)); err == nil {
		t.Error("alias bomb accepted")
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := definition.Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.HasPrefix(err.Error(), "nope.yaml: ") {
		t.Errorf("got %v", err)
	}
	p := filepath.Join(t.TempDir(), "ok.yaml")
	if err := os.WriteFile(p, []byte(minimal), 0o600); err != nil {
		t.Fatal(err)
	}
	if d, err := definition.Load(p); err != nil || d.File != "ok.yaml" {
		t.Errorf("got %v, %v", d, err)
	}
}

func TestBuiltinQualityRules(t *testing.T) {
	d, err := definition.Parse("t.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Quality) != 4 || d.Quality[0].Name != "fake_name" {
		t.Errorf("without a quality section: %d rules", len(d.Quality))
	}
	d, err = definition.Parse("t.yaml", []byte(minimal+"quality: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Quality) != 0 {
		t.Errorf("with an empty quality section: %d rules", len(d.Quality))
	}
}
