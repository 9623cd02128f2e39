package engine_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
)

const tableDef = `name: Tables
lead:
  when: inquiry
fit:
  - name: occupation
    field: person.attributes.job
    values:
      student: 12
      Retired: 10
      yes: 3
    other: -2
    missing: 1
  - name: age
    field: person.age
    tiers:
      - {below: 25, points: 8}
      - {below: 60, points: 0}
      - {points: 10}
  - name: balance
    when: person.country == "PT"
    field: person.attributes.balance
    tiers:
      - {below: 0, points: -5}
    other: 2
bands:
  - {name: all, action: route}
`

// A table rule gives the points of the value it reads, and the explanation
// names the value and the entry that gave them.
func TestTableRules(t *testing.T) {
	d := mustDef(t, tableDef)
	tests := []struct {
		name    string
		person  lead.Person
		fit     float64
		explain []string // "rule points value note"
	}{
		{"listed value, case-insensitive; young", lead.Person{Age: 22, Attributes: map[string]any{"job": "retired"}}, 18,
			[]string{"occupation 10 retired ", "age 8 22 below 25"}},
		{"unlisted value is other; the rest tier", lead.Person{Age: 71, Attributes: map[string]any{"job": "admin."}}, 8,
			[]string{"occupation -2 admin. other", "age 10 71 the rest"}},
		{"missing attribute and unknown age", lead.Person{}, 1,
			[]string{"occupation 1  missing", "age 0  missing, other"}},
		{"yes stays text; tier edge goes up", lead.Person{Age: 25, Attributes: map[string]any{"job": "yes"}}, 3,
			[]string{"occupation 3 yes ", "age 0 25 below 60"}},
		{"when gates the table; negative tier and number other", lead.Person{Country: "PT", Age: 30, Attributes: map[string]any{"job": "student", "balance": -10.5}}, 7,
			[]string{"occupation 12 student ", "age 0 30 below 60", "balance -5 -10.5 below 0"}},
		{"above every tier is other", lead.Person{Country: "PT", Age: 30, Attributes: map[string]any{"job": "student", "balance": 300.0}}, 14,
			[]string{"occupation 12 student ", "age 0 30 below 60", "balance 2 300 other"}},
		{"text in a tier field is other", lead.Person{Country: "PT", Age: 30, Attributes: map[string]any{"job": "student", "balance": "lots"}}, 14,
			[]string{"occupation 12 student ", "age 0 30 below 60", "balance 2 lots other"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := inquiry("contact_form")
			l.Person = tc.person
			r := engine.Evaluate(d, l, nil, nil, at("2026-12-01T10:00:00Z"))
			if r.Fit != tc.fit {
				t.Errorf("fit %v, want %v", r.Fit, tc.fit)
			}
			var got []string
			for _, s := range steps(r, "fit") {
				got = append(got, strings.Join([]string{s.Rule, strconv.FormatFloat(s.Points, 'f', -1, 64), s.Value, s.Note}, " "))
			}
			if strings.Join(got, "|") != strings.Join(tc.explain, "|") {
				t.Errorf("explanation\n got %q\nwant %q", got, tc.explain)
			}
			if len(r.Errors) > 0 {
				t.Errorf("errors: %v", r.Errors)
			}
		})
	}
	l := inquiry("contact_form")
	l.Person = lead.Person{Age: 30, Attributes: map[string]any{"job": "student"}}
	r := engine.Evaluate(d, l, nil, nil, at("2026-12-01T10:00:00Z"))
	var b strings.Builder
	if err := engine.WriteText(&b, d, &r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`+12 occupation (value "student")`, `0 age (value "30", below 60)`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text explanation lacks %q:\n%s", want, b.String())
		}
	}
}
