package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDatesInUserLanguage: date and month inputs show and take dates as
// the user's language writes them (dd/mm/aaaa in Spanish, yyyy-mm-dd in
// English), whatever the browser's locale (en-US here); the address of a
// filtered page carries ISO dates, also without JavaScript; a date that
// cannot be read is refused naming the field and how to write it.
func TestDatesInUserLanguage(t *testing.T) {
	e := newEnv(t)
	e.mql("Laura", "Chen", "laura.chen@helixbio.com", "US")

	// Without JavaScript: a date typed the Spanish way becomes ISO in the
	// address.
	b := e.client()
	b.signIn("rui")
	res := b.get("/app/leads?q=&from=20/11/2026&to=")
	if loc := res.Header.Get("Location"); res.Status != http.StatusSeeOther || !strings.Contains(loc, "from=2026-11-20") {
		t.Errorf("a Spanish date in the address: %d → %q", res.Status, loc)
	}
	bad := b.get("/app/leads?from=31/02/2026")
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "<strong>Creado desde</strong>") || !strings.Contains(bad.Body, "dd/mm/aaaa") ||
		!strings.Contains(bad.Body, "20/11/2026") {
		t.Errorf("a day that does not exist: %s", bad.Status2())
	}

	// In the browser, in Spanish.
	rui := e.tab()
	rui.signIn("rui", "/app/leads?from=2026-11-01")
	if got := eval[string](rui, `document.querySelector("#l-from").value + "|" + document.querySelector("#l-from").type + "|" + document.querySelector("#l-from").placeholder`); got != "01/11/2026|text|dd/mm/aaaa" {
		t.Errorf("the leads list's from date: %q", got)
	}
	rui.do(chromedp.SetValue(chromedp.CSS("#l-from"), "20/11/2026"), chromedp.SetValue(chromedp.CSS("#l-to"), "2/12/2026"))
	rui.submit("#lead-filters button.primary", "from=2026-11-20")
	if loc := rui.location(); !strings.Contains(loc, "to=2026-12-02") {
		t.Errorf("the address after filtering: %s", loc)
	}
	if got := eval[string](rui, `document.querySelector("#l-from").value + " " + document.querySelector("#l-to").value`); got != "20/11/2026 02/12/2026" {
		t.Errorf("the dates shown after filtering: %q", got)
	}

	// In English: ISO, which no one misreads; 11/20/2026 is refused.
	ada := e.tab()
	ada.signIn("ada", "/app/leads?from=2026-11-20")
	if got := eval[string](ada, `document.querySelector("#l-from").value + "|" + document.querySelector("#l-from").placeholder`); got != "2026-11-20|yyyy-mm-dd" {
		t.Errorf("the English from date: %q", got)
	}
	if got := ada.text("#leads-table"); !strings.Contains(got, "Laura Chen") {
		t.Errorf("the lead created on the 20th is not listed: %q", got)
	}
	ada.do(chromedp.SetValue(chromedp.CSS("#l-from"), "11/20/2026"))
	ada.submit("#lead-filters button.primary", "from=11")
	if got := ada.text(".problem"); !strings.Contains(got, "Created from") || !strings.Contains(got, "“11/20/2026” is not a date: write it as yyyy-mm-dd, e.g. 2026-11-20") {
		t.Errorf("an American date in English: %q", got)
	}

	// The reports' period and the campaign cost's month, in Spanish.
	mario := e.tab()
	mario.signIn("mario", "/app/reports?from=2026-11-01&to=2026-11-30")
	if got := eval[string](mario, `document.querySelector("#r-from").value + " " + document.querySelector("#r-to").value + " " + document.querySelector("#c-month").value`); got != "01/11/2026 30/11/2026 11/2026" {
		t.Errorf("the reports' dates: %q", got)
	}
	mario.do(chromedp.SetValue(chromedp.CSS("#r-from"), "05/11/2026"))
	mario.submit("#report-filters button", "from=2026-11-05")
	if got := mario.text("#funnel-csv"); got == "" {
		t.Errorf("no funnel CSV link")
	}
	if href := eval[string](mario, `document.querySelector("#funnel-csv").getAttribute("href")`); !strings.Contains(href, "from=2026-11-05") {
		t.Errorf("the CSV link's dates: %q", href)
	}
	mario.do(chromedp.SetValue(chromedp.CSS("#c-campaign"), "precios-2026"), chromedp.SetValue(chromedp.CSS("#c-month"), "13/2026"),
		chromedp.SetValue(chromedp.CSS("#c-amount"), "1.000"))
	mario.submit("#cost-form button", "campaign-costs")
	if got := mario.text(".problem"); !strings.Contains(got, "Mes") || !strings.Contains(got, "«13/2026» no es un mes: escríbelo como mm/aaaa, p. ej. 11/2026") {
		t.Errorf("a month that does not exist: %q", got)
	}
	mario.do(chromedp.SetValue(chromedp.CSS("#c-month"), "10/2026"))
	mario.submit("#cost-form button", "done=cost_saved")
	if res := e.api("GET", "/api/v1/campaigns/costs?from=2026-10&to=2026-10", nil); !strings.Contains(string(res), `"2026-10"`) {
		t.Errorf("the cost of October 2026 (10/2026) was not stored: %s", res)
	}
}
