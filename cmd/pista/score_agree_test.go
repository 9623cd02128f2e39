package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/store"
)

// agreeDefinition scores the bank-marketing list through values that only
// the vocabularies read: the occupation as a job title (seniority
// inferred), the contact type as a channel, the country by name.
const agreeDefinition = `name: CLI and server agree
inquiry:
  actions: [list_import]
quality: []
lead:
  when: fit >= 40
fit:
  - {name: managers, when: person.seniority == "manager", points: 15}
  - {name: owners, when: person.seniority == "owner", points: 10}
  - {name: students, when: person.seniority == "student", points: -5}
  - {name: by_phone, when: source.channel == "phone", points: 7}
  - {name: portugal, when: country == "PT", points: 5}
  - {name: low_rates, when: person.attributes.euribor3m < 2, points: 20}
  - {name: called_before, when: person.attributes.previous > 0, points: 10}
bands:
  - {name: A, from: 40, action: route}
  - {name: B, action: nurture, recontact: 4w}
`

// TestScoreAgreesWithServer imports real bank-marketing rows into a
// database and scores the same file with pista score --input: every row's
// total, band and fired rules must be the same, vocabularies included.
func TestScoreAgreesWithServer(t *testing.T) {
	list := bankSlice(t, "bank-additional-full.csv", 3000)
	dir := t.TempDir()
	def := filepath.Join(dir, "agree.yaml")
	os.WriteFile(def, []byte(agreeDefinition), 0o644)
	opts := []string{"--action", "list_import", "--country", "Portugal", "--map", "job=person.title", "--map", "contact=source.channel"}

	db := filepath.Join(dir, "agree.db")
	if code, _, errs := runCLI(t, "", append(append([]string{"import", "--db", db, "--definition", def, "--quiet"}, opts...), list)...); code != 0 {
		t.Fatalf("import: exit %d %s", code, errs)
	}
	code, out, errs := runCLI(t, "", append([]string{"score", "--definition", def, "--output", "jsonl", "--input", list}, opts...)...)
	if code != 0 {
		t.Fatalf("score: exit %d %s", code, errs)
	}
	type scored struct {
		LeadID string  `json:"lead_id"`
		Total  float64 `json:"total"`
		Band   string  `json:"band"`
	}
	cli := map[string]scored{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s scored
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatal(err)
		}
		cli[s.LeadID] = s
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	compared, managers, phone := 0, 0, 0
	var cursorScore *float64
	var cursorID int64
	for {
		page, err := st.ListLeads(context.Background(), store.ListFilter{Limit: 500, AfterScore: cursorScore, AfterID: cursorID})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page {
			c, ok := cli[l.ExternalID]
			if !ok {
				t.Fatalf("lead %s was not scored by the command line", l.ExternalID)
			}
			if c.Total != l.Eval.Total || c.Band != l.Eval.Band {
				t.Errorf("%s: server %v %s, pista score %v %s", l.ExternalID, l.Eval.Total, l.Eval.Band, c.Total, c.Band)
			}
			for _, s := range l.Eval.Explanation {
				managers += btoi(s.Rule == "managers")
				phone += btoi(s.Rule == "by_phone")
			}
			compared++
		}
		if len(page) < 500 {
			break
		}
		last := page[len(page)-1]
		s := last.Eval.Total
		cursorScore, cursorID = &s, last.ID
	}
	if compared != 3000 || len(cli) != 3000 {
		t.Fatalf("compared %d leads; the command line scored %d", compared, len(cli))
	}
	// The rules read through the vocabularies did fire: the test compares
	// more than blanks.
	if managers == 0 || phone == 0 {
		t.Errorf("vocabulary rules fired for %d managers and %d phone contacts", managers, phone)
	}
	t.Logf("%d rows agree; %d managers by title, %d by phone", compared, managers, phone)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestScoreRatesFile: --rates converts a lead's revenue in a currency the
// definition has no rate for; a bad rates file is an error naming its line.
func TestScoreRatesFile(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "d.yaml")
	os.WriteFile(def, []byte("name: t\nlead:\n  when: fit > 0\nfit:\n  - {name: big, when: company.revenue.base >= 1000000, points: 5}\nbands:\n  - {name: A, action: route}\n"), 0o644)
	rates := filepath.Join(dir, "rates.yaml")
	os.WriteFile(rates, []byte("# banco central, 2026-12-04\nCOP: 0.00025\n"), 0o644)
	lead := `{"person":{"email":"ana@acme.co"},"company":{"revenue":"4.000 millones COP"},"actions":[{"type":"price_request"}]}` + "\n"
	_, out, _ := runCLI(t, lead, "score", "--definition", def)
	if !strings.Contains(out, `"fit":0`) || !strings.Contains(out, "no exchange rate for COP") {
		t.Errorf("without rates: %s", out)
	}
	code, out, errs := runCLI(t, lead, "score", "--definition", def, "--rates", rates)
	if code != 0 || !strings.Contains(out, `"fit":5`) {
		t.Errorf("with rates: exit %d %s %s", code, out, errs)
	}
	os.WriteFile(rates, []byte("COP: 0.00025\nCLP: cero\n"), 0o644)
	code, _, errs = runCLI(t, lead, "score", "--definition", def, "--rates", rates)
	if code == 0 || !strings.Contains(errs, `rates.yaml:2: CLP: "cero" is not a number`) {
		t.Errorf("bad rates: exit %d %s", code, errs)
	}
}
