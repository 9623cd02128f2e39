package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestMarketingEntersCampaignCost: marketing enters what a campaign cost
// in November on the reports page, in Spanish number format; the page
// then shows the campaign's cost, cost per MQL and per won lead in local
// format, the same as the API's report. A bad amount and month are named
// on the form and nothing is stored; a manager sees the table of their
// teams' leads, without costs or the form, and may not post one.
func TestMarketingEntersCampaignCost(t *testing.T) {
	e := newEnv(t)
	e.mql("Ana", "Uno", "ana.uno@helixbio.com", "US")
	e.mql("Beto", "Dos", "beto.dos@helixbio.com", "US")
	const period = "from=2026-11-01&to=2026-11-30"

	mkt := e.client()
	mkt.signIn("mario")
	page := mkt.get("/app/reports?" + period)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="cost-form"`) || !strings.Contains(page.Body, `<option value="precios-2026">`) {
		t.Fatalf("marketing's reports page has no cost form with the known campaigns: %s", page.Status2())
	}
	bad := mkt.post("/app/reports/campaign-costs?"+period, url.Values{"csrf": {page.csrf()}, "campaign": {"precios-2026"},
		"month": {"noviembre"}, "amount": {"mil"}, "currency": {"USD"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "2026-11") || !strings.Contains(bad.Body, "monto") {
		t.Errorf("a bad month and amount: %s", bad.Status2())
	}
	if res := e.api("GET", "/api/v1/campaigns/costs", nil); strings.Contains(string(res), "precios-2026") {
		t.Errorf("a refused cost was stored: %s", res)
	}
	ok := mkt.post("/app/reports/campaign-costs?"+period, url.Values{"csrf": {page.csrf()}, "campaign": {"precios-2026"},
		"month": {"2026-11"}, "amount": {"1.500,50"}, "currency": {"usd"}})
	if ok.Status != http.StatusSeeOther || !strings.Contains(ok.Header.Get("Location"), "done=cost_saved") {
		t.Fatalf("saving the cost: %s", ok.Status2())
	}
	page = mkt.get(ok.Header.Get("Location"))
	row := between(page.Body, `id="campaigns-table"`, `</table>`)
	for _, want := range []string{"precios-2026", "USD 1.500,50", "USD 750,25", "Costo de campaña guardado"} {
		if !strings.Contains(row+page.Body[:strings.Index(page.Body, `id="campaigns-table"`)], want) {
			t.Errorf("campaigns table lacks %q:\n%s", want, row)
		}
	}
	api := string(e.api("GET", "/api/v1/reports/campaigns?from=2026-11-01&to=2026-12-01", nil))
	if !strings.Contains(api, `"cost":{"USD":1500.5}`) || !strings.Contains(api, `"cost_per_mql":750.25`) || !strings.Contains(api, `"cost_per_won":null`) {
		t.Errorf("the API's campaign report: %s", api)
	}

	mgr := e.client()
	mgr.signIn("marta")
	mp := mgr.get("/app/reports?" + period)
	// Marta's page counts her team's leads only: a campaign's cost is not
	// split between teams, so she sees the conversion but no cost.
	mrow := between(mp.Body, `id="campaigns-table"`, `</table>`)
	if mp.Status != http.StatusOK || strings.Contains(mp.Body, `id="cost-form"`) || !strings.Contains(mrow, "precios-2026") ||
		strings.Contains(mrow, "USD") || !strings.Contains(mp.Body, `id="costs-hidden"`) {
		t.Errorf("the manager's page: form shown, campaign missing or costs shown:\n%s", mrow)
	}
	if res := mgr.post("/app/reports/campaign-costs", url.Values{"csrf": {mp.csrf()}, "campaign": {"x"}, "month": {"2026-11"}, "amount": {"1"}, "currency": {"USD"}}); res.Status != http.StatusForbidden {
		t.Errorf("a manager posted a cost: %d", res.Status)
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

func (p resp) Status2() string {
	if len(p.Body) > 2000 {
		return p.String()[:2000]
	}
	return p.String()
}
