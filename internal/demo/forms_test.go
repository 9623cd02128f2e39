package demo_test

import (
	"testing"

	"github.com/pistahq/pista/internal/demo"
)

// TestFormsValid: the demo's web forms are valid, titled in the three
// languages, and cover every form an inquiry says it came through.
func TestFormsValid(t *testing.T) {
	names := map[string]bool{}
	for _, f := range demo.Forms() {
		if err := f.Validate(); err != nil {
			t.Errorf("form %s: %v", f.Name, err)
		}
		for _, l := range []string{"es", "pt", "en"} {
			if f.Title[l] == "" {
				t.Errorf("form %s has no title in %s", f.Name, l)
			}
		}
		names[f.Name] = true
	}
	for _, a := range []string{"price_request", "demo_request", "contact_form", "content_download", "newsletter_signup", "webinar_registered", "webinar_attended"} {
		if n := demo.FormOf("web_form", a); !names[n] {
			t.Errorf("inquiries of %s come through form %q, which the demo does not create", a, n)
		}
	}
}
