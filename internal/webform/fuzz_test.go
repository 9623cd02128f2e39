package webform

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pistahq/pista/internal/lead"
)

// FuzzMap feeds raw request bodies through url.ParseQuery into Map, with
// the test form and with a config that never went through Validate.
func FuzzMap(f *testing.F) {
	seeds := []string{
		"nombre=Mar%C3%ADa+Jos%C3%A9+Garc%C3%ADa+L%C3%B3pez&email=a%40b.co&telefono=300+123+4567",
		"empleados=50-200&ingresos=COP+2.500.000&pais=M%C3%A9xico",
		"website_url=x&_pista_ts=123.abc&utm_source=Google&utm_campaign=q2",
		"email=&email=b&email=c&nombre=%2C&empleados=%3C&ingresos=-5",
		"%ff=%00&telefono=%2B&pais=%E2%80%8B&web=%3A%2F%2F@",
		"nivel=C-Level&mensaje=" + strings.Repeat("a", 2000),
	}
	for _, s := range seeds {
		f.Add(s, int64(0))
	}
	good := testConfig()
	if err := good.Validate(); err != nil {
		f.Fatal(err)
	}
	raw := &Config{Fields: map[string]string{"a": "person.nam", "b": "company.employees", "c": "person.name", "d": "action.props."}}
	f.Fuzz(func(t *testing.T, body string, renderedAgoMs int64) {
		form, _ := url.ParseQuery(body)
		if len(form) > 0 {
			form.Set(DefaultTimestampField, Stamp(testKey, testNow.Add(-time.Duration(renderedAgoMs)*time.Millisecond)))
		}
		for _, c := range []*Config{good, raw} {
			s := Map(c, form, testNow, testKey)
			if len(s.Lead.Actions) != 1 {
				t.Fatalf("%d actions, want 1", len(s.Lead.Actions))
			}
			if c == good {
				if err := lead.Validate(&s.Lead, nil, nil); err != nil {
					t.Errorf("mapped lead does not validate: %v", err)
				}
			}
			for _, v := range []string{s.Lead.Person.FirstName, s.Lead.Person.LastName, s.Lead.Company.Name, s.Lead.Person.Email} {
				if !utf8.ValidString(v) || utf8.RuneCountInString(v) > maxLeadChars {
					t.Errorf("lead field %q: invalid UTF-8 or longer than %d", v, maxLeadChars)
				}
			}
			if len(s.Unmapped) > maxUnmapped {
				t.Errorf("%d unmapped fields kept", len(s.Unmapped))
			}
		}
	})
}
