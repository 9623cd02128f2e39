package ui_test

import (
	"net/http"
	"net/url"
	stdregexp "regexp"
	"strings"
	"testing"
)

// TestSignInAndBack: an unsigned visit to a page of the app goes to
// /login and, after signing in, back to that page.
func TestSignInAndBack(t *testing.T) {
	e := newEnv(t)
	b := e.client()
	res := b.get("/app/queue?band=caliente")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Fapp%2Fqueue%3Fband%3Dcaliente" {
		t.Fatalf("unsigned: %d %s", res.Status, res.Header.Get("Location"))
	}
	login := b.get(res.Header.Get("Location"))
	for _, want := range []string{`name="email"`, `name="password"`, `name="csrf"`, `value="/app/queue?band=caliente"`} {
		if !strings.Contains(login.Body, want) {
			t.Errorf("the sign-in page has no %s", want)
		}
	}
	// The language links keep where to go after signing in.
	for _, lang := range []string{"es", "pt", "en"} {
		want := `href="/login?lang=` + lang + `&amp;next=%2Fapp%2Fqueue%3Fband%3Dcaliente"`
		if !strings.Contains(login.Body, want) {
			t.Errorf("the %s link does not keep next: no %s", lang, want)
		}
	}
	bad := b.post("/login", url.Values{"csrf": {login.csrf()}, "email": {"rita@instrumentos.example"}, "password": {"wrong-password-1"}, "next": {"/app/queue?band=caliente"}})
	if bad.Status != http.StatusUnauthorized || !strings.Contains(bad.Body, "The e-mail or the password is not right") && !strings.Contains(bad.Body, "El correo o la contraseña no son correctos") {
		t.Fatalf("wrong password: %d", bad.Status)
	}
	if want := `href="/login?lang=pt&amp;next=%2Fapp%2Fqueue%3Fband%3Dcaliente"`; !strings.Contains(bad.Body, want) {
		t.Errorf("after a wrong password the language link lost next: no %s", want)
	}
	ok := b.post("/login", url.Values{"csrf": {bad.csrf()}, "email": {"rita@instrumentos.example"}, "password": {password}, "next": {"/app/queue?band=caliente"}})
	if ok.Status != http.StatusSeeOther || ok.Header.Get("Location") != "/app/queue?band=caliente" {
		t.Fatalf("sign-in: %d %s", ok.Status, ok.Header.Get("Location"))
	}
	q := b.get("/app/queue?band=caliente")
	if q.Status != 200 || !strings.Contains(q.Body, "Rita Rep") || !strings.Contains(q.Body, `class="user-role">rep<`) {
		t.Fatalf("queue: %d, header names no user and role", q.Status)
	}
	// A next that leaves the app is ignored.
	b2 := e.client()
	l2 := b2.get("/login")
	res = b2.post("/login", url.Values{"csrf": {l2.csrf()}, "email": {"rita@instrumentos.example"}, "password": {password}, "next": {"//evil.example/"}})
	if res.Header.Get("Location") != "/app/" {
		t.Errorf("next to another site: %s", res.Header.Get("Location"))
	}
	// Sign-out ends the session on the server.
	out := b.post("/logout", url.Values{"csrf": {q.csrf()}})
	if out.Status != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", out.Status)
	}
	if res := b.get("/app/queue"); res.Status != http.StatusSeeOther {
		t.Errorf("after sign-out: %d", res.Status)
	}
}

// TestHeadersAndCSRF: every page sends the security headers; a POST
// without the session's CSRF token is refused with 403.
func TestHeadersAndCSRF(t *testing.T) {
	e := newEnv(t)
	b := e.client()
	b.signIn("rita")
	q := b.get("/app/queue")
	csp := q.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP: %q", csp)
	}
	if q.Header.Get("X-Content-Type-Options") != "nosniff" || q.Header.Get("Referrer-Policy") == "" {
		t.Errorf("headers: %v", q.Header)
	}
	for _, form := range []url.Values{{}, {"csrf": {"forged"}}} {
		res := b.post("/logout", form)
		if res.Status != http.StatusForbidden {
			t.Errorf("sign-out with csrf %q: %d", form.Get("csrf"), res.Status)
		}
	}
	if res := b.post("/login", url.Values{"email": {"rita@instrumentos.example"}, "password": {password}}); res.Status != http.StatusForbidden {
		t.Errorf("sign-in without the CSRF token: %d", res.Status)
	}
	if res := b.get("/app/queue"); res.Status != 200 {
		t.Errorf("the refused POSTs signed out: %d", res.Status)
	}
	// Static files under content-hashed URLs.
	css := find(`href="(/static/css/app\.[0-9a-f]{12}\.css)"`, q.Body)
	if css == "" {
		t.Fatal("no hashed stylesheet URL")
	}
	if res := b.get(css); res.Status != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("stylesheet: %d %s", res.Status, res.Header.Get("Cache-Control"))
	}
}

// TestRolesAndDeactivation: a page a role may not open is a 403 page in
// the user's language; a deactivated user's session ends at once.
func TestRolesAndDeactivation(t *testing.T) {
	e := newEnv(t)
	b := e.client()
	b.signIn("mario") // marketing, Spanish
	res := b.get("/app/queue")
	if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "No tienes permiso para ver esto") {
		t.Fatalf("marketing on the queue: %d", res.Status)
	}
	if res := b.get("/app/no-such-page"); res.Status != http.StatusNotFound || !strings.Contains(res.Body, "No encontrado") {
		t.Errorf("unknown page: %d", res.Status)
	}
	r := e.client()
	r.signIn("rui")
	rui := e.Users["rui"]
	rui.Active = false
	if err := e.DB.UpdateUser(t.Context(), rui); err != nil {
		t.Fatal(err)
	}
	if res := r.get("/app/queue"); res.Status != http.StatusSeeOther {
		t.Errorf("deactivated user's session: %d", res.Status)
	}
}

func find(pattern, s string) string {
	m := stdregexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}
