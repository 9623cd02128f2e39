package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLeadActsOverHTTP walks a lead through the forms without a browser:
// accept, a BANT call to SQL, opportunity, won; a replayed form is a
// no-op; another team's rep gets the 403 page.
func TestLeadActsOverHTTP(t *testing.T) {
	e := newEnv(t)
	id := e.mql("Laura", "Chen", "laura.chen@helixbio.com", "US")
	l, err := e.DB.Lead(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	owner := "rita"
	if l.OwnerID == e.Users["rui"].ID {
		owner = "rui"
	}
	b := e.client()
	b.signIn(owner)
	path := fmt.Sprintf("/app/leads/%d", id)
	p := b.get(path)
	if p.Status != 200 || !strings.Contains(p.Body, "Laura Chen") || !strings.Contains(p.Body, `id="act-accept"`) {
		t.Fatalf("lead page: %s", p)
	}
	idem := find(`name="idem" value="([^"]+)"`, p.Body)
	form := url.Values{"csrf": {p.csrf()}, "idem": {idem}}
	if res := b.post(path+"/accept", form); res.Status != http.StatusSeeOther {
		t.Fatalf("accept: %s", res)
	}
	if res := b.post(path+"/accept", form); res.Status != http.StatusSeeOther {
		t.Fatalf("the same accept form again: %s (want the first answer, not a conflict)", res)
	}
	p = b.get(path)
	bant := url.Values{"csrf": {p.csrf()}, "idem": {find(`name="idem" value="([^"]+)"`, p.Body)}, "budget": {"25,000"}, "currency": {"USD"},
		"authority": {"decision_maker"}, "need": {"confirmed"}, "timing": {"3"}, "method": {"call"}, "preview": {"1"}}
	prev := b.post(path+"/bant", bant)
	if prev.Status != 200 || !strings.Contains(prev.Body, "100 / 100") {
		t.Fatalf("BANT preview: %s", prev)
	}
	bant.Del("preview")
	if res := b.post(path+"/bant", bant); res.Status != http.StatusSeeOther {
		t.Fatalf("BANT save: %s", res)
	}
	if l, _ := e.DB.Lead(t.Context(), id); l.Stage() != "sql" {
		t.Fatalf("after BANT 100: stage %s", l.Stage())
	}
	// The BANT score rates the lead; it is not added to the total, so its
	// line carries no plus sign.
	p = b.get(path)
	if !strings.Contains(p.Body, `<span class="pts">100</span><span><strong>BANT</strong>`) || strings.Contains(p.Body, `+100</span><span><strong>BANT`) {
		t.Fatalf("the BANT line of the explanation should read 100, not +100: %s", find(`(<li><span class="pts[^"]*">[^<]*</span><span><strong>BANT</strong>[^\n]*)`, p.Body))
	}
	other := e.client()
	other.signIn("lina") // canada
	if res := other.get(path); res.Status != http.StatusForbidden || !strings.Contains(res.Body, "403") {
		t.Fatalf("another team's rep: %d", res.Status)
	}
}
