package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// minimalDefinition has no vocabularies, no signals, no quality rules:
// the smallest file the lab must read data for.
const minimalDefinition = `name: Minimal
lead:
  when: inquiry
fit:
  - {name: senior, when: person.age >= 50, points: 10}
  - {name: pharma, when: company.industry == "pharma", points: 5}
bands:
  - {name: A, from: 10, action: route}
  - {name: C, action: nurture, recontact: 8w}
`

// TestLabWithoutVocabularies: every lab reader (a file backtest, learning
// with the minimal file as base, outcomes and a database backtest) works
// on data whose definition declares no vocabularies, with values typed as
// people type them.
func TestLabWithoutVocabularies(t *testing.T) {
	dir := t.TempDir()
	defPath, csvPath, db := filepath.Join(dir, "min.yaml"), filepath.Join(dir, "leads.csv"), filepath.Join(dir, "lab.db")
	if err := os.WriteFile(defPath, []byte(minimalDefinition), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("Email;Edad;Industria;Cargo;Convirtió\n")
	industries := []string{"Farmacéutica", "PHARMA", "Minería", "Select", ""}
	for i := range 60 {
		age := 25 + i%40
		won := "no"
		if age >= 50 && i%3 != 0 {
			won = "sí"
		}
		fmt.Fprintf(&b, "p%d@empresa%d.com;%d;%s;%s;%s\n", i, i, age, industries[i%len(industries)], []string{"VP Ventas", "Gerente", "Analista"}[i%3], won)
	}
	if err := os.WriteFile(csvPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runCLI(t, "", "lab", "backtest", "--definition", defPath, "--data", csvPath, "--outcome", "Convirtió", "--positive", "sí", "--now", "2026-12-01T00:00:00Z")
	if code != 0 || !strings.Contains(out, "60 rows, 60 scored") || !strings.Contains(out, "Candidate: Minimal") {
		t.Fatalf("backtest: exit %d\n%s\n%s", code, out, errs)
	}
	// "Farmacéutica" and "PHARMA" (24 rows) are pharma through the built-in
	// vocabulary, as when the rows are imported; "Select" is blank.
	pharmaFired := regexp.MustCompile(`(?m)^\s+pharma\s+5\s+24\s`)
	if !pharmaFired.MatchString(out) {
		t.Errorf("file backtest: the pharma rule did not fire for 24 rows:\n%s", out)
	}
	learned := filepath.Join(dir, "learned.yaml")
	code, out, errs = runCLI(t, "", "lab", "learn", "--data", csvPath, "--outcome", "Convirtió", "--positive", "sí", "--base", defPath, "--out", learned)
	if code != 0 || !strings.Contains(out, "Wrote "+learned) {
		t.Fatalf("learn: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs = runCLI(t, "", "check", learned); code != 0 {
		t.Fatalf("check the learned file: exit %d\n%s\n%s", code, out, errs)
	}
	// The learned industry table is written in codes, as intake stores them.
	if y, err := os.ReadFile(learned); err != nil || !regexp.MustCompile(`(?m)^\s+pharma: -?\d+`).Match(y) || strings.Contains(string(y), "PHARMA") {
		t.Errorf("learned file (%v) does not score pharma by its code:\n%s", err, y)
	}

	// The same rows stored, their outcomes imported, and a database backtest.
	code, out, errs = runCLI(t, "", "import", "--db", db, "--definition", defPath, "--action", "list_import", "--action-at", "2026-11-01", "--map", "Convirtió=-", "--quiet", csvPath)
	if code != 0 || !strings.Contains(out, "60 new") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "lab", "outcomes", "--db", db, "--by", "email", "--key-column", "Email", "--outcome-column", "Convirtió", "--positive", "sí", csvPath)
	if code != 0 || !strings.Contains(out, "60 rows") {
		t.Fatalf("outcomes: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "lab", "backtest", "--db", db, "--definition", defPath, "--outcome", "Convirtió", "--from", "2026-01-01")
	if code != 0 || !strings.Contains(out, "Candidate: Minimal") || !strings.Contains(out, "60 scored") {
		t.Fatalf("database backtest: exit %d\n%s\n%s", code, out, errs)
	}
	if !pharmaFired.MatchString(out) {
		t.Errorf("database backtest: the pharma rule did not fire for 24 leads:\n%s", out)
	}
}
