package webform

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/i18n"
)

var (
	testKey = []byte("0123456789abcdef-test-key")
	testNow = time.Date(2026, 3, 2, 15, 4, 5, 0, time.UTC)
)

// testConfig is a form asking for most things, as a customer would set it up.
func testConfig() *Config {
	return &Config{
		Name:   "contacto",
		Action: "price_request",
		Fields: map[string]string{
			"nombre":    "person.name",
			"email":     "person.email",
			"telefono":  "person.phone",
			"empresa":   "company.name",
			"web":       "company.domain",
			"empleados": "company.employees",
			"ingresos":  "company.revenue",
			"pais":      "person.country",
			"cargo":     "person.title",
			"nivel":     "person.seniority",
			"mensaje":   "action.props.message",
			"producto":  "person.attributes.product",
			"sector":    "company.attributes.sector",
			"campana":   "source.campaign",
		},
		DefaultCountry: "co",
		ThankYouURL:    "https://example.com/gracias",
		ErrorURL:       "https://example.com/contacto?ref=x",
	}
}

// printer renders the catalog in the form language of tag.
func printer(t *testing.T, tag string) *i18n.Printer {
	t.Helper()
	cat, err := i18n.New("")
	if err != nil {
		t.Fatal(err)
	}
	return cat.Printer(Language(tag))
}

// form builds url.Values from "name=value" pairs, keeping repeats.
func form(pairs ...string) url.Values {
	v := url.Values{}
	for _, p := range pairs {
		k, val, _ := strings.Cut(p, "=")
		v.Add(k, val)
	}
	return v
}

// stamped adds a valid timestamp rendered ago before testNow.
func stamped(v url.Values, ago time.Duration) url.Values {
	v.Set(DefaultTimestampField, Stamp(testKey, testNow.Add(-ago)))
	return v
}

// get reads a value of a Submission by a short path, for table tests.
func get(t *testing.T, s Submission, path string) string {
	t.Helper()
	l := s.Lead
	var props map[string]any
	if len(l.Actions) == 1 {
		props = l.Actions[0].Props
	}
	if k, ok := strings.CutPrefix(path, "props."); ok {
		return fmt.Sprint(props[k])
	}
	if k, ok := strings.CutPrefix(path, "unmapped."); ok {
		return s.Unmapped[k]
	}
	if k, ok := strings.CutPrefix(path, "person.attributes."); ok {
		return fmt.Sprint(l.Person.Attributes[k])
	}
	if k, ok := strings.CutPrefix(path, "company.attributes."); ok {
		return fmt.Sprint(l.Company.Attributes[k])
	}
	switch path {
	case "company.employees":
		return fmt.Sprint(l.Company.Employees)
	case "company.revenue":
		return fmt.Sprintf("%v %s", l.Company.Revenue.Amount, l.Company.Revenue.Currency)
	case "source.format":
		return l.Source.Format
	case "missing":
		return strings.Join(s.Missing, ",")
	case "suspicious":
		return strings.Join(s.Suspicious, ",")
	case "notes":
		return strings.Join(s.Notes, "\n")
	case "action":
		return l.Actions[0].Type + "@" + l.Actions[0].At.Format(time.RFC3339)
	}
	if p := text(&l, path); p != nil {
		return *p
	}
	t.Fatalf("test bug: unknown path %q", path)
	return ""
}
