package ui_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestMarketingLab: Mario (marketing, Spanish) imports outcomes for the
// leads in the database, backtests the active definition on them and sees
// the AUC with its interval and the decile lift chart; a rep gets the 403
// page.
func TestMarketingLab(t *testing.T) {
	e := newEnv(t)
	var csv strings.Builder
	csv.WriteString("email,outcome\n")
	// Half strong leads (a VP of a large company asking for prices), half
	// weak (a student downloading a paper); most strong ones are won.
	for i := range 24 {
		email := fmt.Sprintf("lead%02d@cliente.example", i)
		title, seniority, revenue, action := "VP Quality", "vp", 4.2e9, "price_request"
		if i%2 == 1 {
			title, seniority, revenue, action = "Student", "entry", 2e5, "content_download"
		}
		e.api("POST", "/api/v1/inquiries", map[string]any{
			"person":  map[string]any{"email": email, "first_name": "Ana", "last_name": fmt.Sprintf("Prueba%02d", i), "title": title, "seniority": seniority, "country": "us"},
			"company": map[string]any{"name": fmt.Sprintf("Empresa %02d", i), "revenue": map[string]any{"amount": revenue, "currency": "USD"}, "country": "US"},
			"source":  map[string]any{"format": "web_form", "channel": "organic"},
			"action":  map[string]any{"type": action},
		})
		outcome := "lost"
		if i%2 == 0 && i%6 != 0 || i == 5 {
			outcome = "won"
		}
		fmt.Fprintf(&csv, "%s,%s\n", email, outcome)
	}
	file := filepath.Join(t.TempDir(), "resultados.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	rep := e.client()
	rep.signIn("rita")
	if got := rep.get("/app/lab"); got.Status != 403 {
		t.Errorf("a rep opens the lab: %d", got.Status)
	}

	tb := e.tab()
	tb.signIn("mario", "/app/lab")
	if nav := tb.text("nav.side"); !strings.Contains(nav, "Laboratorio") {
		t.Errorf("menu without the lab: %q", nav)
	}
	tb.do(chromedp.SetUploadFiles(chromedp.CSS("#lab-file"), []string{file}))
	tb.submit("#lab-import", "/app/lab/outcomes")
	if got := tb.text("#lab-imported"); !strings.Contains(got, "resultados agregados de 24 filas") {
		t.Fatalf("import result: %q", got)
	}
	tb.do(chromedp.SetValue(chromedp.CSS("#lab-outcome"), "won"))
	tb.submit("#lab-run", "/app/lab/backtest")
	auc := tb.text("#auc-candidate")
	if !strings.Contains(auc, "AUC") || !strings.Contains(auc, "intervalo del 95%") || !strings.Contains(auc, ",") {
		t.Errorf("AUC in Spanish with its interval: %q", auc)
	}
	bars := eval[int](tb, `document.querySelectorAll("#lift-candidate rect.bar").length`)
	if bars == 0 {
		t.Errorf("no bars in the lift chart")
	}
	rows := eval[int](tb, `document.querySelectorAll("#deciles-candidate tbody tr").length`)
	if rows != bars {
		t.Errorf("%d bars but %d decile rows", bars, rows)
	}
	if n := eval[int](tb, `document.querySelectorAll("#rules-candidate tbody tr").length`); n == 0 {
		t.Errorf("no per-rule evidence")
	}
	if note := tb.text("#lab-report .note"); !strings.Contains(note, "primera consulta") {
		t.Errorf("the page does not say scoring is as of the inquiry: %q", note)
	}
	eval[bool](tb, `document.querySelector("#lab-report .note").scrollIntoView({block: "start"}), true`)
	tb.shot("lab")
}
