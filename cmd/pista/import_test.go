package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/store"
)

const bankFull = "../../../shared/datasets/bank-marketing/bank-full.csv"

// TestImportBankMarketing imports the real UCI Bank Marketing list end to
// end with the mapping in examples/, then again: the second run must store
// nothing new.
func TestImportBankMarketing(t *testing.T) {
	if _, err := os.Stat(bankFull); err != nil {
		t.Fatalf("the dataset is part of the workplace: %v", err)
	}
	db := filepath.Join(t.TempDir(), "bank.db")
	report := filepath.Join(t.TempDir(), "report.csv")
	args := []string{"import", "--db", db, "--mapping", "../../examples/imports/bank-marketing.yaml", "--quiet", "--report", report, bankFull}
	code, out, errs := runCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "Imported 45211 rows") || !strings.Contains(out, "45211 new, 0 merged into known leads, 0 already imported, 0 invalid") {
		t.Fatalf("first import: %s", out)
	}
	t.Log(strings.TrimSpace(out))
	code, out, errs = runCLI(t, "", args...)
	if code != 0 || !strings.Contains(out, "0 new, 0 merged into known leads, 45211 already imported, 0 invalid") {
		t.Fatalf("re-import: exit %d %s %s", code, out, errs)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, _ := st.CountLiveLeads(context.Background()); n != 45211 {
		t.Errorf("%d leads after two imports, want 45211", n)
	}
}

func TestImportDryRunAndErrors(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "webinar.csv")
	os.WriteFile(csvPath, []byte("\ufeffNombre;Apellido;Correo;Empresa;Cargo;País\r\n"+
		"Ana;Gómez;ana.gomez@acme-bio.com;Acme Bio;VP Calidad;Colombia\r\n"+
		"Mickey;Mouse;mickey@mailinator.com;Disney;;US\r\n"+
		"Luis;Pérez;;Logisur;Gerente;México\r\n"+
		"Ana;Gómez;ANA.GOMEZ@acme-bio.com;Acme Bio;VP Calidad;Colombia"), 0o644)
	db := filepath.Join(dir, "w.db")
	code, out, errs := runCLI(t, "", "import", "--db", db, "--dry-run", "--format", "webinar_list", "--action", "webinar_attended", "--action-at", "2026-11-10", csvPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Dry run: nothing was written", "Would import 4 rows: 2 new, 1 merged into known leads, 1 invalid", "Correo", "person.email"} {
		if !strings.Contains(out+errs, want) {
			t.Errorf("dry run output lacks %q:\n%s\n%s", want, out, errs)
		}
	}
	code, _, errs = runCLI(t, "", "import", "--db", db, "--map", "Correo=person.emial", "--action", "webinar_attended", csvPath)
	if code == 0 || !strings.Contains(errs, "did you mean person.email") {
		t.Errorf("bad mapping: exit %d %s", code, errs)
	}
	code, _, errs = runCLI(t, "", "import", "--db", db, "--action", "webinar_attended", filepath.Join(dir, "nope.csv"))
	if code == 0 || !strings.Contains(errs, "nope.csv") {
		t.Errorf("missing file: exit %d %s", code, errs)
	}
}
