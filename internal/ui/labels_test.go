package ui_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCodesShownByLabel: the leads list, the queue and the reports name
// bands (the definition's labels), teams, sources and forms in the
// reader's language, not by their codes; the source filter offers labels
// and still puts the code in the URL; the CSV export keeps the codes and
// adds their labels.
func TestCodesShownByLabel(t *testing.T) {
	e := newEnv(t)
	form, _ := json.Marshal(map[string]any{"name": "precios", "action": "price_request",
		"fields": map[string]string{"email": "person.email"}, "title": map[string]string{"es": "Precios", "en": "Pricing", "pt": "Preços"}})
	if err := e.DB.PutForm(context.Background(), "precios", form, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.api("POST", "/api/v1/inquiries", map[string]any{
		"person":  map[string]any{"email": "ana.souza@helixbio.com", "first_name": "Ana", "last_name": "Souza"},
		"company": map[string]any{"name": "Helix", "country": "US"},
		"source":  map[string]any{"format": "webinar_list"},
		"action":  map[string]any{"type": "price_request", "props": map[string]any{"form": "precios"}},
	})
	id := e.mql("Laura", "Chen", "laura.chen@helixbio.com", "US")
	if id == 0 {
		t.Fatal("no lead")
	}

	// Ada reads English: the band "caliente" is Hot, the team Norteamérica.
	tb := e.tab()
	tb.signIn("ada", "/app/leads")
	table := tb.text("#leads-table")
	for _, want := range []string{"Hot", "Norteamérica"} {
		if !strings.Contains(table, want) {
			t.Errorf("the leads list does not show %q: %q", want, table)
		}
	}
	for _, code := range []string{"caliente", "norteamerica"} {
		if strings.Contains(table, code) {
			t.Errorf("the leads list shows the code %q: %q", code, table)
		}
	}
	if got := tb.text("#l-source"); !strings.Contains(got, "Web form") || !strings.Contains(got, "Webinar list") || strings.Contains(got, "web_form") {
		t.Errorf("the source filter's choices: %q", got)
	}
	if got := tb.text("#l-band"); !strings.Contains(got, "Hot") || !strings.Contains(got, "Warm") {
		t.Errorf("the band filter's choices: %q", got)
	}
	tb.do(chromedp.SetValue(chromedp.CSS("#l-source"), "webinar_list"))
	tb.submit("#lead-filters button.primary", "source=webinar_list")
	if got := tb.text("#leads-table"); !strings.Contains(got, "Ana Souza") || strings.Contains(got, "Laura Chen") {
		t.Errorf("filtered by the webinar list: %q", got)
	}

	// The export: codes where they were, labels in the last columns.
	b := e.client()
	b.signIn("ada")
	res := b.get("/app/leads.csv")
	recs, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil || len(recs) < 3 {
		t.Fatalf("the export: %v %q", err, res.Body)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, h := range []string{"band", "band_label", "source", "source_label", "team", "team_label", "stage", "stage_label", "country", "country_label"} {
		if _, ok := col[h]; !ok {
			t.Fatalf("the export has no %s column: %v", h, recs[0])
		}
	}
	for _, r := range recs[1:] {
		if r[col["email"]] != "laura.chen@helixbio.com" {
			continue
		}
		got := []string{r[col["band"]], r[col["band_label"]], r[col["source"]], r[col["source_label"]], r[col["team"]], r[col["team_label"]],
			r[col["stage"]], r[col["stage_label"]], r[col["country"]], r[col["country_label"]]}
		want := []string{"caliente", "Hot", "web_form", "Web form", "norteamerica", "Norteamérica", "mql", "MQL", "US", "United States"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("Laura's codes and labels: %v, want %v", got, want)
		}
	}

	// Marta reads Spanish: the reports' bands, forms, sources and teams.
	m := e.tab()
	m.signIn("marta", "/app/reports?from=2026-01-01&to=2027-12-31")
	if got := m.text("#bands-table"); !strings.Contains(got, "Caliente") || strings.Contains(got, "caliente") ||
		strings.Contains(got, "Frío") && strings.Index(got, "Frío") < strings.Index(got, "Caliente") {
		t.Errorf("bands table (labels, in the definition's order): %q", got)
	}
	if got := m.text("#forms-table"); !strings.Contains(got, "Precios") || strings.Contains(got, "precios") {
		t.Errorf("forms table: %q", got)
	}
	if got := m.text("#sources-table"); !strings.Contains(got, "Lista de webinar") {
		t.Errorf("sources table: %q", got)
	}
	if got := m.text("#r-source"); !strings.Contains(got, "Formulario web") {
		t.Errorf("the reports' source filter: %q", got)
	}
	if got := eval[string](m, `document.querySelector("#followup-heat")?.textContent || ""`); strings.Contains(got, "norteamerica") {
		t.Errorf("the follow-up names a team by its code: %q", got)
	}

	// Rita's queue (English): the band chip and filter by label.
	r := e.tab()
	r.signIn(e.ownerOf(id), "/app/queue")
	if got := r.text("#my-queue"); !strings.Contains(got, "Hot") && !strings.Contains(got, "Caliente") {
		t.Errorf("the queue's band: %q", got)
	}
}
