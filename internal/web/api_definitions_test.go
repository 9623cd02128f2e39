package web_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

type definitionJSON struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	Version     string     `json:"version"`
	Hash        string     `json:"hash"`
	Source      string     `json:"source"`
	ActivatedAt *time.Time `json:"activated_at"`
	ActivatedBy string     `json:"activated_by"`
	Active      bool       `json:"active"`
}

type reevaluationJSON struct {
	ID           int64      `json:"id"`
	DefinitionID int64      `json:"definition_id"`
	Total        int64      `json:"total"`
	Done         int64      `json:"done"`
	FinishedAt   *time.Time `json:"finished_at"`
	Error        string     `json:"error"`
}

func TestAPIDefinitions(t *testing.T) {
	src, err := os.ReadFile("../../examples/definitions/instrumentos.yaml")
	if err != nil {
		t.Fatal(err)
	}
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		seedLeads(t, e, 12)

		// A typo is refused with the file and line, and changes nothing.
		typo := strings.Replace(string(src), `'person.seniority in ["vp", "svp", "c_level"]', points: 15`, `'person.senority in ["vp", "svp", "c_level"]', points: 15`, 1)
		if typo == string(src) {
			t.Fatal("the example changed; fix the typo this test makes")
		}
		p := checkProblem(t, e.call("marketing", "POST", "/api/v1/definitions", map[string]any{"name": "mine.yaml", "source": typo, "activate": true}), 422, "mine.yaml:58")
		if len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Reason, "person.senority") || !strings.Contains(p.Errors[0].Reason, "seniority") {
			t.Errorf("typo problem: %+v", p)
		}
		p = checkProblem(t, e.call("marketing", "POST", "/api/v1/definitions", map[string]any{"name": "broken.yaml", "source": "name: x\nfoo: [\n"}), 422)
		if len(p.Errors) == 0 || !strings.HasPrefix(p.Errors[0].Name, "broken.yaml:") {
			t.Errorf("YAML syntax problem: %+v", p)
		}
		checkProblem(t, e.call("marketing", "POST", "/api/v1/definitions", map[string]any{"name": "empty.yaml"}), 422, "source")
		checkProblem(t, e.call("bdr", "POST", "/api/v1/definitions", map[string]any{"source": string(src)}), 403)

		var list struct {
			Definitions []definitionJSON `json:"definitions"`
		}
		e.mustCall(200, &list, "rep", "GET", "/api/v1/definitions", nil)
		if len(list.Definitions) != 1 || !list.Definitions[0].Active {
			t.Fatalf("before: %+v", list.Definitions)
		}
		old := list.Definitions[0]

		// A new version, activated: every lead is re-evaluated in the background.
		e.Clock.Advance(time.Hour)
		v2 := strings.Replace(string(src), `version: "2026.11-1"`, `version: "2026.11-2"`, 1)
		v2 = strings.Replace(v2, `{name: sede_norteamerica, when: 'company.country in ["US", "CA"]', points: 10}`,
			`{name: sede_norteamerica, when: 'company.country in ["US", "CA"]', points: 12}`, 1)
		var created struct {
			Definition   definitionJSON    `json:"definition"`
			Reevaluation *reevaluationJSON `json:"reevaluation"`
		}
		e.mustCall(201, &created, "marketing", "POST", "/api/v1/definitions", map[string]any{"name": "v2.yaml", "source": v2, "activate": true})
		if created.Definition.ID == 0 || created.Definition.ID == old.ID || !created.Definition.Active || created.Definition.Version != "2026.11-2" ||
			created.Reevaluation == nil || created.Reevaluation.Total != 12 {
			t.Fatalf("created: %+v %+v", created.Definition, created.Reevaluation)
		}
		var got struct {
			Definition   definitionJSON    `json:"definition"`
			Reevaluation *reevaluationJSON `json:"reevaluation"`
		}
		path := fmt.Sprintf("/api/v1/definitions/%d", created.Definition.ID)
		eventually(t, "the re-evaluation to finish", func() bool {
			e.mustCall(200, &got, "rep", "GET", path, nil)
			return got.Reevaluation != nil && got.Reevaluation.FinishedAt != nil
		})
		if r := got.Reevaluation; r.Done != 12 || r.Total != 12 || r.Error != "" || r.DefinitionID != created.Definition.ID {
			t.Errorf("re-evaluation: %+v", r)
		}
		if !got.Definition.Active || got.Definition.Source != v2 {
			t.Errorf("GET definition: active %v, source %d bytes", got.Definition.Active, len(got.Definition.Source))
		}
		for _, l := range e.leads("") {
			if full := e.lead(l.ID); full.Evaluation == nil || full.Evaluation.Definition.Version != "2026.11-2" {
				t.Errorf("lead %d still evaluated by %+v", l.ID, full.Evaluation)
			}
		}

		e.mustCall(200, &list, "rep", "GET", "/api/v1/definitions", nil)
		active := 0
		for _, d := range list.Definitions {
			if d.Active {
				active++
				if d.ID != created.Definition.ID {
					t.Errorf("version %d is active, want %d", d.ID, created.Definition.ID)
				}
			}
			if d.Source != "" {
				t.Errorf("the list carries sources")
			}
		}
		if len(list.Definitions) != 2 || active != 1 {
			t.Errorf("versions: %+v", list.Definitions)
		}
		var oldGot struct {
			Definition definitionJSON `json:"definition"`
		}
		e.mustCall(200, &oldGot, "rep", "GET", fmt.Sprintf("/api/v1/definitions/%d", old.ID), nil)
		if oldGot.Definition.Active {
			t.Errorf("the old version still says active")
		}

		// A stored version that is not active: no re-evaluation until activated.
		e.Clock.Advance(time.Hour)
		created.Definition, created.Reevaluation = definitionJSON{}, nil
		e.mustCall(201, &created, "marketing", "POST", "/api/v1/definitions", map[string]any{"name": "v3.yaml", "source": strings.Replace(v2, "2026.11-2", "2026.11-3", 1)})
		if created.Definition.Active || created.Reevaluation != nil {
			t.Errorf("stored without activate: %+v %+v", created.Definition, created.Reevaluation)
		}
		e.mustCall(200, &created, "admin", "POST", fmt.Sprintf("/api/v1/definitions/%d/activate", created.Definition.ID), nil)
		if !created.Definition.Active || created.Reevaluation == nil || created.Definition.ActivatedBy != "test-admin" {
			t.Errorf("activated (by test-admin): %+v", created)
		}
		e.waitReevaluation(created.Definition.ID)
		checkProblem(t, e.call("admin", "POST", "/api/v1/definitions/999999/activate", nil), 404)
		checkProblem(t, e.call("rep", "GET", "/api/v1/definitions/999999", nil), 404)
	})
}
