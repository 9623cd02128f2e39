package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
)

// fuzzLeads are evaluated against every definition the fuzzer manages to
// compile: odd values on purpose (nil maps, NaN-prone numbers, strange text).
func fuzzLeads() []*lead.Lead {
	return []*lead.Lead{
		{},
		{ID: "x", Person: lead.Person{Email: "ä@ß.de", FirstName: "\xff\xfe", Age: -3, Attributes: map[string]any{"n": 1.5, "s": "t", "l": []any{1, "a"}}},
			Company: lead.Company{Revenue: lead.Money{Amount: 1e308, Currency: "ZZZ"}, Employees: -1, Attributes: map[string]any{"nil": nil}},
			Actions: []lead.Action{{Type: "price_request", Props: map[string]any{"tier": 3.0}}}},
	}
}

func fuzzEvents() []lead.Event {
	t := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	return []lead.Event{
		{Type: "page_view", At: t.Add(-time.Hour), Props: map[string]any{"category": "product", "path": "/p"}},
		{Type: "page_view", At: t.Add(time.Hour)},
		{Type: "content_download", At: time.Time{}, Props: map[string]any{"tier": true}},
	}
}

// FuzzDefinition feeds arbitrary files to the loader; whatever loads must
// evaluate without panicking.
func FuzzDefinition(f *testing.F) {
	files, _ := filepath.Glob("../../examples/definitions/*.yaml")
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("name: x\nlead: {when: inquiry}\nbands:\n  - {name: a, action: route}\n"))
	f.Add([]byte("name: x\nlead: {when: 'fit > 1'}\nfit:\n  - {name: a, when: 'len(events) > 0', points: 1e308}\n  - {name: b, when: 'true', points: 1e308}\nbands:\n  - {name: a, from: -1e308, action: route}\n  - {name: b, action: nurture, recontact: 99y}\n"))
	f.Add([]byte("a: &a [x]\nb: *a\n"))
	f.Add([]byte("name: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := definition.Parse("fuzz.yaml", data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		evaluateAll(t, d)
	})
}

// FuzzExpression compiles an arbitrary expression in every place one can
// appear and evaluates what compiles.
func FuzzExpression(f *testing.F) {
	for _, s := range []string{
		`company.industry == "life_sciences"`,
		`person.seniority in ["vp", "svp", "c_level"] and company.revenue.base >= money("3300M USD")`,
		`any(events, .type == "page_view" and .props.category == "product")`,
		`count(actions, .type == "referral") > 1 or len(person.specialties) > 2`,
		`company.attributes.size > 5`,
		`person.age / 0 > 1`,
		`let x = fit; x * 2 > total`,
		`now.Year() == 2026 and action.at < now`,
		`("a" + person.email) matches "^a.*@"`,
		`person.attributes?.x?.y ?? false`,
		`1..1000000 | len() > 0`,
		`map(1..100000, # * 2) | len() > 3`,
		`repeat("a", 100000) != ""`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		if strings.ContainsAny(expr, "\x00") {
			return
		}
		quoted := "'" + strings.ReplaceAll(expr, "'", "''") + "'"
		if strings.ContainsAny(expr, "\n\r") {
			return // YAML folds lines; the single-line case covers the grammar
		}
		for _, tmpl := range []string{
			"name: x\nlead: {when: inquiry}\nfit:\n  - {name: a, when: %s, points: 1}\nbands:\n  - {name: a, action: route}\n",
			"name: x\nlead: {when: %s}\nbands:\n  - {name: a, action: route}\n",
			"name: x\nlead: {when: inquiry}\nscore: {total: %s}\nbands:\n  - {name: a, action: route}\n",
			"name: x\nlead: {when: inquiry}\nsignals:\n  s: {type: page_view, at_least: 1, where: %s}\nbands:\n  - {name: a, action: route}\n",
			"name: x\nlead: {when: inquiry}\nbands:\n  - {name: a, when: %s, action: route}\n  - {name: b, action: disqualify}\nrouting:\n  default: t\n  rules:\n    - {name: r, when: %[1]s, team: u}\n",
		} {
			d, err := definition.Parse("fuzz.yaml", []byte(strings.ReplaceAll(tmpl, "%s", quoted)))
			if strings.Contains(tmpl, "%[1]s") {
				d, err = definition.Parse("fuzz.yaml", []byte(strings.ReplaceAll(strings.ReplaceAll(tmpl, "%[1]s", quoted), "%s", quoted)))
			}
			if err != nil {
				continue
			}
			evaluateAll(t, d)
		}
	})
}

func evaluateAll(t *testing.T, d *definition.Definition) {
	e := engine.New(d)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	q := &lead.Qualification{Budget: &lead.Budget{Min: 5, Max: 1, Currency: "XYZ"}, Authority: "boss", By: "x"}
	for _, l := range fuzzLeads() {
		for _, qq := range []*lead.Qualification{nil, q} {
			r := e.Evaluate(l, fuzzEvents(), qq, now)
			if r.Stage == "" {
				t.Fatalf("no stage: %+v", r)
			}
		}
	}
}
