package web_test

import (
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestAPIRegressions holds the checks for bugs the scenario tests found
// and that were fixed: each names the behaviour it protects.
func TestAPIRegressions(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		var l inquiryResult
		e.mustCall(201, &l, "integration", "POST", "/api/v1/inquiries", laura())

		t.Run("a retry answered inside the group commit says Idempotent-Replayed", func(t *testing.T) {
			e := e.as(t)
			const n = 20
			var wg sync.WaitGroup
			replayed := make([]bool, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := e.call("integration", "POST", "/api/v1/inquiries", laura(), "Idempotency-Key", "storm")
					replayed[i] = r.Header.Get("Idempotent-Replayed") == "true"
				}()
			}
			wg.Wait()
			if got := slices.Index(replayed, false); got < 0 || slices.Contains(replayed[got+1:], false) {
				t.Errorf("want exactly one first answer and %d replays, got %v", n-1, replayed)
			}
		})
		t.Run("a known path with another method is 405 with Allow", func(t *testing.T) {
			e := e.as(t)
			r := e.call("admin", "DELETE", "/api/v1/leads", nil)
			checkProblem(t, r, 405)
			if r.Header.Get("Allow") == "" {
				t.Errorf("no Allow header")
			}
		})
		t.Run("an unknown nested field is named by its path", func(t *testing.T) {
			e := e.as(t)
			in := laura()
			in["person"].(map[string]any)["emial"] = "x"
			checkProblem(t, e.call("integration", "POST", "/api/v1/inquiries", in), 422, "person.emial")
		})
		t.Run("a bad time names its field", func(t *testing.T) {
			e := e.as(t)
			in := laura()
			in["action"] = map[string]any{"type": "price_request", "at": "yesterday"}
			checkProblem(t, e.call("integration", "POST", "/api/v1/inquiries", in), 422, "action.at")
		})
		t.Run("a body of the wrong JSON type names no empty field", func(t *testing.T) {
			e := e.as(t)
			p := checkProblem(t, e.call("integration", "POST", "/api/v1/inquiries", `[]`), 422)
			for _, f := range p.Errors {
				if f.Name == "" {
					t.Errorf("an error with an empty name: %+v", p)
				}
			}
		})
		t.Run("a bad form config lists the bad fields", func(t *testing.T) {
			e := e.as(t)
			c := contacto("")
			c["thank_you_url"] = "ftp://example.com/"
			checkProblem(t, e.call("admin", "PUT", "/api/v1/forms/contacto", c), 422, "thank_you_url")
		})
		t.Run("a bad qualification names the body's own field", func(t *testing.T) {
			e := e.as(t)
			p := checkProblem(t, e.call("bdr", "POST", fmt.Sprintf("/api/v1/leads/%d/qualification", l.LeadID), map[string]any{"by": "x", "need": "desperate"}), 422, "need")
			if strings.Contains(p.Detail, "inquiry") {
				t.Errorf("a qualification problem speaks of an inquiry: %q", p.Detail)
			}
		})

		e.mustCall(200, nil, "marketing", "PUT", "/api/v1/forms/contacto", contacto("https://example.com/contacto"))
		t.Run("a form body over 1 MiB is 413", func(t *testing.T) {
			e := e.as(t)
			r := e.postForm(t, url.Values{"email": {"big@example.com"}, "mensaje": {strings.Repeat("x", 1<<20)}})
			checkProblem(t, r, 413)
		})
		t.Run("a form whose e-mail is unusable goes to error_url", func(t *testing.T) {
			e := e.as(t)
			e.Clock.Advance(10 * time.Second)
			r := e.postForm(t, url.Values{"email": {"juana at andes"}, "_pista_ts": {e.stamp(t)}})
			if r.Status != 303 || !strings.HasPrefix(r.Header.Get("Location"), "https://example.com/contacto?") {
				t.Errorf("want 303 to the error page, got %s", r)
			}
		})
		t.Run("q matches text, not LIKE wildcards", func(t *testing.T) {
			e := e.as(t)
			if got := e.leads(query("q", "%")); len(got) != 0 {
				t.Errorf("q=%% lists %d leads", len(got))
			}
		})
		t.Run("undoing an earlier merge keeps what a later merge brought", func(t *testing.T) {
			e := e.as(t)
			// Laura: merge 1 by e-mail changes her title, merge 2 by phone
			// adds her city. Undoing merge 1 must keep the city.
			in := laura()
			in["person"].(map[string]any)["title"] = "SVP Quality"
			in["action"] = map[string]any{"type": "webinar_attended"}
			var m1, m2 inquiryResult
			e.Clock.Advance(time.Minute)
			e.mustCall(200, &m1, "integration", "POST", "/api/v1/inquiries", in)
			in = laura()
			delete(in["person"].(map[string]any), "title")
			in["person"].(map[string]any)["email"] = "lchen@gmail.com"
			in["person"].(map[string]any)["city"] = "Boston"
			in["action"] = map[string]any{"type": "contact_form"}
			e.Clock.Advance(time.Minute)
			e.mustCall(200, &m2, "integration", "POST", "/api/v1/inquiries", in)
			e.mustCall(200, nil, "admin", "POST", fmt.Sprintf("/api/v1/merges/%d/undo", m1.MergeID), nil)
			r := e.call("admin", "GET", fmt.Sprintf("/api/v1/leads/%d", l.LeadID), nil)
			if !strings.Contains(string(r.Body), `"city":"Boston"`) {
				t.Errorf("undoing merge %d lost the city merge %d brought: %s", m1.MergeID, m2.MergeID, r.Body)
			}
			e.mustCall(200, nil, "admin", "POST", fmt.Sprintf("/api/v1/merges/%d/undo", m2.MergeID), nil)
			if kept := e.lead(l.LeadID); kept.Person.Title != "VP Quality" {
				t.Errorf("undoing merge %d brought back the title of undone merge %d: %q", m2.MergeID, m1.MergeID, kept.Person.Title)
			}
		})
		t.Run("a junk inquiry with a known address does not overwrite the lead", func(t *testing.T) {
			e := e.as(t)
			junk := map[string]any{"person": map[string]any{"email": "laura.chen@helixbio.com", "first_name": "asdf", "last_name": "qwer"},
				"action": map[string]any{"type": "newsletter_signup"}}
			e.Clock.Advance(time.Minute)
			var m inquiryResult
			e.mustCall(200, &m, "integration", "POST", "/api/v1/inquiries", junk)
			kept := e.lead(l.LeadID)
			if kept.Person.FirstName == "asdf" || kept.Stage == "disqualified" {
				t.Errorf("junk inquiry overwrote the lead: name %q stage %s", kept.Person.FirstName, kept.Stage)
			}
		})
	})
}

// TestAdminPostsAreIdempotent: every POST honours Idempotency-Key, not
// only intake.
func TestAdminPostsAreIdempotent(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		src, err := os.ReadFile("../../examples/definitions/bant-classic.yaml")
		if err != nil {
			t.Fatal(err)
		}
		body := map[string]any{"name": "bant-classic.yaml", "source": string(src)}
		first := e.call("admin", "POST", "/api/v1/definitions", body, "Idempotency-Key", "def-1")
		second := e.call("admin", "POST", "/api/v1/definitions", body, "Idempotency-Key", "def-1")
		if first.Status != 201 || second.Status != 201 || string(first.Body) != string(second.Body) || second.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry: %d %s\n%d %s", first.Status, first.Body, second.Status, second.Body)
		}
		body["name"] = "other.yaml"
		checkProblem(t, e.call("admin", "POST", "/api/v1/definitions", body, "Idempotency-Key", "def-1"), 422)
	})
}
