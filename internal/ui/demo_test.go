package ui_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/demo"
	"github.com/pistahq/pista/internal/demo/play"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// newDemoEnv is a server on the data of pista demo: four months of sales
// work played up to start (a Friday morning in Bogotá), with the demo's
// teams. Users maps "manager", "rep" and "marketing" to people with the
// test's password: the Latin American team's manager and first rep.
func newDemoEnv(t *testing.T, leads int) *env {
	t.Helper()
	ctx := context.Background()
	db := storetest.OpenSQLite(t)
	begin := start.AddDate(0, -4, 0).Truncate(24 * time.Hour)
	clk := testenv.NewClock(begin)
	log := testenv.Logger()
	svc, err := intake.New(ctx, intake.Config{DB: db, Now: clk.Now, Log: log, MaxBatch: 64})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	src, err := os.ReadFile("../../examples/definitions/instrumentos.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddDefinition(ctx, "instrumentos.yaml", src, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := play.Staff(ctx, svc, begin); err != nil {
		t.Fatal(err)
	}
	if err := play.Forms(ctx, svc); err != nil {
		t.Fatal(err)
	}
	if _, err := play.Run(ctx, play.Config{Intake: svc, Now: clk.Now, Set: clk.Set, Seed: 1, Leads: leads,
		Start: begin, End: start.Truncate(24 * time.Hour).Add(24 * time.Hour), Until: start, Log: log}); err != nil {
		t.Fatal(err)
	}
	clk.Set(start)
	e := serveEnv(t, db, svc, clk)
	auth := access.NewAuth(db, clk.Now)
	var latam demo.SalesTeam
	for _, tm := range demo.SalesOrg([]string{"latam", "norteamerica", "canada"}) {
		if tm.Name == "latam" {
			latam = tm
		}
	}
	people := map[string]demo.Seller{"manager": latam.Manager, "rep": latam.Reps[0],
		"marketing": {Name: "Marta Marketing", Email: "marketing@" + demo.SalesDomain, Role: access.Marketing, Language: "es", Timezone: "America/Bogota"}}
	for role, p := range people {
		u, err := play.EnsureUser(ctx, db, p, start)
		if err != nil {
			t.Fatal(err)
		}
		if err := auth.SetPassword(ctx, u.ID, password, ""); err != nil {
			t.Fatal(err)
		}
		e.Users[role] = u
	}
	return e
}

// signInEmail signs a user in through the form by e-mail.
func (tb *tab) signInEmail(email, next string) {
	tb.t.Helper()
	tb.open(next)
	tb.waitFor("the sign-in page", `location.pathname === "/login"`)
	tb.do(chromedp.SetValue(chromedp.CSS("#email"), email), chromedp.SetValue(chromedp.CSS("#password"), password))
	tb.submit("form[action='/login'] button", next)
}

// language switches the signed-in user's language in the database.
func (e *env) language(u *store.User, lang string) {
	e.t.Helper()
	u.Language = lang
	if err := e.DB.UpdateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
}

// TestDemoDashboards: on the demo's months, the manager's dashboard draws
// a funnel whose bars differ, months with data, a follow-up heat map with
// red cells (the rep who is often late) beside green ones and several
// rejection reasons; marketing's tables show sources that convert
// differently and a cost per won lead; the rep's queue has first touches
// overdue, due soon and on time. These are the user guide's pictures
// (PISTA_UI_SCREENSHOTS), in Spanish, with English and Portuguese
// variants to check that nothing is cut off.
func TestDemoDashboards(t *testing.T) {
	e := newDemoEnv(t, 800)
	period := "/app/reports?from=" + start.AddDate(0, -4, 0).Format(time.DateOnly) + "&to=" + start.Format(time.DateOnly)

	// The manager reads their own team's follow-up: the late rep is there.
	own := e.tab()
	own.signInEmail(e.Users["manager"].Email, period)
	if heat := own.text("#followup-heat"); !strings.Contains(heat, "Valeria Quintero") {
		t.Errorf("the late rep is not in her manager's heat map: %q", heat)
	}
	// The pictures show every team, as marketing (and admins) see them.
	mgr := e.tab()
	mgr.signInEmail(e.Users["marketing"].Email, period)
	counts := map[string]string{}
	for _, st := range []string{"inquiry", "mql", "sal", "sql", "opportunity", "won"} {
		counts[st] = mgr.text(`#funnel-chart text.count[data-stage="` + st + `"]`)
		if counts[st] == "" || counts[st] == "0" {
			t.Errorf("funnel bar %s shows %q", st, counts[st])
		}
	}
	if counts["inquiry"] == counts["mql"] || counts["mql"] == counts["won"] {
		t.Errorf("a flat funnel: %v", counts)
	}
	if n := eval[int](mgr, `document.querySelectorAll("#months-table tbody tr td.num").length`); n == 0 {
		t.Errorf("no months table")
	}
	mgr.shot("reports")
	bad := eval[int](mgr, `document.querySelectorAll("#followup-heat td.heat-bad").length`)
	good := eval[int](mgr, `document.querySelectorAll("#followup-heat td.heat-good").length`)
	if bad == 0 || good == 0 {
		t.Errorf("heat map with %d red and %d green cells: want both", bad, good)
	}
	if heat := mgr.text("#followup-heat"); !strings.Contains(heat, "Valeria Quintero") {
		t.Errorf("the late rep is not in the heat map: %q", heat)
	}
	// The heat map of the last seven weeks fits the page's width.
	weeks := "/app/reports?from=" + start.AddDate(0, 0, -46).Format(time.DateOnly) + "&to=" + start.Format(time.DateOnly)
	mgr.open(weeks)
	mgr.do(chromedp.ScrollIntoView(chromedp.CSS("#followup-heat")))
	mgr.shot("reports-follow-up")
	mgr.open(period)
	if n := eval[int](mgr, `document.querySelectorAll("#reasons-table tbody tr").length`); n < 3 {
		t.Errorf("%d rejection reasons, want several", n)
	}
	mgr.do(chromedp.ScrollIntoView(chromedp.CSS("#sources-h")))
	mgr.shot("reports-marketing")
	for _, lang := range []string{"en", "pt"} {
		e.language(e.Users["marketing"], lang)
		mgr.open(weeks)
		mgr.do(chromedp.ScrollIntoView(chromedp.CSS("#followup-heat")))
		mgr.shot("reports-follow-up-" + lang)
		mgr.open(period)
		mgr.shot("reports-" + lang)
		mgr.do(chromedp.ScrollIntoView(chromedp.CSS("#sources-h")))
		mgr.shot("reports-marketing-" + lang)
	}

	e.language(e.Users["marketing"], "es")
	mkt := e.tab()
	mkt.signInEmail(e.Users["marketing"].Email, period)
	if got := mkt.text("#campaigns-table"); !strings.Contains(got, "USD") {
		t.Errorf("no campaign costs: %q", got)
	}
	mkt.do(chromedp.ScrollIntoView(chromedp.CSS("#campaigns-h")))
	mkt.shot("reports-campaigns")

	rep := e.tab()
	rep.signInEmail(e.Users["rep"].Email, "/app/queue")
	states := map[string]int{}
	for _, st := range []string{"breached", "soon", "on_time"} {
		states[st] = eval[int](rep, fmt.Sprintf(`document.querySelectorAll("#my-queue .sla.%s").length`, st))
	}
	if states["breached"] == 0 || states["on_time"]+states["soon"] == 0 {
		t.Errorf("the rep's queue: %v first touches overdue, due soon, on time; want some overdue and some not", states)
	}
	rep.shot("queue")
	// The lead page of the best lead in the queue (the one with most fit
	// rules to explain).
	href := eval[string](rep, `(() => { let best = null, top = -1;
		for (const tr of document.querySelectorAll("#my-queue tbody tr")) {
			const score = parseFloat(tr.querySelector("td.num")?.textContent.replace(",", ".") || "0");
			if (score > top) { top = score; best = tr.querySelector("td a").getAttribute("href"); }
		}
		return best; })()`)
	rep.open(href)
	rep.waitFor("the lead page", `location.pathname.startsWith("/app/leads/") && document.readyState === "complete"`)
	rep.shot("lead")
	for _, lang := range []string{"en", "pt"} {
		e.language(e.Users["rep"], lang)
		rep.open("/app/queue")
		rep.shot("queue-" + lang)
	}
}
