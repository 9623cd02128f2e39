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
// qualification that TextProblem refuses or that is over its size limit,
// free-form maps included (see MaxFreeFormBytes and MaxDepth).
func checkText(l *Lead, events []Event, q *Qualification, add func(field, format string, args ...any)) {
	bad := func(field, why string) { add(field, "%s", why) }
	str := func(field, v string) {
		if why := textLimit(v); why != "" {
			bad(field, why)
		}
	}
	list := func(field string, vs []string) {
		if len(vs) > MaxList {
			bad(field, fmt.Sprintf("%d items; the limit is %d", len(vs), MaxList))
			return
		}
		for i, v := range vs {
			str(fmt.Sprintf("%s[%d]", field, i), v)
		}
	}
	anyText := func(field string, m map[string]any, bad func(field, why string)) {
		freeForm(field, m, bad)
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

// textLimit is TextProblem plus the size limit.
func textLimit(s string) string {
	if len(s) > MaxText {
		return fmt.Sprintf("is %d bytes long; the limit is %d", len(s), MaxText)
	}
	return TextProblem(s)
}

// freeForm checks a free-form map decoded from JSON (attributes, props):
// its size, its depth, and each key and text in it, in a stable order; a
// bad key is named by its map. It reports one problem at most.
func freeForm(field string, m map[string]any, bad func(field, why string)) {
	if len(m) == 0 {
		return
	}
	size := 0
	var walk func(field string, v any, depth int) bool
	walk = func(field string, v any, depth int) bool {
		switch v := v.(type) {
		case string:
			size += len(v)
			if why := textLimit(v); why != "" {
				bad(field, why)
				return false
			}
		case []any:
			if depth >= MaxDepth {
				bad(field, fmt.Sprintf("is nested more than %d levels deep inside %s; flatten it", MaxDepth, rootOf(field)))
				return false
			}
			for i, item := range v {
				if !walk(fmt.Sprintf("%s[%d]", field, i), item, depth+1) {
					return false
				}
			}
		case map[string]any:
			if depth >= MaxDepth {
				bad(field, fmt.Sprintf("is nested more than %d levels deep inside %s; flatten it", MaxDepth, rootOf(field)))
				return false
			}
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				size += len(k)
				if why := TextProblem(k); why != "" {
					bad(field, "has a key that "+why)
					return false
				}
				if len(k) > 200 {
					bad(field, fmt.Sprintf("has a key of %d bytes; the limit is 200", len(k)))
					return false
				}
				if !walk(field+"."+k, v[k], depth+1) {
					return false
				}
			}
		default:
			size += 8 // a number, true, false or null
		}
		if size > MaxFreeFormBytes {
			bad(rootOf(field), fmt.Sprintf("holds more than %d KiB of keys and values; the limit is %d KiB", MaxFreeFormBytes>>10, MaxFreeFormBytes>>10))
			return false
		}
		return true
	}
	walk(field, m, 0)
}

// rootOf is the free-form map a path is in: "person.attributes" for
// "person.attributes.a.b", "events[2].props" for "events[2].props.x".
func rootOf(field string) string {
	for _, root := range []string{".attributes", ".props"} {
		if i := strings.Index(field, root); i >= 0 {
			return field[:i+len(root)]
		}
	}
	return field
}
