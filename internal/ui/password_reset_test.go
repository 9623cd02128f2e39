package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/access"
)

// TestPasswordResetPage: the one-time link from pista user reset-password
// lets the user choose a password once; mistakes are shown on the form.
func TestPasswordResetPage(t *testing.T) {
	e := newEnv(t)
	auth := access.NewAuth(e.DB, e.Clock.Now)
	secret, err := auth.NewPasswordLink(t.Context(), e.Users["rita"].ID)
	if err != nil {
		t.Fatal(err)
	}
	b := e.client()
	link := "/login/reset/" + secret
	p := b.get(link)
	if p.Status != 200 || !strings.Contains(p.Body, "rita@instrumentos.example") {
		t.Fatalf("link page: %s", p)
	}
	for _, c := range []struct{ pw, again string }{{"a-new-password-1", "another-one-2"}, {"short", "short"}} {
		res := b.post(link, url.Values{"csrf": {p.csrf()}, "password": {c.pw}, "again": {c.again}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `class="field-error"`) {
			t.Errorf("%q/%q: %d", c.pw, c.again, res.Status)
		}
		p = res // its form carries the new token
	}
	if res := b.post(link, url.Values{"password": {"a-new-password-1"}, "again": {"a-new-password-1"}}); res.Status != http.StatusForbidden {
		t.Errorf("without CSRF: %d", res.Status)
	}
	res := b.post(link, url.Values{"csrf": {p.csrf()}, "password": {"a-new-password-1"}, "again": {"a-new-password-1"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/login?reset=1" {
		t.Fatalf("reset: %s", res)
	}
	if _, _, err := auth.SignIn(t.Context(), "rita@instrumentos.example", "a-new-password-1", "127.0.0.1", "test"); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
	if again := b.get(link); again.Status != http.StatusNotFound {
		t.Errorf("the spent link: %d", again.Status)
	}
}
