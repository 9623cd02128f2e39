package ui_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// Five wrong passwords for one account from one address make the sixth
// try wait: 429 with Retry-After, and the page says for how long, even
// with the right password.
func TestSignInLimitAnswers429(t *testing.T) {
	e := newEnv(t)
	b := e.client()
	page := b.get("/login")
	try := func(pw string) resp {
		// Each answer is the page again, with the form's next CSRF token.
		res := b.post("/login", url.Values{"csrf": {page.csrf()}, "email": {"rita@instrumentos.example"}, "password": {pw}})
		if res.csrf() != "" {
			page = res
		}
		return res
	}
	for i := range 5 {
		if res := try("not-the-password"); res.Status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, res.Status)
		}
	}
	res := try(password)
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures: %d, want 429", res.Status)
	}
	secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || secs < 60 {
		t.Errorf("Retry-After %q, want whole minutes in seconds", res.Header.Get("Retry-After"))
	}
	if mins := strconv.Itoa(secs / 60); !strings.Contains(res.Body, "Inténtalo de nuevo en "+mins+" min") { // the server's default language
		t.Errorf("the page does not say when to try again: %s", res)
	}
}
