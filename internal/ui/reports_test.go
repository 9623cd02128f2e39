package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pistahq/pista/internal/waterfall"
)

// TestManagerReadsFunnel: three MQLs, one accepted and one rejected for
// no budget; the manager's dashboard draws 3 → 3 → 1 with the rate
// between, in Spanish number format, the rejection reason and a CSV link
// with the same filters. A rep gets the 403 page.
func TestManagerReadsFunnel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ids := []int64{
		e.mql("Ana", "Uno", "ana.uno@helixbio.com", "US"),
		e.mql("Beto", "Dos", "beto.dos@helixbio.com", "US"),
		e.mql("Caro", "Tres", "caro.tres@helixbio.com", "US"),
	}
	marta := waterfall.Actor{User: e.Users["marta"], Role: e.Users["marta"].Role, Name: e.Users["marta"].Email}
	if _, err := e.WF.Accept(ctx, ids[0], marta, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.WF.Reject(ctx, ids[1], marta, "no_budget", "sin presupuesto"); err != nil {
		t.Fatal(err)
	}

	rep := e.client()
	rep.signIn("rita")
	if res := rep.get("/app/reports"); res.Status != http.StatusForbidden {
		t.Fatalf("a rep opened the reports: %d", res.Status)
	}
	if res := rep.get("/app/"); strings.Contains(res.Body, `href="/app/reports"`) {
		t.Errorf("a rep's menu links to the reports")
	}

	tb := e.tab()
	tb.signIn("marta", "/app/reports")
	want := map[string]string{"inquiry": "3", "mql": "3", "sal": "1", "sql": "0", "opportunity": "0", "won": "0"}
	for stage, n := range want {
		if got := tb.text(`#funnel-chart text.count[data-stage="` + stage + `"]`); got != n {
			t.Errorf("funnel bar %s shows %q, want %s", stage, got, n)
		}
	}
	bars := eval[int](tb, `document.querySelectorAll("#funnel-chart rect.bar").length`)
	if bars != 6 {
		t.Errorf("%d funnel bars, want 6", bars)
	}
	if w := eval[float64](tb, `document.querySelector("#funnel-chart rect.bar-inquiry").getBBox().width`); w < 300 {
		t.Errorf("the first bar is %v wide: not drawn", w)
	}
	if got := tb.text("#funnel-chart"); !strings.Contains(got, "33,3\u00a0%") || !strings.Contains(got, "100,0\u00a0%") {
		t.Errorf("funnel rates (es): %q", got)
	}
	if got := tb.text("#reasons-table"); !strings.Contains(got, "sin presupuesto") && !strings.Contains(got, "presupuesto") {
		t.Errorf("rejection reasons: %q", got)
	}
	if got := tb.text("#months-table"); !strings.Contains(got, "11/2026 (este mes)") || !strings.Contains(got, "08/2026") {
		t.Errorf("months table: %q", got)
	}
	csv := eval[string](tb, `document.querySelector("#funnel-csv").getAttribute("href")`)
	if !strings.HasPrefix(csv, "/app/reports/funnel.csv?") || !strings.Contains(csv, "from=2026-11-01") {
		t.Errorf("CSV link: %q", csv)
	}

	heat := tb.text("#followup-heat")
	if !strings.Contains(heat, "2026-W47") || !strings.Contains(heat, "Rep") || !strings.Contains(heat, "%") {
		t.Errorf("follow-up heat map: %q", heat)
	}
	if n := eval[int](tb, `document.querySelectorAll("#followup-heat td.heat-good, #followup-heat td.heat-mid, #followup-heat td.heat-bad").length`); n == 0 {
		t.Errorf("no coloured cell in the heat map")
	}
	tb.do(chromedp.ScrollIntoView(chromedp.CSS("#followup-h")))
	if got := tb.text("#sources-table"); !strings.Contains(got, "Formulario web") || strings.Contains(got, "web_form") || !strings.Contains(got, "0,0\u00a0%") {
		t.Errorf("conversion by source: %q", got)
	}
	if n := eval[int](tb, `document.querySelectorAll("#bands-table tbody tr, #bands-table + p.empty, section[aria-labelledby=bands-h] p.empty").length`); n == 0 {
		t.Errorf("no bands table")
	}
	tb.do(chromedp.ScrollIntoView(chromedp.CSS("#sources-h")))

	mgr := e.client()
	mgr.signIn("marta")
	res := mgr.get(csv)
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "no_budget") {
		t.Errorf("the funnel CSV: %s", res)
	}
	if res := mgr.get("/app/reports?from=noviembre"); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "from") {
		t.Errorf("a bad date: %d", res.Status)
	}
}

// TestManagerReportsOwnTeams: a manager's dashboards count the leads of
// the teams they manage or belong to only; the team filter lists those,
// and another team's address is the 403 page in the manager's language
// (the CSVs too). An admin sees every team.
func TestManagerReportsOwnTeams(t *testing.T) {
	e := newEnv(t)
	e.mql("Ana", "Uno", "ana.uno@helixbio.com", "US")
	e.mql("Beto", "Dos", "beto.dos@helixbio.com", "US")
	e.mql("Caro", "Tres", "caro.tres@maplebio.com", "CA")

	tb := e.tab()
	tb.signIn("marta", "/app/reports")
	if got := tb.text(`#funnel-chart text.count[data-stage="inquiry"]`); got != "2" {
		t.Errorf("marta's funnel counts %q inquiries, want her team's 2", got)
	}
	teams := eval[[]string](tb, `Array.from(document.querySelectorAll("#r-team option")).map(o => o.value)`)
	if strings.Join(teams, ",") != ",norteamerica" {
		t.Errorf("marta's team filter offers %q", teams)
	}
	if heat := tb.text("#followup-heat"); strings.Contains(heat, "Lina") {
		t.Errorf("marta's follow-up heat map shows canada's rep: %q", heat)
	}
	tb.open("/app/reports?team=canada")
	if got := tb.text("main"); !strings.Contains(got, `"canada"`) || !strings.Contains(got, "no es tuyo") {
		t.Errorf("marta asks for canada: %q", got)
	}
	tb.shot("reports-forbidden-team")

	marta := e.client()
	marta.signIn("marta")
	for _, path := range []string{"/app/reports?team=canada", "/app/reports/funnel.csv?team=canada",
		"/app/reports/follow-up.csv?team=canada", "/app/reports/bands.csv?team=canada", "/app/reports/campaigns.csv?team=canada"} {
		if res := marta.get(path); res.Status != http.StatusForbidden {
			t.Errorf("marta GET %s: %d", path, res.Status)
		}
	}
	res := marta.get("/app/reports/funnel.csv")
	if lines := strings.Split(strings.TrimSpace(res.Body), "\n"); res.Status != 200 || len(lines) < 2 || !strings.Contains(lines[1], ",2,") {
		t.Errorf("marta's funnel CSV: %s", res)
	}

	ada := e.tab()
	ada.signIn("ada", "/app/reports")
	if got := ada.text(`#funnel-chart text.count[data-stage="inquiry"]`); got != "3" {
		t.Errorf("the admin's funnel counts %q inquiries, want 3", got)
	}
	ada.open("/app/reports?team=canada")
	if got := ada.text(`#funnel-chart text.count[data-stage="inquiry"]`); got != "1" {
		t.Errorf("the admin's canada funnel counts %q inquiries, want 1", got)
	}
}
