package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// b2bEducationRows are rows in the shape of a B2B education company's CRM
// export (its "Lead Scoring" list: an anonymised prospect id, summary
// counters of web activity, "Select" placeholders), including a row whose
// counters are blank.
const b2bEducationRows = `Prospect ID,Lead Number,Lead Origin,Lead Source,Do Not Email,Converted,TotalVisits,Total Time Spent on Website,Page Views Per Visit,Last Activity,Country,Specialization
7927b2df-8bba-4d29-b9a2-b6e0beafe620,660737,API,Olark Chat,No,0,0,0,0,Page Visited on Website,,Select
2a272436-5132-4136-86fa-dcc88c88f482,660728,API,Organic Search,No,0,5,674,2.5,Email Opened,India,Select
8cc8c611-a219-4f35-ad23-fdfd2656bd8a,660727,Landing Page Submission,Direct Traffic,No,1,2,1532,2,Email Opened,India,Business Administration
0cc2df48-7cf4-4e39-9de9-19797f9b38cc,660719,Landing Page Submission,Direct Traffic,No,0,,,,Unreachable,India,Media and Advertising
`

// TestImportSummaryCountersFeedEngagement: the export's TotalVisits, Total
// Time Spent on Website and Page Views Per Visit columns, imported as
// attributes, score engagement rules (a counter, a formula), counted at
// the import's action date, and pista explain shows each rule's points
// and the values read.
func TestImportSummaryCountersFeedEngagement(t *testing.T) {
	dir := t.TempDir()
	csvPath, defPath, db := filepath.Join(dir, "Leads.csv"), filepath.Join(dir, "cursos.yaml"), filepath.Join(dir, "c.db")
	if err := os.WriteFile(csvPath, []byte(b2bEducationRows), 0o644); err != nil {
		t.Fatal(err)
	}
	def := `name: Cursos
lead:
  when: inquiry
engagement:
  rules:
    - {name: visits, counter: person.attributes.totalvisits, points: 2, max: 20}
    - {name: minutes, counter: person.attributes.total_time_spent_on_website, points: 0.01, max: 10}
    - {name: depth, points: '(person.attributes.page_views_per_visit ?? 0) * 2', max: 8}
bands:
  - {name: A, from: 15, action: route}
  - {name: C, action: nurture, recontact: 8w}
`
	if err := os.WriteFile(defPath, []byte(def), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "import", "--db", db, "--definition", defPath, "--action", "content_download", "--action-at", "2026-11-01", "--quiet", csvPath)
	if code != 0 || !strings.Contains(out, "4 new") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
	}
	for _, c := range []struct {
		lead string
		want []string
		not  []string
	}{
		// 2 visits, 1532 minutes (capped at 10), 2 page views per visit.
		{"3", []string{"Engagement: 18\n",
			"+4 visits (person.attributes.totalvisits = 2 × 2 points, counted at 2026-11-01)  [definition-1.yaml:6]",
			"+10 minutes (person.attributes.total_time_spent_on_website = 1532 × 0.01 points, counted at 2026-11-01, capped)",
			"+4 depth (= (person.attributes.page_views_per_visit ?? 0) * 2 with person.attributes.page_views_per_visit = 2, counted at 2026-11-01)",
			"band A"}, nil},
		{"2", []string{"Engagement: 21.74\n", "+10 visits (person.attributes.totalvisits = 5 × 2 points", "+6.74 minutes", "+5 depth"}, nil},
		// Zero and blank counters give nothing and no error.
		{"1", []string{"Engagement: 0\n", "band C"}, []string{"visits", "Error"}},
		{"4", []string{"Engagement: 0\n"}, []string{"visits", "Error"}},
	} {
		code, out, errs := runCLI(t, "", "explain", "--lead", c.lead, "--db", db)
		if code != 0 {
			t.Fatalf("explain --lead %s: exit %d %s", c.lead, code, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("lead %s: explanation lacks %q:\n%s", c.lead, w, out)
			}
		}
		for _, n := range c.not {
			if strings.Contains(out, n) {
				t.Errorf("lead %s: explanation has %q:\n%s", c.lead, n, out)
			}
		}
	}
}
