package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	cdp "github.com/chromedp/chromedp"
)

// TestChromeImportAskKeptAndReasonsGrouped: the mapping page's reason
// for reading a "campaign" of numbers as an attribute stays beside the
// column after the dry run and on the import's page after the run; both
// show why rows were refused, grouped, with example lines.
func TestChromeImportAskKeptAndReasonsGrouped(t *testing.T) {
	e := newEnv(t)
	file := filepath.Join(t.TempDir(), "llamadas.csv")
	// Two rows without any contact data refused for the same reason, one
	// good row.
	if err := os.WriteFile(file, []byte("email;Nombre;campaign\nana@acme.co;Ana;1\n;;3\n;;2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const ask = "Solo tiene números (los 3 valores de las primeras filas), así que se lee como person.attributes.campaign."
	c := e.tab()
	c.signIn("mario", "/app/imports")
	c.do(cdp.SetUploadFiles(cdp.ID("file"), []string{file}), cdp.Click(cdp.ID("upload")), cdp.WaitVisible(cdp.ID("mapping")))
	if got := c.text("#ask-2"); !strings.Contains(got, ask) {
		t.Fatalf("the mapping page does not say why campaign is an attribute: %q", got)
	}
	c.do(cdp.SetValue(cdp.ID("action"), "webinar_attended"), cdp.Click(cdp.ID("dry-run")), cdp.WaitVisible(cdp.ID("preview")))
	if got := c.text("#ask-2"); !strings.Contains(got, ask) {
		t.Errorf("after the dry run the explanation is gone: %q", got)
	}
	reasons := c.text("#import-reasons")
	if !strings.Contains(reasons, "3") || strings.Count(c.text("#import-reasons tbody"), "\n") > 2 {
		t.Errorf("the dry run's grouped reasons: %q", reasons)
	}
	if n := eval[int](c, `document.querySelectorAll("#import-reasons tbody tr").length`); n != 1 {
		t.Errorf("%d groups of reasons for two rows refused alike, want 1: %q", n, reasons)
	}
	if got := eval[string](c, `document.querySelector("#import-reasons tbody tr td:nth-child(2)").textContent + "|" + document.querySelector("#import-reasons tbody tr td:nth-child(3)").textContent`); got != "2|3, 4" {
		t.Errorf("the group's rows and example lines: %q, want 2|3, 4", got)
	}
	c.do(cdp.ScrollIntoView(cdp.ID("preview")))
	c.shot("import-dry-run-ask")
	c.do(cdp.Click(cdp.ID("run")), cdp.WaitVisible(cdp.ID("report")))
	if got := c.text("#import-asks"); !strings.Contains(got, "campaign") || !strings.Contains(got, ask) {
		t.Errorf("the import's page does not keep the explanation: %q", got)
	}
	if n := eval[int](c, `document.querySelectorAll("#import-reasons tbody tr").length`); n != 1 {
		t.Errorf("the import's page: %d groups of reasons, want 1", n)
	}
	c.shot("import-done-ask")
}
