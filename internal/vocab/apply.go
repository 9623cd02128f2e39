package vocab

import "github.com/pistahq/pista/internal/lead"

// Apply maps the vocabulary fields of an inquiry in place, infers a
// missing seniority and department from the job title, and appends to out
// a Mapping for every value it changed or could not match. A value that
// is already a code costs one map lookup.
func (t *Table) Apply(p *lead.Person, c *lead.Company, s *lead.Source, a *lead.Action, out []lead.Mapping) []lead.Mapping {
	for _, f := range [...]struct {
		field string
		v     *string
	}{
		{"person.seniority", &p.Seniority}, {"person.department", &p.Department}, {"company.industry", &c.Industry},
		{"person.country", &p.Country}, {"company.country", &c.Country}, {"source.format", &s.Format},
		{"source.channel", &s.Channel}, {"action.type", &a.Type},
	} {
		raw := *f.v
		if raw == "" {
			continue
		}
		m, ok := t.Map(f.field, raw)
		if !ok || m.How == "" {
			continue
		}
		*f.v = m.Code
		out = append(out, lead.Mapping{Field: f.field, Raw: raw, Code: m.Code, How: m.How, Score: m.Score})
	}
	// A seniority or department that matched no code yields to what the
	// title says.
	if p.Title != "" && (p.Seniority == "" || p.Department == "" || !t.IsCode("person.seniority", p.Seniority) || !t.IsCode("person.department", p.Department)) {
		sen, dep := FromTitle(p.Title)
		if !t.IsCode("person.seniority", p.Seniority) && sen != "" && t.IsCode("person.seniority", sen) {
			p.Seniority = sen
			out = append(out, lead.Mapping{Field: "person.seniority", Raw: p.Title, Code: sen, How: ByTitle})
		}
		if !t.IsCode("person.department", p.Department) && dep != "" && t.IsCode("person.department", dep) {
			p.Department = dep
			out = append(out, lead.Mapping{Field: "person.department", Raw: p.Title, Code: dep, How: ByTitle})
		}
	}
	return out
}
