package intake

import (
	"encoding/json"
	"slices"
	"unicode/utf8"

	"github.com/pistahq/pista/internal/lead"
)

// fillPerson and fillCompany are fill without JSON for the people and
// companies fill meets in practice (an untrusted known person's inquiry
// spent a fifth of its processor time in fill's JSON): field by field,
// with the same outcome and the same reported values as through JSON.
// They report false, changing nothing, for what JSON would alter on the
// way (text that is not UTF-8, an integer beyond float64's exact range, a
// currency in lower case, attributes the fast reader declines); fill then
// goes through JSON. A field added to Person or Company must be added
// here too: TestFillAsThroughEncodingJSON fills every field at random and
// fails until it is.
func fillPerson(dst, src *lead.Person, prefix string, reported map[string]any) bool {
	return fillFields(plainPerson(dst) && plainPerson(src), &dst.Attributes, src.Attributes, prefix, reported, func(f filler) {
		f.text(&dst.Email, src.Email, "email")
		f.text(&dst.FirstName, src.FirstName, "first_name")
		f.text(&dst.LastName, src.LastName, "last_name")
		f.text(&dst.Phone, src.Phone, "phone")
		f.text(&dst.Title, src.Title, "title")
		f.text(&dst.Seniority, src.Seniority, "seniority")
		f.text(&dst.Department, src.Department, "department")
		f.text(&dst.Gender, src.Gender, "gender")
		f.number(&dst.Age, src.Age, "age")
		f.text(&dst.Education, src.Education, "education")
		f.number(&dst.YearsExperience, src.YearsExperience, "years_experience")
		f.money(&dst.Income, src.Income, "income")
		f.list(&dst.Specialties, src.Specialties, "specialties")
		f.text(&dst.Country, src.Country, "country")
		f.text(&dst.Region, src.Region, "region")
		f.text(&dst.City, src.City, "city")
		f.text(&dst.Language, src.Language, "language")
	})
}

// fillCompany: see fillPerson.
func fillCompany(dst, src *lead.Company, prefix string, reported map[string]any) bool {
	return fillFields(plainCompany(dst) && plainCompany(src), &dst.Attributes, src.Attributes, prefix, reported, func(f filler) {
		f.text(&dst.Name, src.Name, "name")
		f.text(&dst.Domain, src.Domain, "domain")
		f.text(&dst.Industry, src.Industry, "industry")
		f.number(&dst.Employees, src.Employees, "employees")
		f.money(&dst.Revenue, src.Revenue, "revenue")
		f.text(&dst.Country, src.Country, "country")
		f.number(&dst.Divisions, src.Divisions, "divisions")
		f.list(&dst.Products, src.Products, "products")
		f.list(&dst.Markets, src.Markets, "markets")
		f.list(&dst.Rankings, src.Rankings, "rankings")
	})
}

// fillFields is fillPerson's and fillCompany's order: nothing unless both
// sides are plain and their attributes are read back from JSON; then the
// attributes filled, and the other fields by fields.
func fillFields(plain bool, dst *map[string]any, src map[string]any, prefix string, reported map[string]any, fields func(filler)) bool {
	if !plain {
		return false
	}
	attrs, ok := filledAttributes(*dst, src, prefix, reported)
	if !ok {
		return false
	}
	*dst = attrs
	fields(filler{prefix, reported})
	return true
}

func plainPerson(p *lead.Person) bool {
	return plainTexts(p.Email, p.FirstName, p.LastName, p.Phone, p.Title, p.Seniority, p.Department, p.Gender,
		p.Education, p.Country, p.Region, p.City, p.Language) && plainTexts(p.Specialties...) &&
		exactNumber(p.Age) && exactNumber(p.YearsExperience) && p.Income.Canonical()
}

func plainCompany(c *lead.Company) bool {
	return plainTexts(c.Name, c.Domain, c.Industry, c.Country) && plainTexts(c.Products...) &&
		plainTexts(c.Markets...) && plainTexts(c.Rankings...) &&
		exactNumber(c.Employees) && exactNumber(c.Divisions) && c.Revenue.Canonical()
}

// plainTexts reports texts that JSON carries unchanged (valid UTF-8).
func plainTexts(texts ...string) bool {
	for _, t := range texts {
		if !utf8.ValidString(t) {
			return false
		}
	}
	return true
}

// exactNumber reports an integer that a float64, as JSON is read into an
// object, holds exactly.
func exactNumber(n int) bool { return n >= -1<<53 && n <= 1<<53 }

// filler fills a field when the known one is blank (what JSON omits) and
// reports the value sent when both are given and differ, keyed by prefix
// and JSON name, with the value as fillMap reports it from JSON.
type filler struct {
	prefix   string
	reported map[string]any
}

func (f filler) text(dst *string, src, name string) {
	switch {
	case src == "" || src == *dst:
	case *dst == "":
		*dst = src
	default:
		f.reported[f.prefix+name] = src
	}
}

func (f filler) number(dst *int, src int, name string) {
	switch {
	case src == 0 || src == *dst:
	case *dst == 0:
		*dst = src
	default:
		f.reported[f.prefix+name] = float64(src)
	}
}

// money compares an amount and its currency whole (isValue); JSON does
// not carry Base.
func (f filler) money(dst *lead.Money, src lead.Money, name string) {
	dst.Base = 0
	switch {
	case src.IsZero() || (src.Amount == dst.Amount && src.Currency == dst.Currency):
	case dst.IsZero():
		*dst = lead.Money{Amount: src.Amount, Currency: src.Currency}
	default:
		v := map[string]any{"amount": src.Amount}
		if src.Currency != "" {
			v["currency"] = src.Currency
		}
		f.reported[f.prefix+name] = v
	}
}

// list fills a list only when the known one is empty; lists compare whole.
func (f filler) list(dst *[]string, src []string, name string) {
	switch {
	case len(src) == 0 || slices.Equal(src, *dst):
	case len(*dst) == 0:
		*dst = slices.Clone(src)
	default:
		v := make([]any, len(src))
		for i, s := range src {
			v[i] = s
		}
		f.reported[f.prefix+name] = v
	}
	if len(*dst) == 0 {
		*dst = nil // as JSON omits it
	}
}

// filledAttributes fills the known attributes from those sent key by key
// (fillMap, on both as read back from JSON), reporting into reported, and
// returns the result; false if either side is not JSON the fast reader
// takes, leaving reported as it was.
func filledAttributes(dst, src map[string]any, prefix string, reported map[string]any) (map[string]any, bool) {
	if len(dst) == 0 && len(src) == 0 {
		return nil, true
	}
	d, ok := jsonObject(dst)
	if !ok {
		return nil, false
	}
	s, ok := jsonObject(src)
	if !ok {
		return nil, false
	}
	outer := map[string]any{}
	if d != nil {
		outer["attributes"] = d
	}
	if s != nil {
		fillMap(outer, map[string]any{"attributes": s}, prefix, reported)
	}
	out, _ := outer["attributes"].(map[string]any)
	return out, true
}

// jsonObject is m as read back from JSON without reflection (nil when
// empty, as JSON omits it).
func jsonObject(m map[string]any) (map[string]any, bool) {
	if len(m) == 0 {
		return nil, true
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, false
	}
	return fastMap(b)
}
