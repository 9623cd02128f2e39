package definition_test

import (
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/definition"
)

func TestVocabulariesInTheDefinition(t *testing.T) {
	src := minimal + `inquiry:
  actions: [aula_experimental, price_request]
vocabularies:
  company.industry:
    codes:
      cannabis:
        labels: {es: Cannabis medicinal, pt: Cannabis medicinal, en: Medical cannabis}
        synonyms: [CBD]
      life_sciences:
        synonyms: [Ciencias biológicas]
  person.seniority:
    replace: true
    codes:
      decisor: {synonyms: [Dueño, Gerente General]}
      otro: {}
fit:
  - {name: cannabis, when: company.industry == "cannabis", points: 10}
  - {name: mineria, when: 'company.industry in ["mining", "oro"]', points: 5}
  - {name: pais, when: 'country == "CO"', points: 5}
`
	d, err := definition.Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ field, in, code string }{
		{"company.industry", "CBD", "cannabis"},
		{"company.industry", "Medical Cannabis", "cannabis"},
		{"company.industry", "ciencias biologicas", "life_sciences"},
		{"company.industry", "Ciencias de la vida", "life_sciences"},
		{"person.seniority", "gerente general", "decisor"},
		{"action.type", "Aula experimental", "aula_experimental"},
	} {
		if m, _ := d.Vocab.Map(tt.field, tt.in); m.Code != tt.code {
			t.Errorf("Map(%s, %q) = %+v, want %s", tt.field, tt.in, m, tt.code)
		}
	}
	if v := d.RuleValues("company.industry"); !v["oro"] || !v["cannabis"] || !v["mining"] {
		t.Errorf("rule values %v", v)
	}
	if v := d.RuleValues("person.country"); !v["CO"] {
		t.Errorf("country rule values %v", v)
	}

	bad := []struct{ yaml, want string }{
		{minimal + "vocabularies:\n  company.industri:\n    codes: {a: {}}\n", `test.yaml:7: vocabularies.company.industri: no vocabulary for "company.industri"`},
		{minimal + "vocabularies:\n  company.industry:\n    codes: {Life Sciences: {}}\n", `code "Life Sciences": codes are lower case letters`},
		{minimal + "vocabularies:\n  country:\n    codes: {bra: {}}\n", `code "bra": codes are an ISO 3166-1 alpha-2 code`},
		{minimal + "vocabularies:\n  company.industry:\n    codes: {a: {labels: {fr: Santé}}}\n", `label language "fr": use es, pt or en`},
		{minimal + "vocabularies:\n  company.industry:\n    replace: true\n", `replace: true needs codes`},
		{minimal + "vocabularies:\n  company.industry:\n    similarity: 2\n    codes: {a: {}}\n", `similarity 2 must be above 0 and at most 1`},
		{minimal + "vocabularies:\n  company.industry:\n    codez: {a: {}}\n", `unknown key "codez"`},
	}
	for _, tt := range bad {
		_, err := definition.Parse("test.yaml", []byte(tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error %v\nwant it to contain %s", err, tt.want)
		}
	}
}

// TestBandLabels: a band may name itself in each language; screens read
// the label through the vocabulary of "band", and a band without labels
// keeps its name.
func TestBandLabels(t *testing.T) {
	src := "name: Test\nlead:\n  when: inquiry\nbands:\n" +
		"  - {name: caliente, labels: {es: Caliente, pt: Quente, en: Hot}, from: 50, action: route}\n" +
		"  - {name: resto, action: route}\n"
	d, err := definition.Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ code, lang, want string }{
		{"caliente", "es", "Caliente"}, {"caliente", "pt", "Quente"}, {"caliente", "en", "Hot"}, {"resto", "en", ""},
	} {
		if got := d.Vocab.Label("band", tt.code, tt.lang); got != tt.want {
			t.Errorf("label of band %s in %s = %q, want %q", tt.code, tt.lang, got, tt.want)
		}
	}
	bad := strings.Replace(src, "en: Hot", "fr: Chaud", 1)
	if _, err := definition.Parse("test.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), `test.yaml:5: band "caliente": labels: language "fr": use es, pt or en`) {
		t.Errorf("a label in French: %v", err)
	}
}
