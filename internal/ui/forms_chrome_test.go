package ui_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	cdp "github.com/chromedp/chromedp"
)

// TestChromeForms is marketing's journey with a web form in a real
// browser: create it, watch the preview follow the labels, save it, find it
// in the list; then a visitor opens its hosted page, sends it, and the
// inquiry arrives among the leads.
func TestChromeForms(t *testing.T) {
	e := newEnv(t)
	c := e.tab()
	c.signIn("ada", "/app/forms") // admin, in English
	if empty := c.text("main .empty"); !strings.Contains(empty, "No forms yet") {
		t.Fatalf("empty list: %q", empty)
	}
	c.submit("#new-form", "/app/forms/new")
	c.do(cdp.SetValue(cdp.ID("f-name"), "precios"),
		cdp.SetValue(cdp.ID("f-action"), "price_request"),
		cdp.SetValue(cdp.ID("f-campaign"), "precios-2026"),
		cdp.SetValue(cdp.ID("f-title-en"), "Ask for a price"),
		cdp.SetValue(cdp.ID("f5-name"), "product"),
		cdp.SetValue(cdp.ID("f5-target"), "action.props.product"),
		cdp.SetValue(cdp.ID("f5-options"), "HX-200, HX-300"))
	// The preview follows the editor (the page's script posts it as it changes).
	c.do(cdp.SendKeys(cdp.ID("f5-label-en"), "Instrument"))
	c.waitFor("the preview to show the new field", `document.querySelector("#form-preview").textContent.includes("Instrument")`)
	c.do(cdp.ScrollIntoView(cdp.ID("form-fields")))
	c.shot("ui-form-edit")
	c.submit("#save-form", "/app/forms/precios?done=saved")
	if flash := c.text(".flash"); !strings.Contains(flash, "Form saved") {
		t.Errorf("after saving: %q", flash)
	}
	if snippet := eval[string](c, `document.getElementById("snippet").value`); !strings.Contains(snippet, e.URL+"/f/precios") || !strings.Contains(snippet, `name="product"`) {
		t.Errorf("snippet: %s", snippet)
	}
	c.do(cdp.Navigate(e.URL + "/app/forms"))
	if row := c.text("#forms tbody tr"); !strings.Contains(row, "precios") || !strings.Contains(row, "precios-2026") || !strings.Contains(row, "Ask for a price") {
		t.Errorf("list row: %q", row)
	}
	c.shot("ui-forms")

	// A visitor (a browser of their own, in English) opens the hosted page.
	v := e.tab()
	v.open("/f/precios?utm_source=newsletter")
	if h := v.text("h1"); h != "Ask for a price" {
		t.Errorf("hosted page heading %q", h)
	}
	v.shot("ui-form-hosted")
	e.Clock.Advance(10 * time.Second) // a person takes a while to fill it in
	v.do(cdp.SetValue(cdp.CSS(`input[name="name"]`), "Grace Hopper"),
		cdp.SetValue(cdp.CSS(`input[name="email"]`), "grace.hopper@navylab.example"),
		cdp.SetValue(cdp.CSS(`input[name="company"]`), "Navy Lab"),
		cdp.SetValue(cdp.CSS(`select[name="product"]`), "HX-300"))
	v.submit(`.pista-form button[type="submit"]`, "/f/precios/thanks")
	if h := v.text("h1"); h != "Thank you" {
		t.Errorf("thank-you heading %q", h)
	}

	// The inquiry arrives: marketing finds the lead, with the form's
	// campaign and the page's utm_source (newsletter: the channel code email).
	c.do(cdp.Navigate(e.URL + "/app/leads?q=grace.hopper"))
	c.waitFor("the lead in the list", `document.querySelector("main").textContent.includes("Grace Hopper")`)
	var found struct {
		Leads []struct {
			ID int64 `json:"id"`
		} `json:"leads"`
	}
	if err := json.Unmarshal(e.api("GET", "/api/v1/leads?q=grace.hopper", nil), &found); err != nil || len(found.Leads) != 1 {
		t.Fatalf("leads found: %+v %v", found, err)
	}
	var got struct {
		Source struct{ Channel, Campaign string } `json:"source"`
	}
	if err := json.Unmarshal(e.api("GET", "/api/v1/leads/"+strconv.FormatInt(found.Leads[0].ID, 10), nil), &got); err != nil {
		t.Fatal(err)
	}
	if got.Source.Campaign != "precios-2026" || got.Source.Channel != "email" {
		t.Errorf("the lead's source: %+v", got.Source)
	}

	// A rep may not open the forms.
	r := e.tab()
	r.signIn("rita", "/app/")
	r.open("/app/forms")
	if h := r.text("h1"); !strings.Contains(h, "You may not see this") {
		t.Errorf("a rep on /app/forms sees %q", h)
	}
}
