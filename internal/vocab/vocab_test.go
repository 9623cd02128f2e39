package vocab_test

import (
	"testing"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/vocab"
)

func TestMapBuiltin(t *testing.T) {
	tb := vocab.Compile(nil, nil)
	tests := []struct {
		field, in, code, how string
	}{
		{"company.industry", "life_sciences", "life_sciences", ""},
		{"company.industry", "Life sciences", "life_sciences", vocab.ByCode},
		{"company.industry", "Ciencias de la vida", "life_sciences", vocab.ByLabel},
		{"company.industry", "CIÊNCIAS DA VIDA", "life_sciences", vocab.ByLabel},
		{"company.industry", "Farmacéutica", "pharma", vocab.ByLabel},
		{"company.industry", "PHARMA", "pharma", vocab.ByCode},
		{"company.industry", "Life Sciense", "life_sciences", vocab.ByFuzzy},
		{"company.industry", "Minería", "mining", vocab.ByLabel},
		{"company.industry", "Cosas raras", "cosas_raras", vocab.Unmatched},
		{"company.industry", "Select", "", vocab.ByPlaceholder},
		{"company.industry", "Seleccione", "", vocab.ByPlaceholder},
		{"company.industry", "--", "", vocab.ByPlaceholder},
		{"company.industry", "N/A", "", vocab.ByPlaceholder},
		{"person.seniority", "VP", "vp", vocab.ByCode},
		{"person.seniority", "Vice President", "vp", vocab.ByLabel},
		{"person.seniority", "Vicepresidente", "vp", vocab.ByLabel},
		{"person.seniority", "Diretor", "director", vocab.ByLabel},
		{"person.seniority", "Gerente", "manager", vocab.ByLabel},
		{"person.seniority", "Head of", "director", vocab.BySynonym},
		{"person.seniority", "C-Level", "c_level", vocab.ByCode},
		{"person.seniority", "Diretora", "director", vocab.BySynonym},
		{"person.seniority", "Dueño", "owner", vocab.ByLabel},
		{"person.seniority", "Estagiário", "intern", vocab.ByLabel},
		{"person.seniority", "Jefe de planta", "jefe_de_planta", vocab.Unmatched},
		{"person.country", "Brasil", "BR", vocab.ByLabel},
		{"company.country", "Estados Unidos", "US", vocab.ByLabel},
		{"person.country", "EE. UU.", "US", vocab.BySynonym},
		{"person.country", "México", "MX", vocab.ByLabel},
		{"person.country", "Alemanha", "DE", vocab.ByLabel},
		{"person.country", "Côte d’Ivoire", "CI", vocab.ByLabel},
		{"person.country", "Japón", "JP", vocab.ByLabel},
		{"person.country", "col", "CO", vocab.BySynonym},
		{"person.country", "us", "US", vocab.ByCode},
		{"person.country", "UK", "GB", vocab.BySynonym},
		{"source.channel", "Google Ads", "google_ads", vocab.ByCode},
		{"source.channel", "google", "google", ""},
		{"source.channel", "Olark Chat", "olark_chat", vocab.Unmatched},
		{"source.format", "Formulario web", "web_form", vocab.ByLabel},
		{"action.type", "Solicitud de precio", "price_request", vocab.ByLabel},
	}
	for _, tt := range tests {
		m, ok := tb.Map(tt.field, tt.in)
		if !ok || m.Code != tt.code || m.How != tt.how {
			t.Errorf("Map(%s, %q) = %+v, %v; want %s by %q", tt.field, tt.in, m, ok, tt.code, tt.how)
		}
	}
}

// Every ISO 3166 country has its Spanish, Portuguese and English name.
func TestCountryNamesFromCLDR(t *testing.T) {
	tb := vocab.Compile(nil, nil)
	if n := len(tb.Codes("country")); n < 240 {
		t.Fatalf("%d countries; ISO 3166 has 249", n)
	}
	for _, code := range tb.Codes("country") {
		for _, lang := range []string{"es", "pt", "en"} {
			name := tb.Label("country", code, lang)
			if name == "" {
				t.Errorf("%s has no %s name", code, lang)
				continue
			}
			if m, _ := tb.Map("country", name); m.Code != code && m.How != vocab.ByFuzzy {
				// Two countries may share a name in one language only
				// if CLDR says so; none do in es/pt/en.
				t.Errorf("%s name %q of %s maps to %s", lang, name, code, m.Code)
			}
		}
	}
}

func TestDefinitionVocabulariesExtendAndReplace(t *testing.T) {
	own := []vocab.Vocabulary{
		{Field: "company.industry", Codes: []vocab.Code{
			{Code: "life_sciences", Synonyms: []string{"Ciencias biológicas"}},
			{Code: "cannabis", Labels: map[string]string{"es": "Cannabis medicinal"}},
		}},
		{Field: "person.seniority", Codes: []vocab.Code{{Code: "boss", Synonyms: []string{"Jefazo"}}}},
	}
	tb := vocab.Compile(own, map[string]bool{"person.seniority": true})
	for _, tt := range []struct{ field, in, code string }{
		{"company.industry", "Ciencias biologicas", "life_sciences"},
		{"company.industry", "Ciencias de la vida", "life_sciences"},
		{"company.industry", "cannabis medicinal", "cannabis"},
		{"person.seniority", "JEFAZO", "boss"},
		{"person.seniority", "Vice President", "vice_president"}, // replaced: no longer a code
	} {
		if m, _ := tb.Map(tt.field, tt.in); m.Code != tt.code {
			t.Errorf("Map(%s, %q) = %+v, want %s", tt.field, tt.in, m, tt.code)
		}
	}
	// The built-in table is not changed by a definition's.
	if m, _ := vocab.Compile(nil, nil).Map("person.seniority", "Vice President"); m.Code != "vp" {
		t.Errorf("built-in seniority changed: %+v", m)
	}
}

func TestFromTitle(t *testing.T) {
	tests := []struct{ title, seniority, department string }{
		{"VP Operations", "vp", "operations"},
		{"VP Manufacturing", "vp", "operations"},
		{"Gerente de Compras", "manager", "purchasing"},
		{"Diretora Comercial", "director", "sales"},
		{"Chief Revenue Officer", "c_level", "sales"},
		{"Head of Lab", "director", "research"},
		{"Senior Vice President, Sales", "svp", "sales"},
		{"Gerente General", "c_level", "executive"},
		{"Jefe de Mercadeo", "manager", "marketing"},
		{"Analista de TI", "staff", "it"},
		{"Estagiária de RH", "intern", "hr"},
		{"Security Specialist", "senior", ""},
		{"Mystery", "", ""},
	}
	for _, tt := range tests {
		s, d := vocab.FromTitle(tt.title)
		if s != tt.seniority || d != tt.department {
			t.Errorf("FromTitle(%q) = %q, %q; want %q, %q", tt.title, s, d, tt.seniority, tt.department)
		}
	}
}

// BenchmarkApply is the vocabulary's cost per inquiry on the intake hot
// path: values already codes (an integration), and values as typed.
func BenchmarkApply(b *testing.B) {
	tb := vocab.Compile(nil, nil)
	for _, bc := range []struct {
		name string
		p    lead.Person
		c    lead.Company
		s    lead.Source
		a    lead.Action
	}{
		{"codes", lead.Person{Seniority: "vp", Title: "VP Quality", Country: "US"}, lead.Company{Industry: "life_sciences", Country: "US"},
			lead.Source{Format: "web_form", Channel: "google"}, lead.Action{Type: "price_request"}},
		{"typed", lead.Person{Title: "Vicepresidente de Operaciones", Country: "Estados Unidos"}, lead.Company{Industry: "Ciencias de la vida", Country: "EE. UU."},
			lead.Source{Format: "Formulario web", Channel: "Google Ads"}, lead.Action{Type: "Solicitud de precio"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var out []lead.Mapping
			for b.Loop() {
				p, c, s, a := bc.p, bc.c, bc.s, bc.a
				out = tb.Apply(&p, &c, &s, &a, out[:0])
			}
		})
	}
}

// Values far from every code ("Gerente de compras" as an industry) are
// compared with every known text once; the answer after is the same.
func TestFuzzyRemembered(t *testing.T) {
	for _, v := range []string{"Ciencias de la vidaa", "Manufactura avanzada", "Gerente de compras", "Tecnologia", "Mineria"} {
		first, _ := vocab.Compile(nil, nil).Map("company.industry", v)
		tb := vocab.Compile(nil, nil)
		for range 3 {
			if m, _ := tb.Map("company.industry", v); m != first {
				t.Errorf("%q: %+v, then %+v", v, first, m)
			}
		}
	}
}

// BenchmarkFuzzy is mapping a value that is no code nor synonym, as
// forms send them.
func BenchmarkFuzzy(b *testing.B) {
	tb := vocab.Compile(nil, nil)
	for b.Loop() {
		tb.Map("company.industry", "Fabricación de maquinaria agrícola")
	}
}
