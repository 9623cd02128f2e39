package ui_test

import (
	"os"
	"strings"
	"testing"

	cdp "github.com/chromedp/chromedp"
)

// TestChromeDefinitionTypo is marketing's journey in a real browser: a
// typo in the definition is shown on its line, fixed, compared with the
// active version and activated, and the re-scoring runs to the end.
func TestChromeDefinitionTypo(t *testing.T) {
	e := newEnv(t)
	src, err := os.ReadFile("../../examples/definitions/instrumentos.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e.api("POST", "/api/v1/inquiries", map[string]any{"person": map[string]any{"email": "laura.chen@helixbio.com", "first_name": "Laura"},
		"company": map[string]any{"name": "Helix Biosciences", "country": "US"}, "action": map[string]any{"type": "price_request"}})
	c := e.tab()
	c.signIn("mario", "/app/")
	c.do(cdp.Navigate(e.URL + "/app/definitions"))
	if list := c.text("#versions"); !strings.Contains(list, "Instrumentos de medición") {
		t.Fatalf("versions: %q", list)
	}
	c.shot("ui-definitions")

	typo := strings.Replace(string(src), "action: route}", "action: rute}", 1)
	c.do(cdp.Click(cdp.CSS(`a[href="/app/definitions/new?from=1"]`)),
		cdp.WaitVisible(cdp.ID("source")),
		cdp.SetValue(cdp.ID("source"), typo),
		cdp.Click(cdp.CSS(`button[value="validate"]`)),
		cdp.WaitVisible(cdp.ID("def-errors")))
	listErr, lineErr := c.text("#def-errors"), c.text("#L85 .line-error")
	if !strings.Contains(listErr, "definition.yaml:85") || !strings.Contains(lineErr, "rute") {
		t.Fatalf("the typo's error: list %q, line 85 %q", listErr, lineErr)
	}
	c.do(cdp.ScrollIntoView(cdp.ID("L79")))
	c.shot("ui-definition-error")

	fixed := strings.Replace(string(src), `version: "2026.11-1"`, `version: "2026.11-2"`, 1)
	fixed = strings.Replace(fixed, "{name: caliente, labels: {es: Caliente, pt: Quente, en: Hot}, from: 70, action: route}", "{name: caliente, labels: {es: Caliente, pt: Quente, en: Hot}, from: 65, action: route}", 1)
	c.do(cdp.SetValue(cdp.ID("source"), fixed),
		cdp.Click(cdp.CSS(`button[value="validate"]`)),
		cdp.WaitVisible(cdp.CSS("tr.added")))
	if added := c.text("tr.added"); !strings.Contains(added, "2026.11-2") {
		t.Fatalf("the first added line: %q", added)
	}
	c.do(cdp.Click(cdp.CSS(`button[value="save"]`)),
		cdp.WaitVisible(cdp.CSS(`a[href="/app/definitions/2/activate"]`)),
		cdp.Navigate(e.URL+"/app/definitions/diff?a=1&b=2"),
		cdp.WaitVisible(cdp.CSS("tr.removed")))
	c.shot("ui-definition-diff")

	c.do(cdp.Click(cdp.CSS(`a[href="/app/definitions/2/activate"]`)),
		cdp.WaitVisible(cdp.ID("confirm-activate")))
	if confirm := c.text(".confirm"); !strings.Contains(confirm, " 1 ") {
		t.Errorf("the confirmation does not count the one live lead: %q", confirm)
	}
	c.shot("ui-definition-activate")
	c.do(cdp.Click(cdp.ID("confirm-activate")), cdp.WaitVisible(cdp.ID("reeval")))
	c.waitFor("the re-scoring to end", `(function(b){ return b.max > 0 && b.value == b.max })(document.getElementById("reeval-bar"))`)
	if who := c.text("main"); !strings.Contains(who, "mario@instrumentos.example") {
		t.Errorf("the version page does not say who activated it: %q", who)
	}
	c.shot("ui-definition-rescored")
}
