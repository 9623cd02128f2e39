package ui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ownerOf is the first name of a lead's owner.
func (e *env) ownerOf(id int64) string {
	e.t.Helper()
	l, err := e.DB.Lead(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	for first, u := range e.Users {
		if u.ID == l.OwnerID {
			return first
		}
	}
	e.t.Fatalf("lead %d has no owner", id)
	return ""
}

func (e *env) stage(id int64) string {
	e.t.Helper()
	l, err := e.DB.Lead(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return l.Stage()
}

// TestRepWinsALead: a rep signs in, sees the queue, opens the first lead,
// reads why it scored, accepts it, records a BANT call reaching 75 (SQL,
// shown before saving), opens an opportunity and wins it; then switches
// the language and sees texts and numbers change.
func TestRepWinsALead(t *testing.T) {
	e := newEnv(t)
	id := e.mql("Laura", "Chen", "laura.chen@helixbio.com", "US")
	rep := e.ownerOf(id)
	// Rita is English; Rui is Spanish. Whoever got the lead works it.
	tb := e.tab()
	tb.open("/login")
	tb.shot("login")
	tb.signIn(rep, "/app/queue")
	if got := tb.text("#my-queue tbody tr td a"); got != "Laura Chen" {
		t.Fatalf("first lead in the queue: %q", got)
	}
	if sla := tb.text("#my-queue tbody tr .sla"); !strings.Contains(sla, "due in 18 h") {
		t.Errorf("first-touch countdown: %q", sla)
	}

	tb.do(chromedp.Click(chromedp.CSS("#my-queue tbody tr td a")))
	tb.waitFor("the lead page", fmt.Sprintf(`location.pathname === "/app/leads/%d" && document.readyState === "complete"`, id))
	why := tb.text("#why")
	for _, rule := range []string{"ciencias_de_la_vida", "ingresos_grandes", "paginas_producto"} {
		if !strings.Contains(why, rule) {
			t.Errorf("the explanation has no %s: %q", rule, why)
		}
	}
	tb.submit("#act-accept", "done=accepted")
	if got := e.stage(id); got != "sal" {
		t.Fatalf("after accept: %s", got)
	}
	tb.do(chromedp.SetValue(chromedp.CSS("#bant-budget"), "25000"),
		chromedp.SetValue(chromedp.CSS("#bant-authority"), "decision_maker"),
		chromedp.SetValue(chromedp.CSS("#bant-need"), "confirmed"),
		chromedp.SetValue(chromedp.CSS("#bant-timing"), "3"))
	// Before saving, the page says the total and that it reaches SQL.
	tb.submit("#bant-calc", fmt.Sprintf("/app/leads/%d/bant", id))
	total := tb.text("#bant-total")
	if !strings.Contains(total, "100 / 100") || !strings.Contains(strings.ToLower(total), "sql (≥ 75)") {
		t.Fatalf("BANT total before saving: %q", total)
	}
	if got := e.stage(id); got != "sal" {
		t.Fatalf("calculating saved the call: %s", got)
	}

	tb.submit("#bant-save", "done=bant")
	if got := e.stage(id); got != "sql" {
		t.Fatalf("after the BANT call: %s", got)
	}
	// The call's budget is written back as the rep's language writes
	// amounts, and the explanation says "qualified" in it.
	budget, qualified := "25,000", "qualified"
	if e.Users[e.ownerOf(id)].Language == "es" {
		budget, qualified = "25.000", "calificado"
	}
	if got := eval[string](tb, `document.querySelector("#bant-budget").value`); got != budget {
		t.Errorf("the recorded budget shows as %q, want %q", got, budget)
	}
	if got := tb.text("#why"); !strings.Contains(got, qualified) {
		t.Errorf("the BANT line of the explanation: %q", got)
	}
	tb.do(chromedp.SetValue(chromedp.CSS("#opp-amount"), "25000"))
	tb.submit("#opp-save", "done=opportunity")
	if got := e.stage(id); got != "opportunity" {
		t.Fatalf("after the opportunity: %s", got)
	}
	tb.submit("#act-won", "done=won")
	if got := e.stage(id); got != "won" {
		t.Fatalf("after won: %s", got)
	}
	// Language switch: texts and number formats follow.
	for _, tc := range []struct{ lang, stage, money, nav string }{
		{"pt", "ganha", "USD 25.000,00", "Minha fila"},
		{"en", "won", "USD 25,000.00", "My queue"},
		{"es", "ganada", "USD 25.000,00", "Mi cola"},
	} {
		tb.submit(fmt.Sprintf(".langs button[value=%s]", tc.lang), fmt.Sprintf("/app/leads/%d", id))
		tb.waitFor(tc.lang, fmt.Sprintf(`document.documentElement.lang === %q`, tc.lang))
		if got := tb.text("#lead-stage"); got != tc.stage {
			t.Errorf("%s: stage %q, want %q", tc.lang, got, tc.stage)
		}
		if got := tb.text(".facts-line"); !strings.Contains(got, tc.money) {
			t.Errorf("%s: the opportunity is not written %s: %q", tc.lang, tc.money, got)
		}
		if got := tb.text(".side"); !strings.Contains(got, tc.nav) {
			t.Errorf("%s: menu %q has no %q", tc.lang, got, tc.nav)
		}
	}
	tb.shot("lead-won")
	tb.open("/app/settings")
	tb.shot("settings")
}

// TestRepRejectsNoBudget: rejected for "no budget", the lead goes to
// nurture with the definition's re-contact date, shown on the page.
func TestRepRejectsNoBudget(t *testing.T) {
	e := newEnv(t)
	id := e.mql("Bruno", "Lima", "bruno.lima@helixbio.com", "US")
	tb := e.tab()
	tb.signIn(e.ownerOf(id), fmt.Sprintf("/app/leads/%d", id))
	tb.do(chromedp.Click(chromedp.CSS("details.act summary")), // the touch form
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details.act").forEach(d => d.open = true)`),
		chromedp.SetValue(chromedp.CSS("#reject-reason"), "no_budget"),
		chromedp.SetValue(chromedp.CSS("#reject-note"), "sin presupuesto hasta 2027"))
	tb.submit("#reject-save", "done=rejected")
	if got := e.stage(id); got != "nurture" {
		t.Fatalf("after rejecting for no budget: %s", got)
	}
	line := tb.text(".facts-line")
	// 3 weeks after Friday 20 November 2026.
	if !strings.Contains(line, "11/12/2026") && !strings.Contains(line, "Dec 11, 2026") {
		t.Errorf("no re-contact date on the page: %q", line)
	}
	tb.shot("lead-nurture")
}

// TestManagerReassignsBreached: a first touch falls due; the manager sees
// it breached on the team page and gives the lead to the other rep.
func TestManagerReassignsBreached(t *testing.T) {
	e := newEnv(t)
	id := e.mql("Carla", "Souza", "carla.souza@helixbio.com", "US")
	first := e.ownerOf(id)
	e.Clock.Advance(4*24*time.Hour + 3*time.Hour) // Tuesday 13:00: 3 business hours past the 2 days
	if _, err := e.WF.FireDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	tb := e.tab()
	tb.signIn("marta", "/app/team")
	breached := tb.text("#breached")
	if !strings.Contains(breached, "Carla Souza") || !strings.Contains(breached, "VENCIDO") {
		t.Fatalf("the team page shows no breached first touch: %q", breached)
	}
	if got := tb.text("#team-norteamerica"); !strings.Contains(got, "Rita Rep") || !strings.Contains(got, "Rui Rep") {
		t.Errorf("team table: %q", got)
	}
	tb.shot("team")
	other := "rita"
	if first == "rita" {
		other = "rui"
	}
	tb.do(chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#re-%d", id)), fmt.Sprint(e.Users[other].ID)))
	tb.submit("#breached button", "done=assigned")
	if got := e.ownerOf(id); got != other {
		t.Fatalf("owner after reassigning: %s, want %s", got, other)
	}
	if line := tb.text(".facts-line"); !strings.Contains(line, e.Users[other].Name) {
		t.Errorf("the lead page does not name the new owner: %q", line)
	}
}

// TestRefusals: another team's rep gets the 403 page in their language; a
// POST without the CSRF token is refused; a lead named with HTML shows
// escaped (and runs nothing).
func TestRefusals(t *testing.T) {
	e := newEnv(t)
	id := e.mql("Diego", "Ramos", "diego.ramos@helixbio.com", "US")
	xss := e.inquiry("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "xss.test@helixbio.com", "US")
	tb := e.tab()
	tb.signIn("lina", "/app/queue") // Lina is in Canada and speaks Portuguese
	tb.open(fmt.Sprintf("/app/leads/%d", id))
	if got := tb.text("main"); !strings.Contains(got, "403") || !strings.Contains(got, "Você não tem permissão para ver isto") {
		t.Fatalf("another team's lead: %q", got)
	}
	tb.shot("forbidden")
	status := eval[float64](tb, fmt.Sprintf(`fetch("/app/leads/%d/accept", {method: "POST", body: new URLSearchParams({idem: "x"})}).then(r => r.status)`, id))
	if status != 403 {
		t.Errorf("a POST without the CSRF token: %v", status)
	}
	// The HTML name is a fake by the definition's quality rules, so only
	// those who see every lead see it: the admin.
	owner := e.tab()
	owner.signIn("ada", fmt.Sprintf("/app/leads/%d", xss))
	h1 := owner.text("h1")
	if !strings.Contains(h1, "<script>alert(1)</script>") {
		t.Errorf("the name is not shown as text: %q", h1)
	}
	if n := eval[float64](owner, `document.querySelectorAll("main script, main img").length`); n != 0 {
		t.Errorf("the lead's name became %v elements", n)
	}
	owner.open("/app/leads")
	if got := owner.text("#leads-table"); !strings.Contains(got, "<script>alert(1)</script>") {
		t.Errorf("leads list: %q", got)
	}
	owner.shot("leads")
	if owner.dialogs.Load() != 0 || tb.dialogs.Load() != 0 {
		t.Error("a dialog opened: the name ran as script")
	}
}
