package web_test

import (
	"testing"
	"time"
)

// A person whose form submission looked like spam and who is then sent
// by an integration or by marketing, one inquiry or in a batch, is known:
// the inquiry merges into the lead and, not being a suspicious form post,
// lifts the mark, as the form sent again does (see
// TestSuspiciousFormSubmissionsStayOutOfTheQueues). A batch's known
// people are merged ahead of the writer: that path lifts it too.
func TestKnownInquiriesLiftTheSuspiciousMark(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		salesTeam(t, e)
		e.mustCall(200, nil, "marketing", "PUT", "/api/v1/forms/cotizacion", cotizacion)
		for _, c := range []struct {
			name, email, role string
			batch             bool
		}{
			{"one inquiry, marketing", "uno.reyes@helixbio.com", "marketing", false},
			{"one inquiry, integration", "dos.reyes@helixbio.com", "integration", false},
			{"a batch, marketing", "tres.reyes@helixbio.com", "marketing", true},
			{"a batch, integration", "cuatro.reyes@helixbio.com", "integration", true},
		} {
			e.quote(t, c.email, time.Second)
			e.fire()
			if l := e.suspect(t, c.email); len(l.Suspicious) == 0 {
				t.Fatalf("%s: the quick submission was not marked", c.name)
			}
			in := map[string]any{"person": map[string]any{"email": c.email, "first_name": "Dana", "last_name": "Reyes"},
				"action": map[string]any{"type": "webinar_attended"}, "source": map[string]any{"channel": "api"}}
			if c.batch {
				e.mustCall(200, nil, c.role, "POST", "/api/v1/inquiries/batch", map[string]any{"inquiries": []any{in}})
			} else {
				e.mustCall(200, nil, c.role, "POST", "/api/v1/inquiries", in) // 200: merged into a known lead
			}
			e.fire()
			if l := e.suspect(t, c.email); len(l.Suspicious) != 0 {
				t.Errorf("%s: still suspicious after a known inquiry: %v", c.name, l.Suspicious)
			}
		}
	})
}
