package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestTakeNext: with both reps away when a lead came, it waits in the
// team queue; Rita's "Take next" makes it hers and opens it (a double
// click takes it once); with the team queue empty the button opens her
// lead due first; Lina, with nothing anywhere, is told so.
func TestTakeNext(t *testing.T) {
	e := newEnv(t)
	back := e.Clock.Now().Add(24 * time.Hour)
	for _, first := range []string{"rita", "rui"} {
		u := e.Users[first]
		u.AwayUntil = &back
		if err := e.DB.UpdateUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	id := e.inquiry("Laura", "Chen", "laura.chen@helixbio.com", "US")
	deadline := time.Now().Add(10 * time.Second)
	for {
		queued, _, err := e.DB.UnassignedLeads(t.Context(), []string{"norteamerica"}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(queued) == 1 && queued[0].ID == id {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lead %d did not wait in the team queue: %d queued", id, len(queued))
		}
		time.Sleep(20 * time.Millisecond)
	}
	b := e.client()
	b.signIn("rita")
	q := b.get("/app/queue")
	if !strings.Contains(q.Body, `id="take-next"`) || !strings.Contains(q.Body, "Laura Chen") {
		t.Fatalf("queue: %s", q)
	}
	form := url.Values{"csrf": {q.csrf()}, "idem": {"k1"}}
	lead := fmt.Sprintf("/app/leads/%d", id)
	for range 2 { // the second is a double click
		res := b.post("/app/queue/next", form)
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != lead+"?done=taken" {
			t.Fatalf("take next: %d %s", res.Status, res.Header.Get("Location"))
		}
	}
	if owner := e.ownerOf(id); owner != "rita" {
		t.Fatalf("owner after take next: %s", owner)
	}
	if p := b.get(lead + "?done=taken"); !strings.Contains(p.Body, "The lead is yours now.") {
		t.Errorf("the lead page does not say it is hers")
	}
	form.Set("idem", "k2")
	if res := b.post("/app/queue/next", form); res.Header.Get("Location") != lead {
		t.Errorf("with the team queue empty: %s, want her lead due first %s", res.Header.Get("Location"), lead)
	}
	lina := e.client()
	lina.signIn("lina")
	lq := lina.get("/app/queue")
	res := lina.post("/app/queue/next", url.Values{"csrf": {lq.csrf()}, "idem": {"k3"}})
	if res.Header.Get("Location") != "/app/queue?done=nothing_to_take" {
		t.Fatalf("nothing to take: %s", res.Header.Get("Location"))
	}
	if p := lina.get(res.Header.Get("Location")); !strings.Contains(p.Body, "Nada para pegar") {
		t.Errorf("the queue does not say there was nothing to take")
	}
	if res := lina.post("/app/queue/next", url.Values{"idem": {"k4"}}); res.Status != http.StatusForbidden {
		t.Errorf("without CSRF: %d", res.Status)
	}
}
