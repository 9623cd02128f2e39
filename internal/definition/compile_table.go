package definition

import (
	"reflect"
	"strings"
)

// tableRule compiles a fit rule that takes its points from a table: a
// field, then either values (text → points) or tiers (numbers), and the
// points for any other value.
func (c *compiler) tableRule(r rawFit, rule string) FitRule {
	f := FitRule{Name: r.Name, Line: r.line, Group: r.Group, Table: &Table{}}
	t := f.Table
	if r.When.Text != "" {
		f.When = c.ex.compile(r.When, kindFit, reflect.Bool, rule)
	}
	if r.Points != nil {
		c.p.add(r.line, rule, "points and a table (field with values or tiers) cannot go together: the table gives the points")
	}
	if strings.TrimSpace(r.Field.Text) == "" {
		c.p.add(r.line, rule, "field is required with values, tiers, other or missing: the lead field the table reads, like person.attributes.job")
	} else {
		t.Field = c.ex.compile(r.Field, kindFit, reflect.Interface, rule)
	}
	switch {
	case r.Values != nil && r.Tiers != nil:
		c.p.add(r.line, rule, "give values (text → points) or tiers (numbers), not both")
	case r.Values == nil && r.Tiers == nil && r.Other == nil && r.Missing == nil:
		c.p.add(r.line, rule, "a table needs values (like student: 12) or tiers (like - {below: 25, points: 8})")
	case r.Values == nil && r.Tiers == nil:
		// Only other and missing: points for having a value or not.
	case r.Values != nil:
		c.tableValues(r.Values, t, r.line, rule)
	default:
		c.tableTiers(r.Tiers, t, r.line, rule)
	}
	if r.Other != nil {
		t.Other = *r.Other
	}
	if r.Missing != nil {
		t.Missing, t.HasMissing = *r.Missing, true
	}
	return f
}

func (c *compiler) tableValues(vals tableValues, t *Table, line int, rule string) {
	t.Values = make(map[string]float64, len(vals))
	seen := map[string]int{}
	for _, e := range vals {
		key := strings.ToLower(strings.TrimSpace(e.Key))
		switch {
		case e.Bad != "":
			c.p.add(e.Line, rule, "values.%s: %s", e.Key, e.Bad)
		case key == "":
			c.p.add(e.Line, rule, "values: an empty value; write missing: N for leads without one")
		case (key == "other" || key == "missing") && !e.Quoted:
			c.p.add(e.Line, rule, "values.%s: write %s: N beside values (not inside); to score a value that is literally %q, quote it", key, key, key)
		case seen[key] > 0:
			c.p.add(e.Line, rule, "values.%s: the value is already listed on line %d (values match without regard to case)", e.Key, seen[key])
		}
		seen[key] = e.Line
		t.Values[key] = e.Points
		t.Keys = append(t.Keys, e.Key)
	}
	if len(vals) == 0 {
		c.p.add(line, rule, "values is empty: list at least one value with its points")
	}
}

func (c *compiler) tableTiers(tiers []rawTier, t *Table, line int, rule string) {
	if len(tiers) == 0 {
		c.p.add(line, rule, "tiers is empty: list at least one tier, like - {below: 25, points: 8}")
	}
	for i, r := range tiers {
		tier := Tier{}
		if r.Points == nil {
			c.p.add(r.line, rule, "tier %d: points is required", i+1)
		} else {
			tier.Points = *r.Points
		}
		switch {
		case r.Below != nil:
			tier.Below, tier.HasBelow = *r.Below, true
			if i > 0 && t.Tiers[i-1].HasBelow && tier.Below <= t.Tiers[i-1].Below {
				c.p.add(r.line, rule, "tier %d: below %v is not above the previous tier's %v; tiers go from the lowest values up", i+1, tier.Below, t.Tiers[i-1].Below)
			}
		case i != len(tiers)-1:
			c.p.add(r.line, rule, "tier %d: below is required; only the last tier may leave it out (it takes the rest)", i+1)
		}
		t.Tiers = append(t.Tiers, tier)
	}
}
