package ui_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestLeadPageLabels: the lead page names codes by their labels in the
// reader's language, writes every score the same way, and lists owners by
// name, not e-mail.
func TestLeadPageLabels(t *testing.T) {
	e := newEnv(t)
	id := e.mql("Laura", "Chen", "laura.chen@helixbio.com", "US")
	b := e.client()
	b.signIn("ada") // English
	p := b.get(fmt.Sprintf("/app/leads/%d", id))
	for _, want := range []string{"<dd>Life sciences</dd>", "<dd>United States</dd>", "<dd>Web form</dd>", "<dd>looks real</dd>"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("the lead page has no %s", want)
		}
	}
	parts := regexp.MustCompile(`\(fit ([0-9.,]+) · engagement ([0-9.,]+) · BANT ([0-9.,]+)\)`).FindStringSubmatch(p.Body)
	if parts == nil {
		t.Fatalf("no score parts on the page")
	}
	for _, v := range parts[1:] {
		if strings.HasSuffix(v, ".0") {
			t.Errorf("a whole score written with a decimal: %q in %q", v, parts[0])
		}
	}
	leads := b.get("/app/leads")
	owner := e.Users[e.ownerOf(id)]
	if !strings.Contains(leads.Body, `title="`+owner.Email+`">`+owner.Name+`</span>`) {
		t.Errorf("the leads list does not name the owner %s", owner.Name)
	}
}
