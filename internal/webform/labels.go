package webform

import (
	"strings"

	"github.com/pistahq/pista/internal/i18n"
)

// The snippet's texts come from the message catalog (internal/i18n), in
// the visitor's language: "webform.field.<lead path>" labels a lead field,
// "webform.seniority.<code>" a level, and webform.submit, webform.choose
// and webform.honeypot the rest. A form's own Labels come first.

// employeeRanges are the options of the employees select; Map reads the
// lower bound.
var employeeRanges = []string{"1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"}

// autocomplete gives browsers the hint to fill in what they know.
var autocomplete = map[string]string{
	"person.name": "name", "person.first_name": "given-name", "person.last_name": "family-name",
	"person.email": "email", "person.phone": "tel", "person.title": "organization-title",
	"company.name": "organization", "person.country": "country-name", "person.region": "address-level1",
	"person.city": "address-level2", "company.domain": "url",
}

// textareaKeys are action.props keys that get a textarea: free text.
var textareaKeys = map[string]bool{
	"message": true, "mensaje": true, "mensagem": true, "comments": true, "comentarios": true,
	"notes": true, "notas": true, "observaciones": true, "observacoes": true, "details": true, "detalles": true,
}

// Language reduces a language tag ("es-CO", "pt_BR") to one the forms
// speak: es, pt, or else en.
func Language(tag string) string {
	l := strings.ToLower(tag)
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	switch l {
	case "es", "pt":
		return l
	}
	return "en"
}

// Label is the visible label of the form field name (mapped to target
// path) in p's language: the form's own label in that language, else the
// catalog's label of the lead field, else the field's key made readable.
func (c *Config) Label(p *i18n.Printer, name string) string {
	if l := strings.TrimSpace(c.Labels[name][p.Lang]); l != "" {
		return l
	}
	t, err := parseTarget(c.Fields[name])
	if err != nil {
		return name
	}
	fallback := humanize(t.key)
	if fallback == "" {
		fallback = t.path
	}
	return p.Maybe("webform.field."+t.path, fallback)
}

// humanize turns a map key into a label: "budget_range" → "Budget range".
func humanize(key string) string {
	s := strings.ReplaceAll(key, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Describe names a required entry ("person.email|person.phone") for the
// visitor: the labels of the form's fields that fill its paths, joined by
// "or" in p's language ("Work email or Phone").
func (c *Config) Describe(p *i18n.Printer, entry string) string {
	var out []string
	for _, path := range strings.Split(entry, "|") {
		path = strings.TrimSpace(path)
		label := p.Maybe("webform.field."+path, path)
		for _, name := range sortedKeys(c.Fields) {
			if c.Fields[name] == path {
				label = c.Label(p, name)
				break
			}
		}
		out = append(out, label)
	}
	return strings.Join(out, " "+p.T("webform.or")+" ")
}
