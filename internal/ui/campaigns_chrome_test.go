package ui_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cdp "github.com/chromedp/chromedp"
)

// TestChromeCampaignCostsUpload: marketing uploads a CSV of campaign
// costs on the campaigns page in a real browser, in Spanish. A file with
// bad lines is refused whole, each bad line and field named in Spanish;
// the fixed file is imported and its costs listed in local number format,
// and the reports page then prices the campaign. Reps and managers may
// neither open the page nor post to it, and a post without the form's
// CSRF token is refused.
func TestChromeCampaignCostsUpload(t *testing.T) {
	e := newEnv(t)
	e.mql("Ana", "Uno", "ana.uno@helixbio.com", "US")
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("costos-malos.csv", "Campaña;Mes;Monto;Moneda\n"+
		"precios-2026;2026-11;1500,50;USD\n"+ // line 2: good
		"precios-2026;2026-13;10;USD\n"+ // line 3: month
		"feria;2026-11;mil;USD\n"+ // line 4: amount
		"precios-2026;2026-11;12;USD\n") // line 5: twice
	good := write("costos.csv", "Campaña;Mes;Monto;Moneda\nprecios-2026;2026-11;1500,50;USD\nferia-lima;2026-10;3200;usd\n")

	c := e.tab()
	c.signIn("mario", "/app/campaigns")
	if nav := c.text("nav.side"); !strings.Contains(nav, "Campañas") {
		t.Errorf("marketing's menu has no Campañas: %q", nav)
	}
	if empty := c.text("#costs-none"); !strings.Contains(empty, "Todavía no hay costos") {
		t.Errorf("the empty page says %q", empty)
	}
	c.do(cdp.SetUploadFiles(cdp.ID("costs-file"), []string{bad}), cdp.Click(cdp.ID("costs-send")), cdp.WaitVisible(cdp.ID("costs-error")))
	msg := c.text("#costs-error")
	lines := eval[string](c, `Array.from(document.querySelectorAll("#costs-bad tbody tr")).map(r => Array.from(r.cells).map(c => c.textContent).join(" | ")).join("\n")`)
	if !strings.Contains(msg, "3 líneas tienen errores") {
		t.Errorf("the refusal says %q", msg)
	}
	for _, want := range []string{"3 | mes | se espera un mes como 2026-11", "4 | monto | «mil» no es un monto", "5 | campaña | precios-2026 en 2026-11 ya está en la línea 2"} {
		if !strings.Contains(lines, want) {
			t.Errorf("the bad lines lack %q:\n%s", want, lines)
		}
	}
	if res := e.api("GET", "/api/v1/campaigns/costs", nil); strings.Contains(string(res), "precios-2026") {
		t.Errorf("a refused file stored costs: %s", res)
	}
	c.shot("ui-campaign-costs-errors")

	c.do(cdp.SetUploadFiles(cdp.ID("costs-file"), []string{good}))
	c.submit("#costs-send", "done=costs_imported")
	table := c.text("#costs-table")
	for _, want := range []string{"precios-2026", "2026-11", "USD 1.500,50", "feria-lima", "USD 3.200,00"} {
		if !strings.Contains(table, want) {
			t.Errorf("the costs table lacks %q:\n%s", want, table)
		}
	}
	if flash := c.text(".flash"); !strings.Contains(flash, "Costos de campaña importados") {
		t.Errorf("flash %q", flash)
	}
	c.shot("ui-campaign-costs")
	c.open("/app/reports?from=2026-11-01&to=2026-11-30")
	if row := c.text("#campaigns-table"); !strings.Contains(row, "USD 1.500,50") {
		t.Errorf("the reports page does not price precios-2026:\n%s", row)
	}

	for _, who := range []string{"rita", "marta"} {
		b := e.client()
		b.signIn(who)
		if res := b.get("/app/campaigns"); res.Status != http.StatusForbidden {
			t.Errorf("%s opened the campaigns page: %d", who, res.Status)
		}
		page := b.get("/app/")
		if res := b.post("/app/campaigns", url.Values{"csrf": {page.csrf()}}); res.Status != http.StatusForbidden {
			t.Errorf("%s posted costs: %d", who, res.Status)
		}
	}
	mkt := e.client()
	mkt.signIn("mario")
	if res := mkt.post("/app/campaigns", url.Values{"csrf": {"not-the-token"}}); res.Status != http.StatusForbidden {
		t.Errorf("a post without the CSRF token: %d", res.Status)
	}
	page := mkt.get("/app/campaigns")
	if res := mkt.post("/app/campaigns", url.Values{"csrf": {page.csrf()}}); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Adjunta el archivo CSV") {
		t.Errorf("a post without a file: %s", res.Status2())
	}
}
