package engine_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
)

const summaryDef = `name: Summary counters
lead:
  when: inquiry
fit:
  - name: seniority_bonus
    points: 'person.years_experience * 1.5'
  - name: big_buyer
    when: company.employees > 0
    points: 'company.employees / 100'
engagement:
  half_life: 30d
  rules:
    - {name: visits, counter: person.attributes.total_visits, points: 2, max: 20}
    - {name: minutes, counter: person.attributes.time_on_site_minutes, points: 0.1}
    - {name: depth, points: '(person.attributes.page_views_per_visit ?? 0) * 3', max: 12}
    - {name: webinar, type: webinar_attended, points: 15}
bands:
  - {name: all, action: route}
`

func findStep(r *engine.Result, kind, rule string) (engine.Step, bool) {
	for _, s := range r.Explanation {
		if s.Kind == kind && s.Rule == rule {
			return s, true
		}
	}
	return engine.Step{}, false
}

// Summary counters from a CRM export score engagement: a counter times its
// points, a formula, faded from the lead's latest action and capped; the
// explanation gives the points and the values read.
func TestSummaryEngagementAndFormulaPoints(t *testing.T) {
	d := mustDef(t, summaryDef)
	now := at("2026-12-01T10:00:00Z")
	l := &lead.Lead{
		Person: lead.Person{Email: "ana@acme.co", FirstName: "Ana", LastName: "Ruiz", YearsExperience: 4,
			Attributes: map[string]any{"total_visits": 6.0, "time_on_site_minutes": "35", "page_views_per_visit": 2.5}},
		Company: lead.Company{Employees: 250},
		Actions: []lead.Action{{Type: "content_download", At: now.AddDate(0, 0, -30)}},
	}
	r := engine.Evaluate(d, l, nil, nil, now)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %v", r.Errors)
	}
	// Fit: 4 × 1.5 = 6 and 250 / 100 = 2.5.
	if r.Fit != 8.5 {
		t.Errorf("fit %v, want 8.5", r.Fit)
	}
	s, ok := findStep(&r, "fit", "seniority_bonus")
	if !ok || s.Points != 6 || len(s.Inputs) != 1 || s.Inputs[0].Name != "person.years_experience" || s.Inputs[0].Value != 4.0 {
		t.Errorf("seniority_bonus step %+v", s)
	}
	if !strings.Contains(s.Note, "= person.years_experience * 1.5 with person.years_experience = 4") {
		t.Errorf("note %q", s.Note)
	}
	// Counted 30 days ago with a 30-day half-life: half of each.
	// visits 6 × 2 = 12 → 6; minutes "35" × 0.1 = 3.5 → 1.75; depth 2.5 × 3 = 7.5 → 3.75.
	want := map[string]float64{"visits": 6, "minutes": 1.75, "depth": 3.75}
	for rule, pts := range want {
		s, ok := findStep(&r, "engagement", rule)
		if !ok || s.Points != pts || len(s.Inputs) == 0 {
			t.Errorf("%s: step %+v, want %v points", rule, s, pts)
		}
		if !strings.Contains(s.Note, "counted at 2026-11-01, faded to 50%") {
			t.Errorf("%s: note %q", rule, s.Note)
		}
	}
	if r.Engagement != 11.5 {
		t.Errorf("engagement %v, want 11.5", r.Engagement)
	}

	// The same numbers fresh: visits 12, then 40 visits cap at 20.
	l.Actions[0].At = now
	l.Person.Attributes["total_visits"] = 40
	r = engine.Evaluate(d, l, nil, nil, now)
	if s, _ := findStep(&r, "engagement", "visits"); s.Points != 20 || !strings.HasSuffix(s.Note, "capped") || s.Inputs[0].Value != 40.0 {
		t.Errorf("capped visits: %+v", s)
	}

	// JSON carries the inputs; text prints the formula with its values.
	js, _ := json.Marshal(r)
	if !strings.Contains(string(js), `"inputs":[{"name":"person.attributes.page_views_per_visit","value":2.5}]`) {
		t.Errorf("json: %s", js)
	}
	var b strings.Builder
	if err := engine.WriteText(&b, d, &r); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"+6 seniority_bonus (= person.years_experience * 1.5 with person.years_experience = 4)  [t.yaml:5]",
		"+7.5 depth (= (person.attributes.page_views_per_visit ?? 0) * 3 with person.attributes.page_views_per_visit = 2.5, counted at 2026-12-01)  [t.yaml:15]",
		"+20 visits (person.attributes.total_visits = 40 × 2 points, counted at 2026-12-01, capped)",
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("text lacks %q:\n%s", line, b.String())
		}
	}

	// No counters: no summary steps, no errors; a counter that is not a
	// number is reported and counts nothing.
	l.Person.Attributes = map[string]any{"total_visits": "muchas"}
	r = engine.Evaluate(d, l, nil, nil, now)
	if r.Engagement != 0 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0], `counter person.attributes.total_visits is "muchas", not a number`) {
		t.Errorf("engagement %v, errors %v", r.Engagement, r.Errors)
	}
}

// Definition errors for summary rules name the rule and the fix.
func TestSummaryRuleErrors(t *testing.T) {
	for _, tc := range []struct{ rule, want string }{
		{"{name: a, counter: person.attributes.visits, type: page_view, points: 1}", "counter and type, props or where cannot go together"},
		{"{name: a, counter: person.attributes.visits, points: 'x * 2'}", "with counter, points is a number"},
		{"{name: a, type: page_view, points: 'person.age * 2'}", "a formula for points needs no events"},
		{"{name: a, counter: person.attributes.visits}", "points is required: what one unit of the counter is worth"},
		{"{name: a, points: 'person.agee * 2'}", "unknown field person.agee"},
		{"{name: a, points: [1, 2]}", "points must be a number, or a formula in quotes"},
	} {
		_, err := parseDef("name: x\nengagement:\n  rules:\n    - " + tc.rule + "\n")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "t.yaml:4") {
			t.Errorf("%s: got %v, want %q on line 4", tc.rule, err, tc.want)
		}
	}
}

func parseDef(yaml string) (*definition.Definition, error) {
	return definition.Parse("t.yaml", []byte(yaml))
}
