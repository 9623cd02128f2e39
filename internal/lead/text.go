package lead

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// TextProblem says why a text cannot be stored, or "" if it can: a NUL
// character (PostgreSQL refuses it in text and JSON columns, SQLite would
// cut the text there) or bytes that are not UTF-8. Both databases get the
// same refusal, so that one does not store what the other fails on.
func TextProblem(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return fmt.Sprintf("contains a NUL character (\\u0000) at byte %d; remove it", i)
	}
	if !utf8.ValidString(s) {
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return fmt.Sprintf("is not valid UTF-8 (byte %d); send text in UTF-8", i)
			}
			i += size
		}
	}
	return ""
}

// checkText adds an error for every text of a lead, its events and its
// qualification that TextProblem refuses, free-form maps included.
func checkText(l *Lead, events []Event, q *Qualification, add func(field, format string, args ...any)) {
	bad := func(field, why string) { add(field, "%s", why) }
	str := func(field, v string) {
		if why := TextProblem(v); why != "" {
			bad(field, why)
		}
	}
	list := func(field string, vs []string) {
		for i, v := range vs {
			str(fmt.Sprintf("%s[%d]", field, i), v)
		}
	}
	p := &l.Person
	for _, f := range [...]struct{ name, v string }{{"person.email", p.Email}, {"person.first_name", p.FirstName},
		{"person.last_name", p.LastName}, {"person.phone", p.Phone}, {"person.title", p.Title}, {"person.seniority", p.Seniority},
		{"person.department", p.Department}, {"person.gender", p.Gender}, {"person.education", p.Education},
		{"person.income.currency", p.Income.Currency}, {"person.country", p.Country}, {"person.region", p.Region},
		{"person.city", p.City}, {"person.language", p.Language}} {
		str(f.name, f.v)
	}
	list("person.specialties", p.Specialties)
	anyText("person.attributes", p.Attributes, bad)
	c := &l.Company
	for _, f := range [...]struct{ name, v string }{{"company.name", c.Name}, {"company.domain", c.Domain},
		{"company.industry", c.Industry}, {"company.revenue.currency", c.Revenue.Currency}, {"company.country", c.Country}} {
		str(f.name, f.v)
	}
	list("company.products", c.Products)
	list("company.markets", c.Markets)
	list("company.rankings", c.Rankings)
	anyText("company.attributes", c.Attributes, bad)
	s := &l.Source
	for _, f := range [...]struct{ name, v string }{{"source.format", s.Format}, {"source.channel", s.Channel},
		{"source.campaign", s.Campaign}, {"source.referrer", s.Referrer}, {"source.external_id", s.ExternalID}} {
		str(f.name, f.v)
	}
	for i := range l.Actions {
		str(fmt.Sprintf("actions[%d].type", i), l.Actions[i].Type)
		anyText(fmt.Sprintf("actions[%d].props", i), l.Actions[i].Props, bad)
	}
	for i := range events {
		str(fmt.Sprintf("events[%d].type", i), events[i].Type)
		anyText(fmt.Sprintf("events[%d].props", i), events[i].Props, bad)
	}
	if q != nil {
		for _, f := range [...]struct{ name, v string }{{"qualification.by", q.By}, {"qualification.role", q.Role},
			{"qualification.notes", q.Notes}, {"qualification.authority", q.Authority}, {"qualification.need", q.Need}} {
			str(f.name, f.v)
		}
	}
}

// anyText checks the keys and text values of a free-form value decoded
// from JSON, in a stable order; a bad key is named by its map.
func anyText(field string, v any, bad func(field, why string)) {
	switch v := v.(type) {
	case string:
		if why := TextProblem(v); why != "" {
			bad(field, why)
		}
	case []any:
		for i, item := range v {
			anyText(fmt.Sprintf("%s[%d]", field, i), item, bad)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if why := TextProblem(k); why != "" {
				bad(field, "has a key that "+why)
				continue
			}
			anyText(field+"."+k, v[k], bad)
		}
	}
}
