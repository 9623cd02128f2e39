package web_test

import (
	"net/http"
	"testing"

	"github.com/pistahq/pista/internal/store/storetest"
)

// Every response carries the security headers, with a policy that fits
// what it is; the Bearer scheme is read in any case.
func TestSecurityHeadersAndBearerCase(t *testing.T) {
	e := startAPI(t, storetest.Targets()[0])
	e.mustCall(200, nil, "marketing", "PUT", "/api/v1/forms/contacto", contacto(""))
	for _, c := range []struct{ role, method, path string }{
		{"rep", "GET", "/api/v1/leads"},
		{"", "GET", "/api/v1/leads"},
		{"", "GET", "/healthz"},
		{"", "GET", "/f/contacto/stamp"},
		{"", "GET", "/f/contacto/snippet"},
		{"", "GET", "/no/such/page"},
	} {
		r := e.call(c.role, c.method, c.path, nil)
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("X-Frame-Options") != "DENY" ||
			r.Header.Get("Content-Security-Policy") != "default-src 'none'; frame-ancestors 'none'" {
			t.Errorf("%s %s: headers %v", c.method, c.path, r.Header)
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
