package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Values arrive as people type them, in Spanish, Portuguese and English;
// the definition compares codes. Intake maps them through the
// vocabularies, infers seniority and department from the title, reads
// money and head counts as written, keeps the raw value beside the code
// and says so in the explanation (issue 16).
func TestAPIVocabulariesMapMessyValues(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		tests := []struct {
			name       string
			in         map[string]any
			person     map[string]string // field → value stored
			company    map[string]any
			source     map[string]string
			fitRules   []string // fit rules that must fire
			notes      []string // in the explanation's vocabulary steps
			employees  float64
			revenueAmt float64
		}{
			{
				name: "es",
				in: map[string]any{
					"person":  map[string]any{"email": "marta.gil@helixbio.com", "first_name": "Marta", "last_name": "Gil", "title": "Vicepresidenta de Operaciones", "country": "Estados Unidos"},
					"company": map[string]any{"name": "Helix", "industry": "Ciencias de la vida", "revenue": "USD 4.5 B", "employees": "1.200"},
					"source":  map[string]any{"format": "Formulario web", "channel": "Google Ads"},
					"action":  map[string]any{"type": "Solicitud de precio"},
				},
				person:     map[string]string{"seniority": "vp", "department": "operations", "country": "US"},
				company:    map[string]any{"industry": "life_sciences"},
				source:     map[string]string{"format": "web_form", "channel": "google_ads"},
				fitRules:   []string{"ciencias_de_la_vida", "ingresos_grandes", "sede_norteamerica", "vp_o_mas"},
				notes:      []string{`inferred from the title "Vicepresidenta de Operaciones"`, `"Ciencias de la vida" is the label of life_sciences`},
				employees:  1200,
				revenueAmt: 4.5e9,
			},
			{
				name: "pt",
				in: map[string]any{
					"person":  map[string]any{"email": "ana.souza@farmabr.com.br", "first_name": "Ana", "last_name": "Souza", "title": "Diretora Comercial", "seniority": "Diretor"},
					"company": map[string]any{"name": "FarmaBR", "industry": "Farmacêutica", "revenue": "R$ 4,5 bilhões", "employees": "500-1000", "country": "Brasil"},
					"source":  map[string]any{"format": "web_form", "channel": "google"},
					"action":  map[string]any{"type": "price_request"},
				},
				person:     map[string]string{"seniority": "director", "department": "sales"},
				company:    map[string]any{"industry": "pharma", "country": "BR"},
				source:     map[string]string{"channel": "google"},
				fitRules:   []string{"farma_o_alimentos", "ingresos_medianos", "director"},
				notes:      []string{`inferred from the title "Diretora Comercial"`, `"Brasil" is the label of BR`},
				employees:  500,
				revenueAmt: 4.5e9,
			},
			{
				name: "en",
				in: map[string]any{
					"person":  map[string]any{"email": "sam.lee@acmepharma.com", "first_name": "Sam", "last_name": "Lee", "title": "Chief Revenue Officer", "seniority": "Select", "department": "--"},
					"company": map[string]any{"name": "Acme Pharma", "industry": "PHARMA", "revenue": "450M", "employees": "1k+", "country": "EE. UU."},
					"source":  map[string]any{"format": "web_form", "channel": "N/A"},
					"action":  map[string]any{"type": "price_request"},
				},
				person:     map[string]string{"seniority": "c_level", "department": "sales"},
				company:    map[string]any{"industry": "pharma", "country": "US"},
				source:     map[string]string{"channel": ""},
				fitRules:   []string{"farma_o_alimentos", "ingresos_medianos", "sede_norteamerica", "vp_o_mas"},
				notes:      []string{`"Select" is a placeholder: left blank`, `inferred from the title "Chief Revenue Officer"`},
				employees:  1000,
				revenueAmt: 450e6,
			},
		}
		for _, tt := range tests {
			var res struct {
				LeadID     int64 `json:"lead_id"`
				Evaluation struct {
					Explanation []struct {
						Kind, Rule, Value, Note string
					} `json:"explanation"`
				} `json:"evaluation"`
			}
			e.mustCall(201, &res, "integration", "POST", "/api/v1/inquiries", tt.in)
			var l struct {
				Person   map[string]any `json:"person"`
				Company  map[string]any `json:"company"`
				Source   map[string]any `json:"source"`
				Mappings []struct {
					Field, Raw, Code, How string
				} `json:"mappings"`
			}
			e.mustCall(200, &l, "rep", "GET", fmt.Sprintf("/api/v1/leads/%d", res.LeadID), nil)
			for k, want := range tt.person {
				if got, _ := l.Person[k].(string); got != want {
					t.Errorf("%s: person.%s = %q, want %q", tt.name, k, got, want)
				}
			}
			for k, want := range tt.company {
				if l.Company[k] != want {
					t.Errorf("%s: company.%s = %v, want %v", tt.name, k, l.Company[k], want)
				}
			}
			for k, want := range tt.source {
				if got, _ := l.Source[k].(string); got != want {
					t.Errorf("%s: source.%s = %q, want %q", tt.name, k, got, want)
				}
			}
			if got := l.Company["employees"]; got != tt.employees {
				t.Errorf("%s: employees %v, want %v", tt.name, got, tt.employees)
			}
			if rev, _ := l.Company["revenue"].(map[string]any); rev["amount"] != tt.revenueAmt {
				t.Errorf("%s: revenue %v, want %v", tt.name, l.Company["revenue"], tt.revenueAmt)
			}
			if len(l.Mappings) == 0 {
				t.Errorf("%s: no mappings kept beside the codes", tt.name)
			}
			fired, notes := map[string]bool{}, ""
			for _, s := range res.Evaluation.Explanation {
				if s.Kind == "fit" {
					fired[s.Rule] = true
				}
				if s.Kind == "vocabulary" {
					notes += s.Rule + ": " + s.Note + "\n"
				}
			}
			for _, r := range tt.fitRules {
				if !fired[r] {
					t.Errorf("%s: fit rule %s did not fire; fired %v", tt.name, r, fired)
				}
			}
			for _, n := range tt.notes {
				if !strings.Contains(notes, n) {
					t.Errorf("%s: explanation lacks %q:\n%s", tt.name, n, notes)
				}
			}
		}
	})
}

// "actions" instead of "action" is a typo the API names, with the fix.
func TestAPIUnknownFieldSuggests(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		in := laura()
		in["actions"] = in["action"]
		delete(in, "action")
		r := e.call("integration", "POST", "/api/v1/inquiries", in)
		if r.Status != 422 && r.Status != 400 || !strings.Contains(string(r.Body), "did you mean action?") {
			t.Fatalf("want a did-you-mean for actions, got %s", r)
		}
	})
}

// GET /api/v1/definitions/{id}/coverage lists the values no code and no
// rule matches, per field, with counts and a suggested code.
func TestAPIDefinitionCoverage(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		for i, ind := range []string{"Biotecnologia medica", "Biotecnologia medica", "Ciencias de la vida", "Minería de datos", "food"} {
			in := laura()
			in["person"].(map[string]any)["email"] = fmt.Sprintf("p%d@example%d.com", i, i)
			delete(in["person"].(map[string]any), "phone")
			in["company"].(map[string]any)["industry"] = ind
			e.mustCall(201, nil, "integration", "POST", "/api/v1/inquiries", in)
		}
		var defs struct {
			Definitions []struct {
				ID int64 `json:"id"`
			} `json:"definitions"`
		}
		e.mustCall(200, &defs, "marketing", "GET", "/api/v1/definitions", nil)
		var cov struct {
			Leads  int `json:"leads"`
			Fields []struct {
				Field     string `json:"field"`
				Seen      int    `json:"seen"`
				Matched   int    `json:"matched"`
				Unmatched []struct {
					Value     string `json:"value"`
					Count     int    `json:"count"`
					Suggested string `json:"suggested_code"`
				} `json:"unmatched"`
			} `json:"fields"`
		}
		e.mustCall(200, &cov, "marketing", "GET", fmt.Sprintf("/api/v1/definitions/%d/coverage", defs.Definitions[0].ID), nil)
		if cov.Leads != 5 {
			t.Errorf("%d leads read, want 5", cov.Leads)
		}
		var industry string
		for _, f := range cov.Fields {
			if f.Field == "company.industry" {
				if f.Seen != 5 || f.Matched != 2 {
					t.Errorf("industry seen %d matched %d, want 5 and 2", f.Seen, f.Matched)
				}
				for _, u := range f.Unmatched {
					industry += fmt.Sprintf("%s×%d→%s;", u.Value, u.Count, u.Suggested)
				}
			}
		}
		if want := "Biotecnologia medica×2→life_sciences;Minería de datos×1→mining;"; industry != want {
			t.Errorf("industry unmatched %q, want %q", industry, want)
		}
		e.mustCall(404, nil, "marketing", "GET", "/api/v1/definitions/999/coverage", nil)
	})
}

// A web form typed in three languages: the values reach the definition as
// codes; select options that are not codes warn when the form is saved.
func TestAPIFormVocabulary(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		cfg := map[string]any{
			"fields": map[string]string{"email": "person.email", "cargo": "person.title", "nivel": "person.seniority",
				"sector": "company.industry", "pais": "person.country", "ingresos": "company.revenue", "empleados": "company.employees"},
			"action": "price_request", "thank_you_url": "https://example.com/gracias", "min_fill_seconds": -1, "timestamp_field": "-",
			"options": map[string][]string{"sector": {"life_sciences", "Farmacéutica", "Cannabis", "Seleccione"}, "nivel": {"vp", "director"}},
		}
		var saved struct {
			Warnings []string `json:"warnings"`
		}
		e.mustCall(200, &saved, "marketing", "PUT", "/api/v1/forms/contacto", cfg)
		want := []string{
			`options.sector: "Farmacéutica" is not a code of company.industry; it is read as pharma (use that as the option's value)`,
			`options.sector: "Cannabis" is not a code of company.industry and matches none`,
		}
		if strings.Join(saved.Warnings, "\n") != strings.Join(want, "\n") {
			t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(saved.Warnings, "\n"), strings.Join(want, "\n"))
		}
		for _, tt := range []struct {
			form                                   url.Values
			seniority, industry, country, country2 string
		}{
			{url.Values{"email": {"es@helixbio.com"}, "cargo": {"Vicepresidente de Operaciones"}, "nivel": {"Seleccione"}, "sector": {"Ciencias de la vida"}, "pais": {"Estados Unidos"}, "ingresos": {"USD 4.5 B"}, "empleados": {"1.200"}}, "vp", "life_sciences", "US", "US"},
			{url.Values{"email": {"pt@farmabr.com.br"}, "cargo": {"Diretora Comercial"}, "nivel": {"Diretor"}, "sector": {"Farmacêutica"}, "pais": {"Brasil"}, "ingresos": {"R$ 4,5 bilhões"}}, "director", "pharma", "BR", "BR"},
			{url.Values{"email": {"en@acme.com"}, "cargo": {"Chief Revenue Officer"}, "sector": {"PHARMA"}, "pais": {"EE. UU."}, "ingresos": {"450M"}, "empleados": {"1k+"}}, "c_level", "pharma", "US", "US"},
		} {
			r := e.postForm(t, tt.form)
			if r.Status != http.StatusSeeOther {
				t.Fatalf("submission: %s", r)
			}
			var l struct {
				Person  map[string]any `json:"person"`
				Company map[string]any `json:"company"`
			}
			e.mustCall(200, &l, "rep", "GET", fmt.Sprintf("/api/v1/leads/%d", e.formLead(t, tt.form.Get("email")).ID), nil)
			if l.Person["seniority"] != tt.seniority || l.Company["industry"] != tt.industry || l.Person["country"] != tt.country {
				t.Errorf("%s: stored %v %v %v, want %s %s %s", tt.form.Get("email"), l.Person["seniority"], l.Company["industry"], l.Person["country"], tt.seniority, tt.industry, tt.country)
			}
		}
	})
}
