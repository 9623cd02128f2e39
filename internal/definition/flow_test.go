package definition

import (
	"strings"
	"testing"
)

// TestQuestionMarkInFlowMapping: "??" (or "? :") in a one-line {…} rule
// breaks the YAML, not the expression; the error names the rule's line and
// says to quote it, and quoting it works.
func TestQuestionMarkInFlowMapping(t *testing.T) {
	const head = "name: t\nlead:\n  when: fit > 10\nfit:\n  - {name: a, when: person.seniority == \"vp\", points: 5}\n"
	const tail = "bands:\n  - {name: A, action: route}\n"
	cases := []struct {
		rule, want string
	}{
		{`  - {name: c, when: (company.country ?? person.country) == "US", points: 5}` + "\n",
			`T.yaml:6: "??" inside {…} on one line is read by YAML, not as the expression's operator: quote the expression`},
		{`  - {name: c, when: company.employees > 500 ? true : false, points: 5}  # big` + "\n",
			`T.yaml:6: "?" inside {…} on one line`},
		{`  - {name: c, when: '(company.country ?? person.country) == "US"', points: 5}` + "\n", ""},
		{"  - name: c\n    when: (company.country ?? person.country) == \"US\"\n    points: 5\n", ""},
	}
	for _, c := range cases {
		_, err := Parse("T.yaml", []byte(head+c.rule+tail))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.rule, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: err = %v, want %q", c.rule, err, c.want)
		}
	}
}
