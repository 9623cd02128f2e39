package ui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestLeadTimelineInWords: a lead's history names people, teams, actions
// and reasons in the reader's language (no e-mails, codes, English
// reasons or empty brackets), and a lead rejected after its first touch
// fell due says the touch was late instead of counting the delay on.
func TestLeadTimelineInWords(t *testing.T) {
	e := newEnv(t)
	id := e.mql("Bruno", "Lima", "bruno.lima@helixbio.com", "US")
	owner := e.ownerOf(id)
	e.Clock.Advance(4*24*time.Hour + 3*time.Hour) // past the first touch's two business days
	if _, err := e.WF.FireDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	rep := e.tab()
	rep.signIn(owner, fmt.Sprintf("/app/leads/%d", id))
	rep.do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details.act").forEach(d => d.open = true)`),
		chromedp.SetValue(chromedp.CSS("#reject-reason"), "no_budget"))
	rep.submit("#reject-save", "done=rejected")

	m := e.tab()
	m.signIn("marta", fmt.Sprintf("/app/leads/%d", id))
	tl := m.text("#timeline")
	name := e.Users[owner].Name
	for _, want := range []string{"Consulta: Solicitud de precio", "Rechazado por " + name + ": sin presupuesto", "(rechazado: sin presupuesto)",
		"Asignado a " + name + " (equipo Norteamérica)", "(puntaje "} {
		if !strings.Contains(tl, want) {
			t.Errorf("the timeline lacks %q:\n%s", want, tl)
		}
	}
	for _, bad := range []string{"@instrumentos.example", "rejected", "price_request", "norteamerica", "()", "no_budget"} {
		if strings.Contains(tl, bad) {
			t.Errorf("the timeline shows %q:\n%s", bad, tl)
		}
	}
	if got := m.text(".facts-line"); strings.Contains(got, "VENCIDO") || !strings.Contains(got, "primer contacto fuera de plazo") {
		t.Errorf("a rejected lead's first touch: %q", got)
	}
	m.shot("lead-timeline-words")
}
