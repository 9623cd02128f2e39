package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const scoreDef = `name: Tables
lead: {when: inquiry}
fit:
  - name: occupation
    field: person.attributes.job
    values: {student: 14, retired: 12}
    other: 3
  - name: age
    field: person.age
    tiers:
      - {below: 25, points: 8}
      - {points: 0}
  - {name: vp, when: person.seniority == "vp", points: 5}
bands:
  - {name: hot, from: 15, action: route}
  - {name: cold, action: route}
`

// A spreadsheet is scored offline, one CSV line per data row, with the
// same header suggestions and --map as pista import.
func TestScoreInputCSV(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "d.yaml")
	data := filepath.Join(dir, "list.csv")
	os.WriteFile(def, []byte(scoreDef), 0o644)
	os.WriteFile(data, []byte("Email;Edad;Ocupación;Cargo\n"+
		"ana@acme.com;22;student;\n"+
		"\n"+
		"bo@acme.com;40;admin.;vp\n"+
		"cy@acme.com;;retired;\n"), 0o644)
	code, out, errs := runCLI(t, "", "score", "--definition", def, "--input", data, "--map", "Ocupación=person.attributes.job", "--map", "Cargo=person.seniority",
		"--now", "2026-11-20T10:00:00Z")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"row", "id", "total", "band", "fit", "engagement", "rules", "error"},
		{"1", "ana@acme.com", "22", "hot", "22", "0", "occupation=student:+14; age=22:+8", ""},
		{"2", "bo@acme.com", "8", "cold", "8", "0", "occupation=admin.:+3; age=40:+0; vp:+5", ""},
		{"3", "cy@acme.com", "12", "cold", "12", "0", "occupation=retired:+12; age:+0", ""},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d lines:\n%s", len(recs), out)
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("line %d:\n got %q\nwant %q", i+1, recs[i], want[i])
		}
	}
	if !strings.Contains(errs, "person.attributes.job") {
		t.Errorf("the mapping is not shown on stderr:\n%s", errs)
	}

	code, out, errs = runCLI(t, "", "score", "--definition", def, "--input", data, "--map", "Ocupación=person.attributes.job", "--output", "jsonl")
	if code != 0 {
		t.Fatalf("jsonl: exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var first struct {
		Row   int     `json:"row"`
		ID    string  `json:"id"`
		Total float64 `json:"total"`
		Band  string  `json:"band"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || len(lines) != 3 || first.Row != 1 || first.Total != 22 || first.Band != "hot" || first.ID != "ana@acme.com" {
		t.Errorf("jsonl %d lines, first %+v (%v):\n%s", len(lines), first, err, out)
	}
}

func TestScoreInputErrors(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "d.yaml")
	os.WriteFile(def, []byte(scoreDef), 0o644)
	data := filepath.Join(dir, "list.csv")
	os.WriteFile(data, []byte("email,job\na@b.com,student\n"), 0o644)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--input", data, "--output", "xml"}, 2, `--output "xml": want csv or jsonl`},
		{[]string{"--input", filepath.Join(dir, "nope.csv")}, 1, "nope.csv"},
		{[]string{"--input", def}, 1, "cannot read .yaml files"},
		{[]string{"--input", data, "--map", "job=person.nonsense"}, 1, "person.nonsense"},
	}
	for _, tc := range tests {
		code, _, errs := runCLI(t, "", append([]string{"score", "--definition", def}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, want %d; stderr %q lacks %q", tc.args, code, tc.code, errs, tc.want)
		}
	}
}
