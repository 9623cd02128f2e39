package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
)

// A lead held out of the queues as suspicious says so on its page and in
// the list, where a filter keeps the held ones; its team's manager gives
// it to a rep from the page, which lifts the hold.
func TestSuspiciousLeadOnItsPage(t *testing.T) {
	e := newEnv(t)
	// Bo's inquiry alone leaves a nurture lead nobody routes; it is marked
	// before the page views that make it an MQL are counted, as a spam
	// post's lead would be, so it is never routed.
	held := e.inquiryOf("Bo", "Tico", "bo.tico@helixbio.com", "US", false)
	e.inquiry("Laura", "Chen", "laura.chen@helixbio.com", "US")
	// Intake marks a lead from a suspicious web-form post this way (the
	// rule itself is tested through real form posts in internal/web).
	err := e.DB.InTx(t.Context(), func(tx *store.Tx) error {
		l, err := tx.Lead(t.Context(), held)
		if err != nil {
			return err
		}
		return tx.SetSuspicious(t.Context(), l, []string{"filled in 1s"})
	})
	if err != nil {
		t.Fatal(err)
	}
	e.engage(held)
	// The page views are counted by the re-evaluation, in the background.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		l, err := e.DB.Lead(t.Context(), held)
		if err != nil {
			t.Fatal(err)
		}
		if l.Stage() == stage.MQL {
			if l.OwnerID != 0 || len(l.Suspicious) == 0 {
				t.Fatalf("the held lead became an MQL with owner %d, suspicious %v", l.OwnerID, l.Suspicious)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the held lead is still %s a minute after its page views", l.Stage())
		}
	}

	b := e.client()
	b.signIn("marta") // manages norteamerica; the page is in Spanish
	path := fmt.Sprintf("/app/leads/%d", held)
	p := b.get(path)
	if p.Status != 200 || !strings.Contains(p.Body, `id="lead-suspicious"`) || !strings.Contains(p.Body, "parecía spam (filled in 1s)") {
		t.Fatalf("the held lead's page: %s", p)
	}
	list := b.get("/app/leads?suspicious=1")
	if list.Status != 200 || !strings.Contains(list.Body, "Bo Tico") || strings.Contains(list.Body, "Laura Chen") ||
		!strings.Contains(list.Body, `class="chip suspicious"`) || !strings.Contains(list.Body, `name="suspicious" value="1" checked`) {
		t.Fatalf("the list of suspicious leads: %s", list)
	}
	if all := b.get("/app/leads"); !strings.Contains(all.Body, "Laura Chen") || !strings.Contains(all.Body, "Bo Tico") {
		t.Fatalf("the whole list: %s", all)
	}

	if !strings.Contains(p.Body, `id="assign-save"`) {
		t.Fatalf("the manager cannot assign the held lead: %s", p)
	}
	rita := strconv.FormatInt(e.Users["rita"].ID, 10)
	form := url.Values{"csrf": {p.csrf()}, "idem": {find(`name="idem" value="([^"]+)"`, p.Body)}, "user": {rita}}
	if res := b.post(path+"/assign", form); res.Status != http.StatusSeeOther {
		t.Fatalf("assign: %s", res)
	}
	l, err := e.DB.Lead(t.Context(), held)
	if err != nil {
		t.Fatal(err)
	}
	if l.OwnerID != e.Users["rita"].ID || len(l.Suspicious) != 0 {
		t.Fatalf("after the assignment: owner %d, suspicious %v", l.OwnerID, l.Suspicious)
	}
	p = b.get(path)
	if strings.Contains(p.Body, `id="lead-suspicious"`) || !strings.Contains(p.Body, "lo liberó de la retención") {
		t.Fatalf("the page after the assignment: %s", p)
	}
}
