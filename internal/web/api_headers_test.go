package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/store/storetest"
)

// Every response carries the security headers, with a policy that fits
// what it is; the Bearer scheme is read in any case.
func TestSecurityHeadersAndBearerCase(t *testing.T) {
	e := startAPI(t, storetest.Targets()[0])
	e.mustCall(200, nil, "marketing", "PUT", "/api/v1/forms/contacto", contacto(""))
	for _, c := range []struct{ role, method, path, contentType string }{
		{"rep", "GET", "/api/v1/leads", "application/json"},
		{"", "GET", "/api/v1/leads", "application/problem+json"},
		{"", "GET", "/healthz", ""},
		{"", "GET", "/f/contacto/stamp", "text/plain; charset=utf-8"},
		{"", "GET", "/f/contacto/snippet", "text/html; charset=utf-8"}, // an HTML fragment, without its script running here
		{"", "GET", "/no/such/page", "application/problem+json"},
	} {
		r := e.call(c.role, c.method, c.path, nil)
		csp := r.Header.Get("Content-Security-Policy")
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("X-Frame-Options") != "DENY" ||
			!strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "script-src 'unsafe-inline'") {
			t.Errorf("%s %s: headers %v", c.method, c.path, r.Header)
		}
		if ct := r.Header.Get("Content-Type"); c.contentType != "" && ct != c.contentType {
			t.Errorf("%s %s: Content-Type %q, want %q", c.method, c.path, ct, c.contentType)
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") && csp != "default-src 'none'; frame-ancestors 'none'" {
			t.Errorf("%s %s: policy %q for what is not a page", c.method, c.path, csp)
		}
	}
	for _, scheme := range []string{"bearer", "BEARER", "Bearer"} {
		req, _ := http.NewRequest("GET", e.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", scheme+" pst_test_rep")
		if r := e.send(req); r.Status != 200 {
			t.Errorf("%s: %s", scheme, r)
		}
	}
}
