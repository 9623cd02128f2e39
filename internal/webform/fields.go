package webform

import (
	"fmt"
	"strings"

	"github.com/pistahq/pista/internal/suggest"
)

// kind says how a form value is read into its lead field.
type kind uint8

const (
	kindText      kind = iota // trimmed, one line
	kindName                  // person.name: split into first and last
	kindEmail                 // kept as typed; intake normalises
	kindPhone                 // E.164 when it can be read, else as typed
	kindCountry               // ISO alpha-2 from a code or a common name
	kindSeniority             // one of seniorities, from a small synonym table
	kindDomain                // host only, lower case
	kindEmployees             // lower bound of "50-200", "1.200", "1000+"
	kindMoney                 // lead.ParseMoney
	kindChannel               // lower case
	kindAttr                  // person.attributes.<key>, company.attributes.<key>
	kindProp                  // action.props.<key>
)

// leadFields lists every fixed lead field path a form field can fill, in the
// order Snippet renders them. The prefixes below add the free-form maps.
var leadFields = []struct {
	path string
	kind kind
}{
	{"person.name", kindName},
	{"person.first_name", kindText},
	{"person.last_name", kindText},
	{"person.email", kindEmail},
	{"person.phone", kindPhone},
	{"company.name", kindText},
	{"company.domain", kindDomain},
	{"person.title", kindText},
	{"person.seniority", kindSeniority},
	{"person.department", kindText},
	{"company.industry", kindText},
	{"company.employees", kindEmployees},
	{"company.revenue", kindMoney},
	{"company.country", kindCountry},
	{"person.country", kindCountry},
	{"person.region", kindText},
	{"person.city", kindText},
	{"person.language", kindText},
	{"source.campaign", kindText},
	{"source.channel", kindChannel},
	{"source.referrer", kindText},
}

// mapPrefixes are the lead maps whose keys the form chooses.
var mapPrefixes = []string{"person.attributes.", "company.attributes.", "action.props."}

// reservedProps are action.props keys Map writes itself.
var reservedProps = []string{propSpam, propNotes, propExtra, propForm}

const (
	propSpam  = "spam_signals" // Suspicious, so that a stored lead keeps them
	propNotes = "form_notes"   // Notes, likewise
	propExtra = "extra_values" // second and later values of a field, by field name
	propForm  = "form"         // the form's name: reports group inquiries by it
)

// target is a parsed lead field path.
type target struct {
	path  string // as configured
	kind  kind
	order int    // position in leadFields; len(leadFields)+ for map keys
	key   string // map key for kindAttr and kindProp
}

// parseTarget reads a lead field path; the error is the message for
// Config.Validate, suggesting the nearest known path.
func parseTarget(path string) (target, error) {
	for i, f := range leadFields {
		if f.path == path {
			return target{path: path, kind: f.kind, order: i}, nil
		}
	}
	for i, p := range mapPrefixes {
		key, ok := strings.CutPrefix(path, p)
		if !ok {
			continue
		}
		if !isKey(key) {
			return target{}, fmt.Errorf("lead field %q: the key after %q must be snake_case (a-z, 0-9, _), at most 64 characters, like %sbudget_range", path, p, p)
		}
		k := kindAttr
		if p == "action.props." {
			k = kindProp
			for _, r := range reservedProps {
				if key == r {
					return target{}, fmt.Errorf("lead field %q: action.props.%s is written by pista; choose another key", path, key)
				}
			}
		}
		return target{path: path, kind: k, order: len(leadFields) + i, key: key}, nil
	}
	msg := fmt.Sprintf("unknown lead field %q", path)
	if s := suggestPath(path); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	} else {
		msg += "; use person.email, person.name, company.name, ..., person.attributes.<key>, company.attributes.<key> or action.props.<key>"
	}
	return target{}, fmt.Errorf("%s", msg)
}

// CheckPath returns nil if a field can fill the lead field path, else an
// error naming the path and suggesting the nearest known one.
func CheckPath(path string) error {
	_, err := parseTarget(path)
	return err
}

// Paths lists the fixed lead field paths a field can fill, without the
// <key> maps (person.attributes.<key>, company.attributes.<key>,
// action.props.<key>).
func Paths() []string {
	out := make([]string, len(leadFields))
	for i, f := range leadFields {
		out[i] = f.path
	}
	return out
}

// isKey reports whether s is a snake_case map key that lead definitions can
// read as person.attributes.<key> without quoting.
func isKey(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// suggest returns the known path nearest to a misspelt one, or "".
func suggestPath(path string) string {
	last := path[strings.LastIndexByte(path, '.')+1:]
	best, bestD := "", len(path)/3+1
	try := func(c string) {
		if d := suggest.Distance(path, c); d < bestD {
			best, bestD = c, d
		}
	}
	for _, f := range leadFields {
		try(f.path)
	}
	if isKey(last) {
		for _, p := range mapPrefixes {
			try(p + last)
		}
	}
	return best
}

// Targets lists the fixed lead fields a form field can fill, in the order
// forms show them; person.attributes.<key>, company.attributes.<key> and
// action.props.<key> come on top.
func Targets() []string {
	out := make([]string, len(leadFields))
	for i, f := range leadFields {
		out[i] = f.path
	}
	return out
}
