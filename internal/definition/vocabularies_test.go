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
