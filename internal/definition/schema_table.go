package definition

import (
	yaml "go.yaml.in/yaml/v3"
)

// rawTable is the value → points form of a fit rule: field, then values
// or tiers, and other/missing (docs/definition.md, "Points from a table").
type rawTable struct {
	Field   src         `yaml:"field"`
	Values  tableValues `yaml:"values"`
	Tiers   []rawTier   `yaml:"tiers"`
	Other   *float64    `yaml:"other"`
	Missing *float64    `yaml:"missing"`
}

func (t *rawTable) given() bool {
	return t.Field.Text != "" || t.Values != nil || t.Tiers != nil || t.Other != nil || t.Missing != nil
}

type rawTier struct {
	Below  *float64 `yaml:"below"`
	Points *float64 `yaml:"points"`
	line   int
}

func (r *rawTier) UnmarshalYAML(n *yaml.Node) error {
	type plain rawTier
	r.line = n.Line
	return n.Decode((*plain)(r))
}

// tableValues keeps a values mapping in the file's order, each key as
// written (yes, true and 1 stay text) with its line.
type tableValues []tableEntry

type tableEntry struct {
	Key    string
	Points float64
	Line   int
	Bad    string // why the points could not be read
	Quoted bool   // "other" quoted is a value, unquoted a misplaced key
}

func (v *tableValues) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{lineMsg(n.Line, "values: want a mapping of value: points, like student: 12")}}
	}
	out := tableValues{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		e := tableEntry{Key: k.Value, Line: k.Line, Quoted: k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0}
		if err := val.Decode(&e.Points); err != nil || val.Kind != yaml.ScalarNode {
			e.Bad = "want a number of points"
		}
		out = append(out, e)
	}
	*v = out
	return nil
}
