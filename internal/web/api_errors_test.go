package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestAPIErrors: every refusal is problem JSON with the right status,
// names the bad field when there is one, and is never a 500.
func TestAPIErrors(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		var l inquiryResult
		e.mustCall(201, &l, "integration", "POST", "/api/v1/inquiries", laura())
		qualify := fmt.Sprintf("/api/v1/leads/%d/qualification", l.LeadID)
		valid := func(edit func(in map[string]any)) map[string]any {
			in := laura()
			edit(in)
			return in
		}
		person := func(in map[string]any) map[string]any { return in["person"].(map[string]any) }
		company := func(in map[string]any) map[string]any { return in["company"].(map[string]any) }
		big := `{"person": {"first_name": "` + strings.Repeat("x", 1<<20) + `"}}`
		deep := `{"person": {"attributes": {"x": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}}}`

		cases := []struct {
			name         string
			role         string
			method, path string
			body         any
			headers      []string
			status       int
			field        string // a field the problem must name, if any
		}{
			{name: "no token", method: "GET", path: "/api/v1/leads", status: 401},
			{name: "not a bearer token", method: "GET", path: "/api/v1/leads", headers: []string{"Authorization", "Basic dXNlcjpwYXNz"}, status: 401},
			{name: "unknown token", role: "pst_not_a_token", method: "GET", path: "/api/v1/leads", status: 401},
			{name: "rep may not submit inquiries", role: "rep", method: "POST", path: "/api/v1/inquiries", body: laura(), status: 403},
			{name: "integration may not qualify", role: "integration", method: "POST", path: qualify, body: map[string]any{"by": "x"}, status: 403},
			{name: "bdr may not define", role: "bdr", method: "PUT", path: "/api/v1/forms/contacto", body: map[string]any{}, status: 403},
			{name: "unknown field", role: "integration", method: "POST", path: "/api/v1/inquiries",
				body: valid(func(in map[string]any) { in["persona"] = map[string]any{} }), status: 422, field: "persona"},
			{name: "wrong type", role: "integration", method: "POST", path: "/api/v1/inquiries",
				body: valid(func(in map[string]any) { company(in)["employees"] = "many" }), status: 422, field: "company.employees"},
			{name: "wrong type of object", role: "integration", method: "POST", path: "/api/v1/inquiries",
				body: valid(func(in map[string]any) { in["person"] = "Laura" }), status: 422, field: "person"},
			{name: "number too big", role: "integration", method: "POST", path: "/api/v1/inquiries",
				body: valid(func(in map[string]any) { company(in)["employees"] = 1e30 }), status: 422, field: "company.employees"},
			{name: "negative employees", role: "integration", method: "POST", path: "/api/v1/inquiries",
				body: valid(func(in map[string]any) { company(in)["employees"] = -3 }), status: 422, field: "company.employees"},
			{name: "unknown source format", role: "integration", method: "POST", path: "/api/v1/inquiries",
				body: valid(func(in map[string]any) { in["source"] = map[string]any{"format": "carrier_pigeon"} }), status: 422, field: "source.format"},
			{name: "no action", role: "integration", method: "POST", path: "/api/v1/inquiries",
				body: valid(func(in map[string]any) { delete(in, "action") }), status: 422, field: "action.type"},
			{name: "no way to reach", role: "integration", method: "POST", path: "/api/v1/inquiries",
				body: valid(func(in map[string]any) { delete(person(in), "email"); delete(person(in), "phone") }), status: 422, field: "person.email"},
			{name: "name too long", role: "integration", method: "POST", path: "/api/v1/inquiries",
				body: valid(func(in map[string]any) { person(in)["first_name"] = strings.Repeat("a", 10_001) }), status: 422, field: "person.first_name"},
			{name: "invalid JSON", role: "integration", method: "POST", path: "/api/v1/inquiries", body: `{"person": `, status: 422},
			{name: "broken JSON", role: "integration", method: "POST", path: "/api/v1/inquiries", body: `{"person": {]}`, status: 422},
			{name: "empty body", role: "integration", method: "POST", path: "/api/v1/inquiries", body: ``, status: 422},
			{name: "two JSON values", role: "integration", method: "POST", path: "/api/v1/inquiries", body: `{} {}`, status: 422},
			{name: "a JSON list", role: "integration", method: "POST", path: "/api/v1/inquiries", body: `[]`, status: 422},
			{name: "JSON null", role: "integration", method: "POST", path: "/api/v1/inquiries", body: `null`, status: 422, field: "action.type"},
			{name: "nested too deep", role: "integration", method: "POST", path: "/api/v1/inquiries", body: deep, status: 422},
			{name: "not JSON", role: "integration", method: "POST", path: "/api/v1/inquiries", body: `email=a@b.co`,
				headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415},
			{name: "body over 1 MiB", role: "integration", method: "POST", path: "/api/v1/inquiries", body: big, status: 413},
			{name: "Idempotency-Key too long", role: "integration", method: "POST", path: "/api/v1/inquiries", body: laura(),
				headers: []string{"Idempotency-Key", strings.Repeat("k", 300)}, status: 422, field: "Idempotency-Key"},
			{name: "qualification of wrong type", role: "bdr", method: "POST", path: qualify,
				body: map[string]any{"by": "x", "timing_months": "soon"}, status: 422, field: "timing_months"},
			{name: "events of wrong type", role: "integration", method: "POST", path: "/api/v1/events",
				body: map[string]any{"events": map[string]any{"type": "page_view"}}, status: 422, field: "events"},
			{name: "definition flag of wrong type", role: "marketing", method: "POST", path: "/api/v1/definitions",
				body: map[string]any{"source": "name: x", "activate": "yes"}, status: 422, field: "activate"},
			{name: "unknown API route", role: "admin", method: "GET", path: "/api/v1/nothing", status: 404},
			{name: "unknown route without token", method: "GET", path: "/nothing/here", status: 404},
			{name: "lead ID not a number", role: "rep", method: "GET", path: "/api/v1/leads/abc", status: 404},
			{name: "lead ID zero", role: "rep", method: "GET", path: "/api/v1/leads/0", status: 404},
			{name: "lead ID too big", role: "rep", method: "GET", path: "/api/v1/leads/99999999999999999999", status: 404},
			{name: "unknown merge", role: "admin", method: "POST", path: "/api/v1/merges/12345/undo", status: 404},
			{name: "unknown form", method: "POST", path: "/f/nope", body: "email=a@b.co", headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 404},
			{name: "unknown form stamp", method: "GET", path: "/f/nope/stamp", status: 404},
			{name: "unknown form config", role: "rep", method: "GET", path: "/api/v1/forms/nope", status: 404},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e := e.as(t)
				r := e.call(c.role, c.method, c.path, c.body, c.headers...)
				if r.Status >= 500 {
					t.Fatalf("%s %s: %s", c.method, c.path, r)
				}
				var fields []string
				if c.field != "" {
					fields = append(fields, c.field)
				}
				p := checkProblem(t, r, c.status, fields...)
				if c.status == 401 && !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("401 without WWW-Authenticate: Bearer: %q", r.Header.Get("WWW-Authenticate"))
				}
				if p.Instance != "" && p.Instance != strings.SplitN(c.path, "?", 2)[0] {
					t.Errorf("instance %q for %s", p.Instance, c.path)
				}
				if testing.Verbose() {
					t.Logf("%s %s → %s", c.method, c.path, bytes.TrimSpace(r.Body))
				}
			})
		}
		// None of that stored anything.
		if n := len(e.leads("")); n != 1 {
			t.Errorf("%d leads after refused requests, want 1", n)
		}
		// A role's token keeps working after another was refused.
		e.mustCall(200, nil, "rep", "GET", "/api/v1/leads", nil)
		if r := e.call("", "GET", "/healthz", nil); r.Status != http.StatusOK {
			t.Errorf("healthz: %s", r)
		}
	})
}
