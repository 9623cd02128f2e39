package definition_test

import (
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/definition"
)

// Mistakes in a table rule are named by line and rule, like any other.
func TestTableErrors(t *testing.T) {
	tests := []struct{ name, fit, want string }{
		{"no field", "  - name: t\n    values: {a: 1}\n", `test.yaml:7: fit rule "t": field is required`},
		{"points with a table", "  - name: t\n    field: person.education\n    points: 3\n    values: {a: 1}\n", `points and a table (field with values or tiers) cannot go together`},
		{"neither values nor tiers", "  - name: t\n    field: person.education\n    group: g\n", `a table needs values (like student: 12) or tiers`},
		{"both", "  - name: t\n    field: person.age\n    values: {a: 1}\n    tiers: [{points: 1}]\n", `give values (text → points) or tiers (numbers), not both`},
		{"values not a mapping", "  - name: t\n    field: person.education\n    values: [a, b]\n", `test.yaml:9: values: want a mapping of value: points`},
		{"points not a number", "  - name: t\n    field: person.education\n    values:\n      a: 1\n      b: lots\n", `test.yaml:11: fit rule "t": values.b: want a number of points`},
		{"duplicate value", "  - name: t\n    field: person.education\n    values:\n      Tertiary: 1\n      tertiary: 2\n", `test.yaml:11: fit rule "t": values.tertiary: the value is already listed on line 10`},
		{"other inside values", "  - name: t\n    field: person.education\n    values:\n      a: 1\n      other: 2\n", `values.other: write other: N beside values (not inside); to score a value that is literally "other", quote it`},
		{"unknown field", "  - name: t\n    field: person.educaton\n    values: {a: 1}\n", `fit rule "t": unknown field person.educaton (did you mean education?)`},
		{"tier order", "  - name: t\n    field: person.age\n    tiers:\n      - {below: 30, points: 1}\n      - {below: 20, points: 2}\n", `test.yaml:11: fit rule "t": tier 2: below 20 is not above the previous tier's 30`},
		{"open tier not last", "  - name: t\n    field: person.age\n    tiers:\n      - {points: 1}\n      - {below: 20, points: 2}\n", `test.yaml:10: fit rule "t": tier 1: below is required; only the last tier may leave it out`},
		{"tier without points", "  - name: t\n    field: person.age\n    tiers:\n      - {below: 20}\n", `tier 1: points is required`},
		{"tier key typo", "  - name: t\n    field: person.age\n    tiers:\n      - {belo: 20, points: 1}\n", `unknown key "belo" in "tiers" (did you mean below?)`},
		{"table key typo", "  - name: t\n    field: person.age\n    tier: []\n", `unknown key "tier" in "fit" (did you mean tiers?)`},
		{"later phase", "  - name: t\n    field: total\n    tiers: [{points: 1}]\n", `"total" is not available in fit rules`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := definition.Parse("test.yaml", []byte(minimal+"fit:\n"+tc.fit))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}

func TestTableCompiles(t *testing.T) {
	d, err := definition.Parse("test.yaml", []byte(minimal+`fit:
  - name: education
    field: person.education
    values: {tertiary: 10, "yes": 1, "4": 2, "other": 5}
    other: -1
    missing: 3
  - name: age
    field: person.age
    tiers:
      - {below: 25, points: 8}
      - {points: 2}
`))
	if err != nil {
		t.Fatal(err)
	}
	tb := d.Fit[0].Table
	if tb == nil || d.Fit[0].When != nil || strings.Join(tb.Keys, ",") != "tertiary,yes,4,other" || tb.Other != -1 || !tb.HasMissing || tb.Missing != 3 {
		t.Fatalf("table %+v", tb)
	}
	for v, want := range map[any]float64{"Tertiary": 10, "yes": 1, 4.0: 2, "primary": -1, "": 3, nil: 3, "Other": 5} {
		if got := tb.Lookup(v).Points; got != want {
			t.Errorf("Lookup(%#v) = %v, want %v", v, got, want)
		}
	}
	tiers := d.Fit[1].Table.Tiers
	if len(tiers) != 2 || !tiers[0].HasBelow || tiers[1].HasBelow {
		t.Errorf("tiers %+v", tiers)
	}
}
