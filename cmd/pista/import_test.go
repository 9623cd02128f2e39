package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/testenv"
)

// TestImportBankMarketing imports the real UCI Bank Marketing list end to
// end with the mapping in examples/, then again: the second run must store
// nothing new.
func TestImportBankMarketing(t *testing.T) {
	data := testenv.Require(t, "bank-marketing/bank-full.csv")
	db := filepath.Join(t.TempDir(), "bank.db")
	report := filepath.Join(t.TempDir(), "report.csv")
	args := []string{"import", "--db", db, "--mapping", "../../examples/imports/bank-marketing.yaml", "--quiet", "--report", report, data}
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

// TestImportKilledAndRerun kills `pista import` with SIGKILL halfway through
// and runs it again: the database must end exactly as after one clean run.
func TestImportKilledAndRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "pista")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	// A list with repeated people, so that merges are part of the state.
	var b strings.Builder
	b.WriteString("email,first_name,last_name,company,country\n")
	for i := range 30000 {
		p := i % 20000
		fmt.Fprintf(&b, "person%d@empresa%d.com.co,Ana,Gómez,Empresa %d,CO\n", p, p%300, p%300)
	}
	list := filepath.Join(dir, "list.csv")
	os.WriteFile(list, []byte(b.String()), 0o644)
	args := func(db string) []string {
		return []string{"import", "--db", db, "--quiet", "--format", "purchased_list", "--action", "list_import", list}
	}

	clean := filepath.Join(dir, "clean.db")
	if out, err := exec.Command(bin, args(clean)...).CombinedOutput(); err != nil {
		t.Fatalf("clean run: %v\n%s", err, out)
	}
	crashed := filepath.Join(dir, "crashed.db")
	cmd := exec.Command(bin, args(crashed)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once some rows are in.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		if n := countLeads(t, crashed); n > 2000 {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	partial := countLeads(t, crashed)
	if partial == 0 || partial >= 20000 {
		t.Fatalf("the kill came at %d leads; want it mid-import", partial)
	}
	if out, err := exec.Command(bin, args(crashed)...).CombinedOutput(); err != nil {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	want, got := leadState(t, clean), leadState(t, crashed)
	if len(want) != 20000 || len(got) != len(want) {
		t.Fatalf("clean run has %d leads, the killed and rerun one %d", len(want), len(got))
	}
	for email, actions := range want {
		if got[email] != actions {
			t.Fatalf("%s: %d actions after a clean run, %d after kill and rerun", email, actions, got[email])
		}
	}
	t.Logf("killed at %d leads; after the rerun both databases hold %d leads with the same actions", partial, len(got))
}

func countLeads(t *testing.T, path string) int64 {
	if _, err := os.Stat(path); err != nil {
		return 0
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		return 0
	}
	defer st.Close()
	n, _ := st.CountLiveLeads(context.Background())
	return n
}

// leadState maps each lead's e-mail to its number of actions.
func leadState(t *testing.T, path string) map[string]int {
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := map[string]int{}
	var cursorScore *float64
	var cursorID int64
	for {
		page, err := st.ListLeads(context.Background(), store.ListFilter{Limit: 500, AfterScore: cursorScore, AfterID: cursorID})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page {
			out[l.Email] = len(l.Data.Actions)
		}
		if len(page) < 500 {
			return out
		}
		last := page[len(page)-1]
		s := last.Eval.Total
		cursorScore, cursorID = &s, last.ID
	}
}
