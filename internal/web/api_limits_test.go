package web_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestInputLimits: oversized text, free-form maps too big or too deep,
// duplicate keys, truncated JSON and a fraction where an integer belongs
// are each refused with a 422 that names the field (or, for broken JSON,
// the byte), and nothing is stored.
func TestInputLimits(t *testing.T) {
	nested := func(levels int) any {
		var v any = "deep"
		for i := levels; i > 0; i-- {
			v = map[string]any{fmt.Sprintf("l%d", i): v}
		}
		return v
	}
	inquiry := func(edit func(in map[string]any)) map[string]any {
		in := laura()
		edit(in)
		return in
	}
	person := func(in map[string]any) map[string]any { return in["person"].(map[string]any) }
	company := func(in map[string]any) map[string]any { return in["company"].(map[string]any) }
	bigAttributes := map[string]any{}
	for i := range 1000 {
		bigAttributes[fmt.Sprintf("k%04d", i)] = strings.Repeat("v", 900)
	}
	truncated := `{"person": {"email": "laura.chen@helixbio.com"}, "action": {"type": "price_req`

	cases := []struct {
		name   string
		path   string
		body   any
		field  string // the problem names it
		reason string // and says this
	}{
		{"500 KB action.type", "/api/v1/inquiries",
			inquiry(func(in map[string]any) { in["action"] = map[string]any{"type": strings.Repeat("a", 500_000)} }), "action.type", "the limit is 10000"},
		{"900 KB of attributes", "/api/v1/inquiries",
			inquiry(func(in map[string]any) { person(in)["attributes"] = bigAttributes }), "person.attributes", "64 KiB"},
		{"a long text in attributes", "/api/v1/inquiries",
			inquiry(func(in map[string]any) {
				company(in)["attributes"] = map[string]any{"notes": strings.Repeat("n", 10_001)}
			}), "company.attributes.notes", "the limit is 10000"},
		{"attributes nested too deep", "/api/v1/inquiries",
			inquiry(func(in map[string]any) { person(in)["attributes"] = nested(7).(map[string]any) }), "person.attributes.l1.l2.l3.l4.l5", "nested more than 5 levels"},
		{"action props nested too deep", "/api/v1/inquiries",
			inquiry(func(in map[string]any) {
				in["action"] = map[string]any{"type": "price_request", "props": map[string]any{"list": []any{[]any{[]any{[]any{[]any{[]any{1}}}}}}}}
			}), "action.props.list[0][0][0][0]", "nested more than 5 levels"},
		{"event props nested too deep", "/api/v1/events",
			map[string]any{"events": []any{map[string]any{"email": "laura.chen@helixbio.com", "type": "page_view", "at": "2026-11-19T10:00:00Z",
				"props": nested(6)}}}, "events[0].props.l1.l2.l3.l4.l5", "nested more than 5 levels"},
		{"too many products", "/api/v1/inquiries",
			inquiry(func(in map[string]any) { company(in)["products"] = make([]string, 1001) }), "company.products", "the limit is 1000"},
		{"a key twice", "/api/v1/inquiries",
			`{"person": {"email": "laura.chen@helixbio.com", "first_name": "Laura", "email": "x@evil.example"}, "action": {"type": "price_request"}}`,
			"person.email", "given twice"},
		{"a key twice, written differently", "/api/v1/inquiries",
			`{"person": {"email": "laura.chen@helixbio.com"}, "action": {"type": "price_request"}, "\u0061ction": {"type": "x"}}`,
			"action", "given twice"},
		{"a key twice in a batch", "/api/v1/inquiries/batch",
			`{"inquiries": [{"person": {"email": "a@helixbio.com"}, "action": {"type": "price_request"}}, {"person": {"email": "b@helixbio.com", "phone": "1", "phone": "2"}, "action": {"type": "price_request"}}]}`,
			"inquiries[1].person.phone", "given twice"},
		{"employees 1.5", "/api/v1/inquiries",
			inquiry(func(in map[string]any) { company(in)["employees"] = 1.5 }), "company.employees", "an integer"},
	}
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		for _, c := range cases {
			p := checkProblem(t, e.call("integration", "POST", c.path, c.body), 422, c.field)
			found := false
			for _, f := range p.Errors {
				found = found || f.Name == c.field && strings.Contains(f.Reason, c.reason)
			}
			if !found {
				t.Errorf("%s: want %s with %q, got %+v", c.name, c.field, c.reason, p.Errors)
			}
		}
		// Truncated JSON names the byte where it ends.
		p := checkProblem(t, e.call("integration", "POST", "/api/v1/inquiries", truncated), 422)
		if want := fmt.Sprintf("at byte %d", len(truncated)); !strings.Contains(p.Detail, want) {
			t.Errorf("truncated JSON: want %q in %q", want, p.Detail)
		}
		var l inquiryResult
		e.mustCall(201, &l, "integration", "POST", "/api/v1/inquiries", laura())
		// Within the limits is fine: attributes five levels deep, 60 KiB.
		ok := inquiry(func(in map[string]any) {
			person(in)["email"] = "ok@helixbio.com"
			delete(person(in), "phone")
			person(in)["attributes"] = nested(5).(map[string]any)
			company(in)["attributes"] = map[string]any{"a": strings.Repeat("x", 10_000), "b": strings.Repeat("x", 10_000), "c": strings.Repeat("x", 10_000)}
		})
		e.mustCall(201, nil, "integration", "POST", "/api/v1/inquiries", ok)
		if n := len(e.leads("")); n != 2 {
			t.Errorf("%d leads, want 2: a refused inquiry was stored", n)
		}
	})
}
