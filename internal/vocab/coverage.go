package vocab

import (
	"sort"

	"github.com/pistahq/pista/internal/lead"
)

// Coverage counts, per field, the values seen that no vocabulary code
// and no rule of the definition matches, so that marketing can add the
// synonym before leads are lost to a typo nobody saw. The import's dry run
// and report, `pista check --data` and GET
// /api/v1/definitions/{id}/coverage all fill one.
type Coverage struct {
	table *Table
	rules func(field string) map[string]bool
	seen  map[string]int
	miss  map[string]map[string]int // field → value as written → count
}

// FieldCoverage is one field's part of a coverage report.
type FieldCoverage struct {
	Field string `json:"field"`
	// Seen is how many values the field had (blank ones not counted);
	// Matched how many mapped to a code or a value a rule names.
	Seen      int              `json:"seen"`
	Matched   int              `json:"matched"`
	Unmatched []UnmatchedValue `json:"unmatched"`
}

// UnmatchedValue is a value no code matched, how often it was seen, and the
// code it most resembles.
type UnmatchedValue struct {
	Value     string `json:"value"`
	Count     int    `json:"count"`
	Suggested string `json:"suggested_code,omitempty"`
}

// maxUnmatchedValues bounds the distinct values kept per field: a column
// of free text must not hold a report's memory hostage.
const maxUnmatchedValues = 1000

// NewCoverage starts a count against a table; rules gives the values a
// definition's rules compare a field with (nil: none).
func NewCoverage(t *Table, rules func(field string) map[string]bool) *Coverage {
	return &Coverage{table: t, rules: rules, seen: map[string]int{}, miss: map[string]map[string]int{}}
}

// Lead counts a lead's values: what was written (a mapping's raw value)
// for the fields intake mapped, the stored value for the rest.
func (c *Coverage) Lead(l *lead.Lead) {
	raw := func(field, v string) string {
		for _, m := range l.Mappings {
			if m.Field == field && m.How != ByTitle {
				return m.Raw
			}
		}
		return v
	}
	p, co, s := &l.Person, &l.Company, &l.Source
	c.Add("person.seniority", raw("person.seniority", p.Seniority))
	c.Add("person.department", raw("person.department", p.Department))
	c.Add("company.industry", raw("company.industry", co.Industry))
	c.Add("person.country", raw("person.country", p.Country))
	c.Add("company.country", raw("company.country", co.Country))
	c.Add("source.format", raw("source.format", s.Format))
	c.Add("source.channel", raw("source.channel", s.Channel))
	for _, a := range l.Actions {
		c.Add("action.type", raw("action.type", a.Type))
	}
}

// Add counts one value of a field as written.
func (c *Coverage) Add(field, v string) {
	if v == "" || c.table.fields[vocabField(field)] == nil {
		return
	}
	m, ok := c.table.Map(field, v)
	if !ok || m.How == ByPlaceholder {
		return
	}
	c.seen[field]++
	if m.How != Unmatched {
		return
	}
	if c.rules != nil {
		if r := c.rules(field); r[v] || r[m.Code] {
			return
		}
	}
	byValue := c.miss[field]
	if byValue == nil {
		byValue = map[string]int{}
		c.miss[field] = byValue
	}
	if _, known := byValue[v]; known || len(byValue) < maxUnmatchedValues {
		byValue[v]++
	}
}

// Report lists every field seen, in the order of Fields, with its
// unmatched values, most frequent first.
func (c *Coverage) Report() []FieldCoverage {
	var out []FieldCoverage
	for _, f := range []string{"company.industry", "person.seniority", "person.department", "person.country", "company.country", "source.format", "source.channel", "action.type"} {
		if c.seen[f] == 0 {
			continue
		}
		fc := FieldCoverage{Field: f, Seen: c.seen[f], Unmatched: []UnmatchedValue{}}
		missed := 0
		for v, n := range c.miss[f] {
			fc.Unmatched = append(fc.Unmatched, UnmatchedValue{Value: v, Count: n, Suggested: c.table.Suggest(f, v)})
			missed += n
		}
		sort.Slice(fc.Unmatched, func(i, j int) bool {
			a, b := fc.Unmatched[i], fc.Unmatched[j]
			return a.Count > b.Count || a.Count == b.Count && a.Value < b.Value
		})
		fc.Matched = fc.Seen - missed
		out = append(out, fc)
	}
	return out
}

// UnmatchedTotal is the number of values, over all fields, that matched
// nothing.
func (c *Coverage) UnmatchedTotal() int {
	n := 0
	for _, byValue := range c.miss {
		for _, k := range byValue {
			n += k
		}
	}
	return n
}
