package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/store"
)

// messyList is a spreadsheet typed by people, in three languages: the
// vocabularies read most of it; what they cannot read is counted.
const messyList = "Email,Nombre,Cargo,Industria,País,Ingresos,Empleados\n" +
	"ana@helix.com,Ana Gil,VP Operations,Ciencias de la vida,Estados Unidos,USD 3.3B,1.200\n" +
	"bo@acme.com.br,Bo Lima,Diretora Comercial,Farmacêutica,Brasil,\"R$ 4,5 bilhões\",500-1000\n" +
	"cy@x.co,Cy Ruiz,Gerente de Compras,Biotecnologia medica,Colombia,\"120.000 millones COP\",1k+\n" +
	"dy@y.co,Dy Paz,Head of Lab,Seleccione,N/A,450M,\"1,200\"\n" +
	"ez@z.co,Ez Oro,Chief Revenue Officer,Biotecnologia medica,Narnia,4.2B USD,1200\n"

func TestCheckDataCountsUnmatchedValues(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "messy.csv")
	os.WriteFile(csvPath, []byte(messyList), 0o644)
	code, out, errs := runCLI(t, "", "check", "--data", csvPath, "../../examples/definitions/instrumentos.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"messy.csv: 5 rows read",
		"company.industry   2 of 4 values match a code or a rule", // "Seleccione" is blank, not a value
		"person.country     3 of 4 values match a code or a rule",
		`2  "Biotecnologia medica"  (closest code: life_sciences)`,
		`1  "Narnia"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	jsonl := filepath.Join(dir, "leads.jsonl")
	os.WriteFile(jsonl, []byte(`{"person": {"seniority": "Vicepresidente"}, "company": {"industry": "Agroindustria de palma"}, "actions": [{"type": "price_request"}]}`+"\n"), 0o644)
	code, out, errs = runCLI(t, "", "check", "--data", jsonl, "../../examples/definitions/instrumentos.yaml")
	if code != 0 || !strings.Contains(out, `1  "Agroindustria de palma"`) || strings.Contains(out, "Vicepresidente") {
		t.Fatalf("jsonl: exit %d\n%s%s", code, out, errs)
	}
}

// The import's dry run and its final report count the same values.
func TestImportReportsCoverage(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "messy.csv")
	os.WriteFile(csvPath, []byte(messyList), 0o644)
	db := filepath.Join(dir, "m.db")
	for _, dry := range []bool{true, false} {
		args := []string{"import", "--db", db, "--quiet", "--format", "purchased_list", "--action", "price_request", csvPath}
		if dry {
			args = append(args[:1], append([]string{"--dry-run"}, args[1:]...)...)
		}
		code, out, errs := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("dry %v: exit %d: %s", dry, code, errs)
		}
		if !strings.Contains(out, "company.country: 1 of 4 values unmatched") || !strings.Contains(out, `2  "Biotecnologia medica"  (closest code: life_sciences)`) || !strings.Contains(out, "company.industry: 2 of 4 values unmatched") {
			t.Errorf("dry %v: no coverage in\n%s", dry, out)
		}
	}
	// What the import stored: codes, with the raw values beside them; the
	// one País column is the person's and the company's country.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tt := range []struct {
		email, seniority, department, industry, country string
		revenue                                         float64
		employees                                       int
	}{
		{"ana@helix.com", "vp", "operations", "life_sciences", "US", 3.3e9, 1200},
		{"bo@acme.com.br", "director", "sales", "pharma", "BR", 4.5e9, 500},
		{"cy@x.co", "manager", "purchasing", "biotecnologia_medica", "CO", 120e9, 1000},
		{"dy@y.co", "director", "research", "", "", 450e6, 1200},
		{"ez@z.co", "c_level", "sales", "biotecnologia_medica", "NARNIA", 4.2e9, 1200},
	} {
		id, _, err := st.FindLead(context.Background(), tt.email, "", "")
		if err != nil {
			t.Fatalf("%s: %v", tt.email, err)
		}
		l, err := st.Lead(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		p, c := l.Data.Person, l.Data.Company
		if p.Seniority != tt.seniority || p.Department != tt.department || c.Industry != tt.industry || p.Country != tt.country || c.Country != tt.country ||
			c.Revenue.Amount != tt.revenue || c.Employees != tt.employees {
			t.Errorf("%s: stored %s/%s/%s/%s %v %d, want %+v", tt.email, p.Seniority, p.Department, c.Industry, p.Country, c.Revenue.Amount, c.Employees, tt)
		}
		if len(l.Data.Mappings) == 0 {
			t.Errorf("%s: no mappings kept", tt.email)
		}
	}
}

// A dry run against a database file that does not exist creates none.
func TestImportDryRunCreatesNoDatabase(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "messy.csv")
	os.WriteFile(csvPath, []byte(messyList), 0o644)
	db := filepath.Join(dir, "never.db")
	code, out, errs := runCLI(t, "", "import", "--db", db, "--dry-run", "--format", "purchased_list", "--action", "price_request", csvPath)
	if code != 0 || !strings.Contains(out, "Would import 5 rows: 5 new") || !strings.Contains(errs, "nothing is created") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the dry run created %s (%v)", db, err)
	}
	matches, _ := filepath.Glob(db + "*")
	if len(matches) > 0 {
		t.Errorf("the dry run left %v", matches)
	}
}
