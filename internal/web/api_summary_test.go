package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// summaryDefinition scores a CRM export's summary counters as engagement
// and a fit rule's points from a formula.
const summaryDefinition = `name: Cursos en línea
timezone: America/Bogota
lead:
  when: inquiry
fit:
  - {name: experiencia, points: 'person.years_experience * 2'}
engagement:
  half_life: 30d
  rules:
    - {name: visitas, counter: person.attributes.total_visits, points: 2, max: 20}
    - {name: minutos, counter: person.attributes.time_on_site_minutes, points: 0.5, max: 10}
    - {name: profundidad, points: '(person.attributes.page_views_per_visit ?? 0) * 2', max: 8}
bands:
  - {name: A, from: 20, action: route}
  - {name: C, action: nurture, recontact: 8w}
`

// TestSummaryCountersThroughAPI: an inquiry carrying total visits, minutes
// on site and page views per visit gets engagement from them, faded from
// its action's date; the explanation (JSON and text) gives each rule's
// points and the values it read.
func TestSummaryCountersThroughAPI(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		var created struct {
			Definition struct {
				ID int64 `json:"id"`
			} `json:"definition"`
		}
		e.mustCall(201, &created, "marketing", "POST", "/api/v1/definitions", map[string]any{"name": "cursos.yaml", "source": summaryDefinition, "activate": true})
		e.waitReevaluation(created.Definition.ID)

		at := e.Clock.Now().Add(-30 * 24 * time.Hour)
		var res inquiryResult
		e.mustCall(201, &res, "integration", "POST", "/api/v1/inquiries", map[string]any{
			"person": map[string]any{"email": "sofia@colegio.edu.co", "first_name": "Sofía", "last_name": "Mejía", "years_experience": 3,
				"attributes": map[string]any{"total_visits": 7, "time_on_site_minutes": "24", "page_views_per_visit": 3.5}},
			"action": map[string]any{"type": "content_download", "at": at.Format(time.RFC3339)},
		})
		var l struct {
			Evaluation struct {
				Fit         float64 `json:"fit"`
				Engagement  float64 `json:"engagement"`
				Explanation []struct {
					Kind   string  `json:"kind"`
					Rule   string  `json:"rule"`
					Points float64 `json:"points"`
					Note   string  `json:"note"`
					Inputs []struct {
						Name  string `json:"name"`
						Value any    `json:"value"`
					} `json:"inputs"`
				} `json:"explanation"`
			} `json:"evaluation"`
		}
		e.mustCall(200, &l, "rep", "GET", fmt.Sprintf("/api/v1/leads/%d", res.LeadID), nil)
		// 30 days old with a 30-day half-life: half of 7 × 2, of 24 × 0.5
		// and of 3.5 × 2 (7, 6 and 3.5), which is 16.5 in all.
		if ev := l.Evaluation; ev.Fit != 6 || ev.Engagement != 16.5 {
			t.Fatalf("fit %v engagement %v, want 6 and 16.5: %+v", ev.Fit, ev.Engagement, ev.Explanation)
		}
		want := map[string]struct {
			points float64
			input  string
			value  float64
		}{
			"experiencia": {6, "person.years_experience", 3},
			"visitas":     {7, "person.attributes.total_visits", 7},
			"minutos":     {6, "person.attributes.time_on_site_minutes", 24},
			"profundidad": {3.5, "person.attributes.page_views_per_visit", 3.5},
		}
		seen := 0
		for _, s := range l.Evaluation.Explanation {
			w, ok := want[s.Rule]
			if !ok {
				continue
			}
			seen++
			if s.Points != w.points || len(s.Inputs) != 1 || s.Inputs[0].Name != w.input || s.Inputs[0].Value != w.value {
				t.Errorf("%s: %+v, want %v points from %s = %v", s.Rule, s, w.points, w.input, w.value)
			}
		}
		if seen != len(want) {
			t.Errorf("%d of %d rules in the explanation: %+v", seen, len(want), l.Evaluation.Explanation)
		}
		r := e.call("rep", "GET", fmt.Sprintf("/api/v1/leads/%d/explanation?format=text", res.LeadID), nil)
		text := string(r.Body)
		day := at.In(bogota).Format(time.DateOnly)
		for _, line := range []string{
			"+6 experiencia (= person.years_experience * 2 with person.years_experience = 3)",
			"+7 visitas (person.attributes.total_visits = 7 × 2 points, counted at " + day + ", faded to 50%)",
			"+3.5 profundidad (= (person.attributes.page_views_per_visit ?? 0) * 2 with person.attributes.page_views_per_visit = 3.5, counted at " + day + ", faded to 50%)",
		} {
			if r.Status != 200 || !strings.Contains(text, line) {
				t.Errorf("text explanation lacks %q:\n%s", line, r)
			}
		}
	})
}
