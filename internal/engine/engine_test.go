package engine_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
)

func mustDef(t testing.TB, yaml string) *definition.Definition {
	t.Helper()
	d, err := definition.Parse("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("definition: %v", err)
	}
	return d
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ev(typ, when string, props ...any) lead.Event {
	e := lead.Event{Type: typ, At: at(when), Props: map[string]any{}}
	for i := 0; i+1 < len(props); i += 2 {
		e.Props[props[i].(string)] = props[i+1]
	}
	return e
}

func inquiry(typ string) *lead.Lead {
	return &lead.Lead{ID: "L1", Person: lead.Person{Email: "ana.gomez@acme-bio.com", FirstName: "Ana", LastName: "Gómez"},
		Actions: []lead.Action{{Type: typ}}}
}

func steps(r engine.Result, kind string) []engine.Step {
	var out []engine.Step
	for _, s := range r.Explanation {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

const base = `name: T
timezone: America/Bogota
lead: {when: inquiry}
bands:
  - {name: all, action: route}
`

func TestSignals(t *testing.T) {
	d := mustDef(t, base+`signals:
  binge: {type: page_view, props: {category: product}, per: day, at_least: 5}
  weekly: {type: page_view, per: week, at_least: 3}
  monthly: {type: page_view, per: month, at_least: 4}
  assets: {type: content_download, props: {tier: high}, at_least: 2}
  recent: {type: page_view, within: 7d, at_least: 3}
  numeric: {type: score, props: {level: 3}, at_least: 1}
  filtered: {type: page_view, where: 'event.props.path startsWith "/pricing"', at_least: 1}
`)
	now := at("2026-11-20T12:00:00-05:00")
	// Five product pages in one Bogotá day: 2026-11-18, 19:00-23:30 local,
	// which is 00:00-04:30 UTC on the 19th, the window straddles UTC midnight.
	bogotaDay := []lead.Event{
		ev("page_view", "2026-11-19T00:00:00Z", "category", "product"),
		ev("page_view", "2026-11-19T01:00:00Z", "category", "product"),
		ev("page_view", "2026-11-19T02:00:00Z", "category", "product"),
		ev("page_view", "2026-11-19T03:00:00Z", "category", "product"),
		ev("page_view", "2026-11-19T04:30:00Z", "category", "product"),
	}
	// Five product pages that are on one UTC day but two Bogotá days
	// (03:00-06:00 UTC is 22:00-01:00 local).
	splitDay := []lead.Event{
		ev("page_view", "2026-11-18T03:00:00Z", "category", "product"),
		ev("page_view", "2026-11-18T04:00:00Z", "category", "product"),
		ev("page_view", "2026-11-18T04:59:00Z", "category", "product"),
		ev("page_view", "2026-11-18T05:00:00Z", "category", "product"),
		ev("page_view", "2026-11-18T06:00:00Z", "category", "product"),
	}
	tests := []struct {
		name   string
		events []lead.Event
		want   map[string]bool
	}{
		{"five product pages in one local day", bogotaDay, map[string]bool{"binge": true, "weekly": true, "monthly": true, "recent": true}},
		{"five pages over local midnight", splitDay, map[string]bool{"binge": false, "weekly": true, "monthly": true, "recent": true}},
		{"four pages in a day is not enough", bogotaDay[:4], map[string]bool{"binge": false, "weekly": true, "monthly": true, "recent": true}},
		{"other category does not count", []lead.Event{
			ev("page_view", "2026-11-19T00:00:00Z", "category", "blog"), ev("page_view", "2026-11-19T00:01:00Z", "category", "blog"),
			ev("page_view", "2026-11-19T00:02:00Z", "category", "blog"), ev("page_view", "2026-11-19T00:03:00Z", "category", "blog"),
			ev("page_view", "2026-11-19T00:04:00Z", "category", "blog"),
		}, map[string]bool{"binge": false}},
		{"two high-value assets, ever", []lead.Event{
			ev("content_download", "2024-01-01T00:00:00Z", "tier", "high"), ev("content_download", "2026-11-01T00:00:00Z", "tier", "high"),
		}, map[string]bool{"assets": true}},
		{"one high and one low asset", []lead.Event{
			ev("content_download", "2026-01-01T00:00:00Z", "tier", "high"), ev("content_download", "2026-11-01T00:00:00Z", "tier", "low"),
		}, map[string]bool{"assets": false}},
		{"visits older than 7 days do not count", []lead.Event{
			ev("page_view", "2026-11-10T00:00:00Z"), ev("page_view", "2026-11-19T00:00:00Z"), ev("page_view", "2026-11-20T00:00:00Z"),
		}, map[string]bool{"recent": false, "weekly": false}},
		{"three visits in the last 7 days", []lead.Event{
			ev("page_view", "2026-11-14T00:00:00Z"), ev("page_view", "2026-11-19T00:00:00Z"), ev("page_view", "2026-11-20T00:00:00Z"),
		}, map[string]bool{"recent": true}},
		{"future events are ignored", []lead.Event{
			ev("page_view", "2026-11-19T00:00:00Z"), ev("page_view", "2026-11-20T00:00:00Z"), ev("page_view", "2026-11-25T00:00:00Z"),
		}, map[string]bool{"recent": false}},
		{"weeks start on Monday, local time", []lead.Event{
			// Sunday 2026-11-15 23:00 Bogotá (Mon 04:00 UTC) and Mon-Tue: two weeks
			ev("page_view", "2026-11-16T04:00:00Z"), ev("page_view", "2026-11-16T06:00:00Z"), ev("page_view", "2026-11-17T15:00:00Z"),
		}, map[string]bool{"weekly": false}},
		{"months by local calendar", []lead.Event{
			// 2026-11-01 03:00 UTC is still October 31 in Bogotá
			ev("page_view", "2026-11-01T03:00:00Z"), ev("page_view", "2026-11-02T00:00:00Z"), ev("page_view", "2026-11-03T00:00:00Z"), ev("page_view", "2026-11-04T00:00:00Z"),
		}, map[string]bool{"monthly": false}},
		{"numeric property", []lead.Event{ev("score", "2026-11-19T00:00:00Z", "level", 3.0)}, map[string]bool{"numeric": true}},
		{"numeric property mismatch", []lead.Event{ev("score", "2026-11-19T00:00:00Z", "level", "3")}, map[string]bool{"numeric": false}},
		{"where filter", []lead.Event{ev("page_view", "2026-11-19T00:00:00Z", "path", "/pricing/pro")}, map[string]bool{"filtered": true}},
		{"where filter on missing prop", []lead.Event{ev("page_view", "2026-11-19T00:00:00Z")}, map[string]bool{"filtered": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := engine.Evaluate(d, inquiry("contact_form"), tt.events, nil, now)
			fired := map[string]bool{}
			for _, s := range steps(r, "signal") {
				fired[s.Rule] = true
			}
			for name, want := range tt.want {
				if fired[name] != want {
					t.Errorf("signal %s = %v, want %v (explanation %+v, errors %v)", name, fired[name], want, r.Explanation, r.Errors)
				}
			}
		})
	}
}

func TestEngagementDecayCapAndWindow(t *testing.T) {
	d := mustDef(t, base+`engagement:
  half_life: 10d
  rules:
    - {name: pages, type: page_view, points: 8}
    - {name: capped, type: download, points: 10, max: 15}
    - {name: nodecay, type: webinar, points: 7, half_life: 0.0001min}
    - {name: windowed, type: click, points: 1, within: 30d}
`)
	now := at("2026-11-20T00:00:00Z")
	tests := []struct {
		name   string
		events []lead.Event
		want   float64
	}{
		{"fresh event counts fully", []lead.Event{ev("page_view", "2026-11-20T00:00:00Z")}, 8},
		{"one half-life halves", []lead.Event{ev("page_view", "2026-11-10T00:00:00Z")}, 4},
		{"two half-lives quarter", []lead.Event{ev("page_view", "2026-10-31T00:00:00Z")}, 2},
		{"cap applies after decay", []lead.Event{ev("download", "2026-11-20T00:00:00Z"), ev("download", "2026-11-19T00:00:00Z")}, 15},
		{"below cap after decay", []lead.Event{ev("download", "2026-11-10T00:00:00Z"), ev("download", "2026-10-31T00:00:00Z")}, 7.5},
		{"outside window ignored", []lead.Event{ev("click", "2026-10-01T00:00:00Z"), ev("click", "2026-11-19T00:00:00Z")}, 0.93},
		{"no events", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := engine.Evaluate(d, inquiry("contact_form"), tt.events, nil, now)
			if math.Abs(r.Engagement-tt.want) > 0.005 {
				t.Errorf("engagement = %v, want %v (%+v)", r.Engagement, tt.want, steps(r, "engagement"))
			}
			if r.Total != r.Engagement+r.Fit {
				t.Errorf("total %v != fit %v + engagement %v", r.Total, r.Fit, r.Engagement)
			}
		})
	}
}

func TestFitGroupsAndGrades(t *testing.T) {
	d := mustDef(t, base+`fit:
  - {name: big, group: size, when: company.employees >= 1000, points: 15}
  - {name: mid, group: size, when: company.employees >= 100, points: 8}
  - {name: vp, when: 'person.seniority in ["vp", "c_level"]', points: 10}
  - {name: student, when: person.seniority == "student", points: -20}
  - {name: attr, when: company.attributes.erp == "sap", points: 3}
  - {name: revenue, when: company.revenue.base >= money("1M USD"), points: 5}
grades:
  - {name: A, from: 25}
  - {name: B, from: 10}
  - {name: C}
exchange_rates: {COP: 0.00025}
`)
	tests := []struct {
		name    string
		company lead.Company
		person  lead.Person
		fit     float64
		grade   string
	}{
		{"group takes the first match only", lead.Company{Employees: 5000}, lead.Person{Seniority: "vp"}, 25, "A"},
		{"second of group", lead.Company{Employees: 200}, lead.Person{}, 8, "C"},
		{"negative points", lead.Company{Employees: 200}, lead.Person{Seniority: "student"}, -12, "C"},
		{"free attribute", lead.Company{Attributes: map[string]any{"erp": "sap"}, Employees: 100}, lead.Person{}, 11, "B"},
		{"revenue in another currency", lead.Company{Revenue: lead.Money{Amount: 5e9, Currency: "COP"}}, lead.Person{}, 5, "C"},
		{"revenue below minimum", lead.Company{Revenue: lead.Money{Amount: 1e9, Currency: "COP"}}, lead.Person{}, 0, "C"},
		{"revenue unknown currency counts as zero", lead.Company{Revenue: lead.Money{Amount: 5e9, Currency: "JPY"}}, lead.Person{}, 0, "C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := inquiry("contact_form")
			l.Company, l.Person = tt.company, tt.person
			r := engine.Evaluate(d, l, nil, nil, at("2026-11-20T00:00:00Z"))
			if r.Fit != tt.fit || r.Grade != tt.grade {
				t.Errorf("fit %v grade %s, want %v %s (%+v)", r.Fit, r.Grade, tt.fit, tt.grade, steps(r, "fit"))
			}
			if l.Company.Revenue.Base != 0 {
				t.Error("Evaluate modified its input")
			}
		})
	}
}

func f(v float64) *float64 { return &v }

func TestBANT(t *testing.T) {
	d := mustDef(t, base+`exchange_rates: {MXN: 0.05}
bant:
  budget: {minimum: 3500 USD}
  timing: {within: 6 months, lead_time: 0.5 month, partial_within: 12 months}
`)
	weighted := mustDef(t, base+`bant:
  weights: {budget: 20, authority: 30, need: 30, timing: 20}
`)
	full := func() *lead.Qualification {
		return &lead.Qualification{Budget: &lead.Budget{Min: 5000, Max: 8000, Currency: "USD"}, Authority: "decision_maker",
			Need: "confirmed", TimingMonths: f(3), By: "bdr@acme.com", Method: "call"}
	}
	tests := []struct {
		name      string
		def       *definition.Definition
		edit      func(q *lead.Qualification) *lead.Qualification
		score     float64
		qualified bool
		human     bool
	}{
		{"all four", d, func(q *lead.Qualification) *lead.Qualification { return q }, 100, true, true},
		{"no qualification", d, func(*lead.Qualification) *lead.Qualification { return nil }, 0, false, false},
		{"influencer", d, func(q *lead.Qualification) *lead.Qualification { q.Authority = "influencer"; return q }, 87.5, true, true},
		{"gatekeeper and latent need", d, func(q *lead.Qualification) *lead.Qualification {
			q.Authority, q.Need = "gatekeeper", "latent"
			return q
		}, 68.75, false, true},
		{"budget range straddles the minimum", d, func(q *lead.Qualification) *lead.Qualification { q.Budget.Min = 1000; return q }, 87.5, true, true},
		{"budget below minimum", d, func(q *lead.Qualification) *lead.Qualification {
			q.Budget = &lead.Budget{Max: 2000, Currency: "USD"}
			return q
		}, 75, true, true},
		{"budget in pesos", d, func(q *lead.Qualification) *lead.Qualification {
			q.Budget = &lead.Budget{Min: 80000, Max: 80000, Currency: "MXN"}
			return q
		}, 100, true, true},
		{"budget in unknown currency", d, func(q *lead.Qualification) *lead.Qualification { q.Budget.Currency = "JPY"; return q }, 75, true, true},
		{"timing too soon to deliver", d, func(q *lead.Qualification) *lead.Qualification { q.TimingMonths = f(0.1); return q }, 75, true, true},
		{"timing partly in range", d, func(q *lead.Qualification) *lead.Qualification { q.TimingMonths = f(9); return q }, 87.5, true, true},
		{"timing too far", d, func(q *lead.Qualification) *lead.Qualification { q.TimingMonths = f(18); return q }, 75, true, true},
		{"self-reported on a form is not human", d, func(q *lead.Qualification) *lead.Qualification { q.Method = "form"; return q }, 100, true, false},
		{"no qualifier is not human", d, func(q *lead.Qualification) *lead.Qualification { q.By = ""; return q }, 100, true, false},
		{"weights: authority and need higher", weighted, func(q *lead.Qualification) *lead.Qualification { q.Need = "none"; return q }, 70, false, true},
		{"weights: missing budget", weighted, func(q *lead.Qualification) *lead.Qualification { q.Budget = nil; return q }, 80, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := engine.Evaluate(tt.def, inquiry("contact_form"), nil, tt.edit(full()), at("2026-11-20T00:00:00Z"))
			if r.BANT.Score != tt.score || r.BANT.Qualified != tt.qualified || r.BANT.Human != tt.human {
				t.Errorf("bant %+v, want score %v qualified %v human %v", r.BANT, tt.score, tt.qualified, tt.human)
			}
		})
	}
}

func TestLeadGateVariants(t *testing.T) {
	parts := `signals:
  binge: {type: page_view, per: day, at_least: 5}
lead:
  format: action.type == "price_request"
  characteristics: company.industry == "life_sciences"
  behaviour: signals.binge
`
	all := mustDef(t, strings.Replace(base, "lead: {when: inquiry}\n", "", 1)+parts)
	variant := mustDef(t, strings.Replace(base, "lead: {when: inquiry}\n", "", 1)+parts+"  when: format and (characteristics or behaviour)\n")
	binge := make([]lead.Event, 5)
	for i := range binge {
		binge[i] = ev("page_view", "2026-11-19T15:00:00Z")
	}
	tests := []struct {
		name             string
		action, industry string
		events           []lead.Event
		wantAll, wantVar bool
	}{
		{"all three", "price_request", "life_sciences", binge, true, true},
		{"format and characteristics", "price_request", "life_sciences", nil, false, true},
		{"format and behaviour", "price_request", "retail", binge, false, true},
		{"no format", "newsletter_signup", "life_sciences", binge, false, false},
		{"format only", "price_request", "retail", nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := inquiry(tt.action)
			l.Company.Industry = tt.industry
			now := at("2026-11-20T00:00:00Z")
			if got := engine.Evaluate(all, l, tt.events, nil, now).Lead; got != tt.wantAll {
				t.Errorf("all three: lead = %v, want %v", got, tt.wantAll)
			}
			if got := engine.Evaluate(variant, l, tt.events, nil, now).Lead; got != tt.wantVar {
				t.Errorf("variant: lead = %v, want %v", got, tt.wantVar)
			}
		})
	}
}

func TestStagesBandsAndActions(t *testing.T) {
	d := mustDef(t, `name: T
timezone: America/Bogota
quality:
  - {name: fake, when: facts.fake_name, verdict: fake}
  - {name: free, when: facts.email_free, verdict: suspect}
fit:
  - {name: big, when: company.employees >= 1000, points: 50}
  - {name: tiny, when: company.employees == 1, points: -10}
lead:
  when: fit >= 50
bands:
  - {name: hot, from: 40, action: route}
  - {name: warm, from: 0, action: nurture, recontact: 3w}
  - {name: out, action: disqualify}
stages:
  sql: bant.authority == "decision_maker"
routing:
  default: latam
  rules:
    - {name: na, when: 'company.country in ["US", "CA"]', team: north_america}
`)
	human := &lead.Qualification{Budget: &lead.Budget{Max: 1e6, Currency: "USD"}, Authority: "decision_maker", Need: "confirmed", TimingMonths: f(1), By: "rep@x.com", Method: "call"}
	humanLow := &lead.Qualification{Authority: "decision_maker", By: "rep@x.com", Method: "call"}
	influencer := &lead.Qualification{Budget: &lead.Budget{Max: 1e6}, Authority: "influencer", Need: "confirmed", TimingMonths: f(1), By: "rep@x.com", Method: "call"}
	formOnly := &lead.Qualification{Budget: &lead.Budget{Max: 1e6}, Authority: "decision_maker", Need: "confirmed", TimingMonths: f(1), Method: "form"}
	now := at("2026-11-20T10:00:00-05:00")
	tests := []struct {
		name      string
		action    string
		employees int
		first     string
		email     string
		country   string
		q         *lead.Qualification
		stage     string
		act       string
		band      string
		team      string
	}{
		{"not an inquiry", "page_visit", 5000, "Ana", "ana@acme.com", "CO", nil, engine.StageNone, engine.ActionNone, "hot", ""},
		{"fake name disqualifies", "contact_form", 5000, "Mickey", "mickey@acme.com", "US", nil, engine.StageDisqualified, "disqualify", "hot", ""},
		{"suspect goes on", "contact_form", 5000, "Ana", "ana@gmail.com", "US", nil, engine.StageMQL, "route", "hot", "north_america"},
		{"lead gate makes MQL", "contact_form", 5000, "Ana", "ana@acme.com", "CO", nil, engine.StageMQL, "route", "hot", "latam"},
		{"below gate, warm band nurtures (with the team it will come back to)", "contact_form", 10, "Ana", "ana@acme.com", "CO", nil, engine.StageNurture, "nurture", "warm", "latam"},
		{"negative total disqualifies", "contact_form", 1, "Ana", "ana@acme.com", "CO", nil, engine.StageDisqualified, "disqualify", "out", ""},
		{"human BANT over threshold and sql gate", "contact_form", 10, "Ana", "ana@acme.com", "CO", human, engine.StageSQL, "route", "warm", "latam"},
		{"human BANT below threshold", "contact_form", 5000, "Ana", "ana@acme.com", "CO", humanLow, engine.StageMQL, "route", "hot", "latam"},
		{"sql gate fails", "contact_form", 5000, "Ana", "ana@acme.com", "CO", influencer, engine.StageMQL, "route", "hot", "latam"},
		{"self-reported BANT never makes SQL", "contact_form", 5000, "Ana", "ana@acme.com", "CO", formOnly, engine.StageMQL, "route", "hot", "latam"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := inquiry(tt.action)
			l.Company.Employees, l.Company.Country = tt.employees, tt.country
			l.Person.FirstName, l.Person.LastName, l.Person.Email = tt.first, "Mouse", tt.email
			if tt.first == "Ana" {
				l.Person.LastName = "Gómez"
			}
			r := engine.Evaluate(d, l, nil, tt.q, now)
			if r.Stage != tt.stage || r.Action != tt.act || r.Band != tt.band || r.Team != tt.team {
				t.Errorf("stage %s action %s band %s team %q, want %s %s %s %q\n%+v", r.Stage, r.Action, r.Band, r.Team, tt.stage, tt.act, tt.band, tt.team, r.Explanation)
			}
			if (r.RecontactAt != nil) != (tt.act == "nurture") {
				t.Errorf("recontact %v with action %s", r.RecontactAt, r.Action)
			}
			if r.RecontactAt != nil && !r.RecontactAt.Equal(now.Add(21*24*time.Hour)) {
				t.Errorf("recontact %v", r.RecontactAt)
			}
		})
	}
}

func TestSLADueOnColombianCalendar(t *testing.T) {
	d := mustDef(t, base+`calendar: {country: CO, timezone: America/Bogota, hours: "08:00-17:00"}
calendars:
  ny: {country: US, timezone: America/New_York, hours: "09:00-17:00"}
routing:
  default: latam
  teams: {latam: {}, us: {calendar: ny}}
  rules:
    - {name: us, when: company.country == "US", team: us}
sla:
  - {name: urgent, when: bant.budget_ok and bant.immediate, first_touch: 1 business day, escalate_after: 2 business hours}
  - {name: quick, when: action.type == "demo_request", first_touch: 4 business hours}
  - {name: clock, when: action.type == "price_request", first_touch: 24h}
  - {name: standard, first_touch: 2 business days}
`)
	urgent := &lead.Qualification{Budget: &lead.Budget{Max: 10000, Currency: "USD"}, TimingMonths: f(0.5), By: "x", Method: "call"}
	tests := []struct {
		name    string
		now     string
		action  string
		country string
		q       *lead.Qualification
		policy  string
		due     string
	}{
		// The example: 8 December is a holiday in Colombia.
		{"urgent over the 8 December holiday", "2026-12-07T10:00:00-05:00", "contact_form", "CO", urgent, "urgent", "2026-12-09T10:00:00-05:00"},
		{"standard over a weekend", "2026-11-20T16:00:00-05:00", "contact_form", "CO", nil, "standard", "2026-11-24T16:00:00-05:00"},
		{"business hours over a night", "2026-11-20T15:00:00-05:00", "demo_request", "CO", nil, "quick", "2026-11-23T10:00:00-05:00"},
		{"after hours starts next opening", "2026-11-19T20:00:00-05:00", "demo_request", "CO", nil, "quick", "2026-11-20T12:00:00-05:00"},
		{"clock time ignores calendar", "2026-11-21T10:00:00-05:00", "price_request", "CO", nil, "clock", "2026-11-22T10:00:00-05:00"},
		{"team calendar: US Thanksgiving", "2026-11-25T10:00:00-05:00", "contact_form", "US", urgent, "urgent", "2026-11-27T10:00:00-05:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := inquiry(tt.action)
			l.Company.Country = tt.country
			r := engine.Evaluate(d, l, nil, tt.q, at(tt.now))
			if r.SLA == nil {
				t.Fatalf("no SLA; %+v %v", r.Explanation, r.Errors)
			}
			if r.SLA.Policy != tt.policy || !r.SLA.Due.Equal(at(tt.due)) {
				t.Errorf("sla %s due %v, want %s %v", r.SLA.Policy, r.SLA.Due, tt.policy, at(tt.due))
			}
		})
	}
	r := engine.Evaluate(d, inquiry("contact_form"), nil, urgent, at("2026-12-07T10:00:00-05:00"))
	if r.SLA.EscalateAt == nil || !r.SLA.EscalateAt.Equal(at("2026-12-09T12:00:00-05:00")) {
		t.Errorf("escalate at %v", r.SLA.EscalateAt)
	}
}

func TestRuntimeErrorsAreReportedNotFatal(t *testing.T) {
	d := mustDef(t, base+`fit:
  - {name: bad, when: company.attributes.size > 5, points: 1}
  - {name: good, when: inquiry, points: 2}
`)
	l := inquiry("contact_form")
	l.Company.Attributes = map[string]any{"size": "large"}
	r := engine.Evaluate(d, l, nil, nil, at("2026-11-20T00:00:00Z"))
	if r.Fit != 2 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0], `fit rule "bad" (line 7): invalid operation: string > int`) {
		t.Errorf("fit %v errors %v", r.Fit, r.Errors)
	}
}

func TestDeterministic(t *testing.T) {
	d := mustDef(t, base+`signals:
  s: {type: page_view, per: day, at_least: 2}
engagement:
  half_life: 7d
  rules:
    - {name: p, type: page_view, points: 3}
`)
	events := []lead.Event{ev("page_view", "2026-11-19T00:00:00Z"), ev("page_view", "2026-11-01T00:00:00Z"), ev("page_view", "2026-11-19T01:00:00Z")}
	e := engine.New(d)
	first := e.Evaluate(inquiry("contact_form"), events, nil, at("2026-11-20T00:00:00Z"))
	for range 50 {
		again := e.Evaluate(inquiry("contact_form"), events, nil, at("2026-11-20T00:00:00Z"))
		if again.Engagement != first.Engagement || len(again.Explanation) != len(first.Explanation) {
			t.Fatalf("not deterministic: %+v vs %+v", again, first)
		}
	}
	if events[0].At != at("2026-11-19T00:00:00Z") {
		t.Error("events were reordered")
	}
}

func TestHumanQualificationOutranksScoreBands(t *testing.T) {
	d := mustDef(t, `name: T
fit:
  - {name: tiny, when: company.employees < 5, points: -50}
lead: {when: inquiry}
stages: {mql: fit > 0}
bands:
  - {name: ok, from: 0, action: route}
  - {name: out, action: disqualify}
`)
	l := inquiry("contact_form")
	l.Company.Employees = 1
	q := &lead.Qualification{Budget: &lead.Budget{Max: 10}, Authority: "decision_maker", Need: "confirmed", TimingMonths: f(1), By: "rep", Method: "call"}
	now := at("2026-11-20T00:00:00Z")
	if r := engine.Evaluate(d, l, nil, nil, now); r.Stage != engine.StageDisqualified {
		t.Errorf("without BANT: %s", r.Stage)
	}
	if r := engine.Evaluate(d, l, nil, q, now); r.Stage != engine.StageSQL || r.Action != "route" {
		t.Errorf("with human BANT: %s %s", r.Stage, r.Action)
	}
}

func TestSLAPolicyCanReadTeam(t *testing.T) {
	d := mustDef(t, base+`routing:
  default: latam
  rules:
    - {name: vip, when: company.employees > 1000, team: enterprise}
sla:
  - {name: enterprise, when: team == "enterprise", first_touch: 2 business hours}
  - {name: rest, first_touch: 2 business days}
`)
	l := inquiry("contact_form")
	l.Company.Employees = 5000
	r := engine.Evaluate(d, l, nil, nil, at("2026-11-20T10:00:00-05:00"))
	if r.Team != "enterprise" || r.SLA == nil || r.SLA.Policy != "enterprise" {
		t.Errorf("team %s sla %+v", r.Team, r.SLA)
	}
}

func TestMissingExchangeRateIsReported(t *testing.T) {
	d := mustDef(t, base+`fit:
  - {name: big, when: company.revenue.base > 0, points: 5}
`)
	l := inquiry("contact_form")
	l.Company.Revenue = lead.Money{Amount: 5e9, Currency: "JPY"}
	r := engine.Evaluate(d, l, nil, nil, at("2026-11-20T00:00:00Z"))
	if r.Fit != 0 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "company.revenue: no exchange rate for JPY") {
		t.Errorf("fit %v errors %v", r.Fit, r.Errors)
	}
}

func TestRulesDoNotSeeFutureEvents(t *testing.T) {
	d := mustDef(t, base+`fit:
  - {name: seen, when: len(events) == 1, points: 5}
`)
	events := []lead.Event{ev("page_view", "2026-11-19T00:00:00Z"), ev("page_view", "2026-11-21T00:00:00Z")}
	r := engine.Evaluate(d, inquiry("contact_form"), events, nil, at("2026-11-20T00:00:00Z"))
	if r.Fit != 5 {
		t.Errorf("fit %v: the rule saw the future event", r.Fit)
	}
	if len(events) != 2 {
		t.Error("input changed")
	}
}

func TestImmediateRespectsLeadTime(t *testing.T) {
	d := mustDef(t, base+`bant:
  timing: {within: 6 months, lead_time: 1 month, immediate: 2 months}
fit:
  - {name: urgent, when: bant.immediate, points: 1}
`)
	for months, want := range map[float64]float64{0.5: 0, 1.5: 1, 3: 0} {
		q := &lead.Qualification{TimingMonths: f(months), By: "x", Method: "call"}
		if r := engine.Evaluate(d, inquiry("contact_form"), nil, q, at("2026-11-20T00:00:00Z")); r.Fit != want {
			t.Errorf("timing %v months: immediate fit %v, want %v", months, r.Fit, want)
		}
	}
}
