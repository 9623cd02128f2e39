package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestImportAnonymousList imports real rows of the bank-marketing list,
// which has no e-mail, phone or name: they are anonymous leads known by
// their external id, not junk row by row.
func TestImportAnonymousList(t *testing.T) {
	list := bankSlice(t, "bank-additional-full.csv", 1500)
	db := filepath.Join(t.TempDir(), "bank.db")
	report := filepath.Join(t.TempDir(), "report.csv")
	code, out, errs := runCLI(t, "", "import", "--db", db, "--action", "list_import", "--report", report, list)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"1500 new", "flagged: none", "1500 rows are anonymous leads"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if rows := readReport(t, report); len(rows) != 1 {
		t.Errorf("the report lists %d rows of an anonymous list: %v", len(rows)-1, rows)
	}
}

// TestImportRowReasons: every refused, flagged or changed row of the
// report says why, and the summary groups the reasons with example lines.
func TestImportRowReasons(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "asistentes.csv")
	os.WriteFile(list, []byte("Nombre;Apellido;Correo;Empresa;Empleados\n"+
		"Ana;Gómez;ana.gomez@acme-bio.com;Acme Bio;120\n"+ // line 2: fine
		"Mickey;Mouse;mickey@disney.com;Disney;50\n"+ // 3: fake
		"Luis;Pérez;;Logisur;80\n"+ // 4: nothing identifies him
		"Rosa;Díaz;rosa@mailinator.com;Rosa SAS;10\n"+ // 5: disposable
		"Pedro;Ruiz;;Minera;12\n"+ // 6: nothing identifies him
		"Marta;Soto;marta@gmail.com;Soto y Cía;muchos\n"), 0o644) // 7: employees not read
	db := filepath.Join(dir, "w.db")
	report := filepath.Join(dir, "report.csv")
	code, out, errs := runCLI(t, "", "import", "--db", db, "--action", "webinar_attended", "--report", report, list)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows := readReport(t, report)
	if strings.Join(rows[0], ",") != "line,status,quality,lead_id,reason" {
		t.Fatalf("report header %v", rows[0])
	}
	why := map[string]string{}
	for _, r := range rows[1:] {
		if r[4] == "" {
			t.Errorf("line %s (%s %s) has no reason", r[0], r[1], r[2])
		}
		why[r[0]] = r[4]
	}
	for line, want := range map[string]string{
		"3": "fake: nombre inventado (rule mickey_mouse)", "4": "missing person.email|person.phone|source.external_id",
		"5": "junk: correo desechable (rule correo_desechable)", "6": "missing person.email", "7": `changed: company.employees: "muchos"`,
	} {
		if !strings.Contains(why[line], want) {
			t.Errorf("line %s: reason %q, want it to contain %q", line, why[line], want)
		}
	}
	if _, ok := why["2"]; ok {
		t.Errorf("line 2 was imported as it was, yet reported: %q", why["2"])
	}
	if !strings.Contains(out, "Why rows were refused, flagged or changed") ||
		!strings.Contains(out, "       2  missing person.email|person.phone|source.external_id  (e.g. line 4, 6)") {
		t.Errorf("summary does not group the reasons:\n%s", out)
	}
}

// TestImportProgressWithoutTerminal: output that is not a terminal gets
// plain lines, no bar and no control characters.
func TestImportProgressWithoutTerminal(t *testing.T) {
	list := bankSlice(t, "bank-full.csv", 3000)
	defer func(d time.Duration) { progressEvery = d }(progressEvery)
	progressEvery = time.Nanosecond
	code, out, errs := runCLI(t, "", "import", "--db", filepath.Join(t.TempDir(), "p.db"), "--action", "list_import", list)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.ContainsAny(errs, "\r\x1b") || strings.Contains(errs, "█") {
		t.Errorf("control characters or a bar in output that is not a terminal:\n%q", errs)
	}
	if !strings.Contains(errs, "bank-full.csv: 2999 rows so far") || strings.Contains(errs, "3001 rows so far") {
		t.Errorf("no plain progress lines up to the row count:\n%s", errs)
	}
	if !strings.Contains(out, "Imported 3000 rows") {
		t.Errorf("summary: %s", out)
	}
}

func readReport(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
