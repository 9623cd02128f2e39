package webform

import (
	"fmt"
	"sort"

	"github.com/pistahq/pista/internal/vocab"
)

// OptionWarnings says which select options of a form are not codes of a
// vocabulary the definition compares (t: the active definition's), and what
// each maps to, so that marketing fixes the form before its leads score
// on values no rule reads. A form still works with them: intake maps
// what it can.
func OptionWarnings(c *Config, t *vocab.Table) []string {
	names := make([]string, 0, len(c.Options))
	for name := range c.Options {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []string
	for _, name := range names {
		path := c.Fields[name]
		if !t.Has(vocabFieldOf(path)) {
			continue
		}
		for _, v := range c.Options[name] {
			if v == "" || t.IsCode(path, v) {
				continue
			}
			m, _ := t.Map(path, v)
			switch m.How {
			case vocab.ByPlaceholder:
				continue
			case vocab.Unmatched:
				hint := ""
				if s := t.Suggest(path, v); s != "" {
					hint = fmt.Sprintf(" (closest: %s)", s)
				}
				out = append(out, fmt.Sprintf("options.%s: %q is not a code of %s and matches none%s", name, v, path, hint))
			default:
				out = append(out, fmt.Sprintf("options.%s: %q is not a code of %s; it is read as %s (use that as the option's value)", name, v, path, m.Code))
			}
		}
	}
	return out
}

// vocabFieldOf names the vocabulary a lead field path uses.
func vocabFieldOf(path string) string {
	if path == "person.country" || path == "company.country" {
		return "country"
	}
	return path
}
