package ui_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/access"
)

// TestLeadPageShowsFormulaPoints: on the lead page, a rule whose points
// come from a formula shows the points it gave and the values it read, and
// a summary counter its value and date.
func TestLeadPageShowsFormulaPoints(t *testing.T) {
	e := newEnv(t)
	const tok = "pista_ui_marketing_formula_token_0123456789"
	if _, err := e.DB.InsertToken(t.Context(), "ui-marketing", access.Marketing, access.HashToken(tok), e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	def := "name: Cursos\ntimezone: America/Bogota\nlead:\n  when: inquiry\n" +
		"fit:\n  - {name: experiencia, points: 'person.years_experience * 2'}\n" +
		"engagement:\n  rules:\n    - {name: visitas, counter: person.attributes.total_visits, points: 2, max: 20}\n" +
		"bands:\n  - {name: A, from: 10, action: route}\n  - {name: C, action: nurture, recontact: 8w}\n"
	body, _ := json.Marshal(map[string]any{"name": "cursos.yaml", "source": def, "activate": true})
	req, _ := http.NewRequest("POST", e.URL+"/api/v1/definitions", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("definition: %v %v", err, res)
	}
	res.Body.Close()
	var out struct {
		LeadID int64 `json:"lead_id"`
	}
	json.Unmarshal(e.api("POST", "/api/v1/inquiries", map[string]any{
		"person": map[string]any{"email": "sofia@colegio.edu.co", "first_name": "Sofía", "last_name": "Mejía", "years_experience": 4,
			"attributes": map[string]any{"total_visits": 6}},
		"action": map[string]any{"type": "content_download", "at": e.Clock.Now().Format(time.RFC3339)},
	}), &out)
	b := e.client()
	b.signIn("mario")
	p := b.get(fmt.Sprintf("/app/leads/%d", out.LeadID))
	if p.Status != 200 {
		t.Fatalf("lead page: %s", p)
	}
	for _, want := range []string{"= person.years_experience * 2 with person.years_experience = 4",
		"person.attributes.total_visits = 6 × 2 points, counted at " + e.Clock.Now().In(bogotaZone(t)).Format(time.DateOnly)} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("the lead page lacks %q", want)
		}
	}
}

func bogotaZone(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("America/Bogota")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
