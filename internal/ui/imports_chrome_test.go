package ui_test

import (
	"path/filepath"
	"strings"
	"testing"

	cdp "github.com/chromedp/chromedp"
)

// TestChromeImportSpanishHeaders is marketing's import in a real browser:
// a webinar list with Spanish headers is uploaded, its suggested mapping
// confirmed, dry-run and imported, and the row report downloaded.
func TestChromeImportSpanishHeaders(t *testing.T) {
	e := newEnv(t)
	c := e.tab()
	c.signIn("mario", "/app/")
	file, err := filepath.Abs("testdata/webinar-asistentes.csv")
	if err != nil {
		t.Fatal(err)
	}
	c.do(cdp.Navigate(e.URL+"/app/imports"),
		cdp.SetUploadFiles(cdp.ID("file"), []string{file}),
		cdp.SendKeys(cdp.ID("campaign"), "webinar-calibracion-2026"))
	c.shot("ui-imports")
	c.do(cdp.Click(cdp.ID("upload")), cdp.WaitVisible(cdp.ID("mapping")))
	for _, want := range []string{"Correo electrónico", "Fecha de asistencia"} {
		if m := c.text("#mapping"); !strings.Contains(m, want) {
			t.Errorf("the mapping lacks the column %q: %q", want, m)
		}
	}
	email, _ := cdp.Run(c.ctx, cdp.Value(cdp.CSS(`select[name="map_2"]`)))
	when, _ := cdp.Run(c.ctx, cdp.Value(cdp.CSS(`select[name="map_6"]`)))
	if email != "person.email" || when != "action.at" {
		t.Errorf("suggested mapping: Correo electrónico → %q, Fecha de asistencia → %q", email, when)
	}
	c.do(cdp.SetValue(cdp.ID("action"), "webinar_attended"),
		cdp.Click(cdp.ID("dry-run")), cdp.WaitVisible(cdp.ID("preview")))
	if p := c.text("#preview"); !strings.Contains(p, "ana.gomez@laboratorioandino.com.co") || !strings.Contains(p, "inválida") {
		t.Errorf("dry run preview: %q", p)
	}
	c.do(cdp.ScrollIntoView(cdp.ID("preview")))
	c.shot("ui-import-dry-run")
	c.do(cdp.Click(cdp.ID("run")), cdp.WaitVisible(cdp.ID("report")))
	c.shot("ui-import-done")

	// The report link, fetched by the page with the user's session.
	report := eval[string](c, `fetch(document.getElementById("report").href).then(r => r.ok ? r.text() : "HTTP " + r.status)`)
	lines := strings.Split(strings.TrimSpace(string(report)), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "line,status,quality,lead_id") || !strings.Contains(string(report), "invalid") {
		t.Errorf("the downloaded report:\n%s", report)
	}
}
