package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// cotizacion is a price-request form that asks for everything the
// instrument maker's definition looks at, so one post from a North
// American VP whose product-page views are already known is an MQL.
var cotizacion = map[string]any{
	"fields": map[string]string{"email": "person.email", "nombre": "person.name", "cargo": "person.title", "nivel": "person.seniority",
		"empresa": "company.name", "industria": "company.industry", "ingresos": "company.revenue", "pais": "company.country"},
	"action":           "price_request",
	"thank_you_url":    "https://example.com/gracias",
	"min_fill_seconds": 3,
}

// quote posts the price-request form as a browser would: it fetches the
// stamp, lets the visitor take wait, and sends the form. Five product
// pages viewed under the e-mail come first, so the new lead is an MQL.
func (e *apiEnv) quote(t *testing.T, email string, wait time.Duration) {
	t.Helper()
	e.mustCall(202, nil, "integration", "POST", "/api/v1/events", map[string]any{"events": productPages(5, "email", email)})
	r := e.call("", "GET", "/f/cotizacion/stamp", nil)
	if r.Status != 200 {
		t.Fatalf("stamp: %s", r)
	}
	e.Clock.Advance(wait)
	form := url.Values{"email": {email}, "nombre": {"Dana Reyes"}, "cargo": {"VP Quality"}, "nivel": {"vp"}, "empresa": {"Helix Biosciences"},
		"industria": {"life_sciences"}, "ingresos": {"4.2B USD"}, "pais": {"US"}, "_pista_ts": {strings.TrimSpace(string(r.Body))}}
	req, err := http.NewRequest("POST", e.URL+"/f/cotizacion", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := e.send(req); r.Status != http.StatusSeeOther {
		t.Fatalf("form post: %s", r)
	}
}

type suspectLead struct {
	flowLead
	Suspicious []string `json:"suspicious"`
}

func (e *apiEnv) suspect(t *testing.T, email string) suspectLead {
	t.Helper()
	found := e.leads(query("q", email))
	if len(found) != 1 {
		t.Fatalf("%d leads for %s, want 1", len(found), email)
	}
	var l suspectLead
	e.mustCall(200, &l, "manager", "GET", fmt.Sprintf("/api/v1/leads/%d", found[0].ID), nil)
	return l
}

// notified counts a user's notifications about a lead.
func (e *apiEnv) notified(t *testing.T, userID, leadID int64) int {
	t.Helper()
	ns, err := e.DB.Notifications(context.Background(), userID, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range ns {
		if x.LeadID == leadID {
			n++
		}
	}
	return n
}

// A web-form submission that looks like spam is stored and acknowledged,
// but kept out of sales' queues: not routed, no first-touch clock, nobody
// notified, until a manager assigns it or the person sends the form again
// the way people do.
func TestSuspiciousFormSubmissionsStayOutOfTheQueues(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		ana, beto, _ := salesTeam(t, e)
		e.mustCall(200, nil, "marketing", "PUT", "/api/v1/forms/cotizacion", cotizacion)
		reps := []int64{ana.ID, beto.ID}

		// A person takes ten seconds; a bot answers in one.
		e.quote(t, "dana.reyes@helixbio.com", 10*time.Second)
		e.quote(t, "bot.reyes@helixbio.com", time.Second)
		e.fire()

		person := e.suspect(t, "dana.reyes@helixbio.com")
		if person.Stage != "mql" || person.OwnerID == 0 || len(person.Suspicious) != 0 {
			t.Fatalf("the person's submission: stage %s, owner %d, suspicious %v; want a routed mql", person.Stage, person.OwnerID, person.Suspicious)
		}
		if len(person.Assignments) != 1 || person.Assignments[0].Team != "norteamerica" || len(person.Clocks) != 1 || person.Clocks[0].Status != "pending" {
			t.Errorf("the person's lead: assignments %+v, clocks %+v", person.Assignments, person.Clocks)
		}
		if e.notified(t, person.OwnerID, person.ID) == 0 {
			t.Errorf("the person's owner was not told about the lead")
		}

		bot := e.suspect(t, "bot.reyes@helixbio.com")
		if bot.Stage != "mql" || len(bot.Suspicious) != 1 || !strings.HasPrefix(bot.Suspicious[0], "filled in 1s") {
			t.Fatalf("the fast submission: stage %s, suspicious %v; want a suspicious mql", bot.Stage, bot.Suspicious)
		}
		// A day passes with the poller running: still nobody has it.
		for range 8 {
			e.Clock.Advance(3 * time.Hour)
			e.fire()
		}
		bot = e.suspect(t, "bot.reyes@helixbio.com")
		if bot.OwnerID != 0 || len(bot.Assignments) != 0 || len(bot.Clocks) != 0 {
			t.Fatalf("the suspicious lead was routed: owner %d, assignments %+v, clocks %+v", bot.OwnerID, bot.Assignments, bot.Clocks)
		}
		if k := bot.kinds(); k["assigned"]+k["queued"] != 0 {
			t.Errorf("the suspicious lead's timeline: %v", k)
		}
		for _, rep := range reps {
			if n := e.notified(t, rep, bot.ID); n != 0 {
				t.Errorf("rep %d got %d notifications about the suspicious lead", rep, n)
			}
		}

		// Marketing finds it in the list; the filter keeps it alone.
		held := e.leads("suspicious=true")
		if len(held) != 1 || held[0].ID != bot.ID {
			t.Errorf("suspicious=true lists %d leads, want lead %d alone", len(held), bot.ID)
		}
		checkProblem(t, e.call("manager", "GET", "/api/v1/leads?suspicious=yes", nil), 422, "suspicious")

		// A manager looks at it and gives it to Beto: now it is his, with
		// a first-touch clock from now, and the mark is gone.
		e.mustCall(200, nil, "manager", "POST", fmt.Sprintf("/api/v1/leads/%d/assign", bot.ID), map[string]any{"user": beto.Email, "reason": "a real buyer"})
		bot = e.suspect(t, "bot.reyes@helixbio.com")
		if bot.OwnerID != beto.ID || len(bot.Suspicious) != 0 || len(bot.Clocks) != 1 || bot.Clocks[0].Status != "pending" || bot.Clocks[0].UserID != beto.ID {
			t.Errorf("assigned by hand: owner %d, suspicious %v, clocks %+v", bot.OwnerID, bot.Suspicious, bot.Clocks)
		}
		if k := bot.kinds(); k["suspicion_cleared"] != 1 {
			t.Errorf("timeline after the assignment: %v", k)
		}
		if e.notified(t, beto.ID, bot.ID) == 0 {
			t.Errorf("beto was not told he has the lead")
		}
		if held := e.leads("suspicious=true"); len(held) != 0 {
			t.Errorf("suspicious=true after the assignment: %d leads", len(held))
		}

		// A person who was too quick sends the form again, taking their
		// time: the second submission lifts the mark and the lead is routed.
		e.quote(t, "quick.reyes@helixbio.com", time.Second)
		e.fire()
		if q := e.suspect(t, "quick.reyes@helixbio.com"); len(q.Suspicious) == 0 || q.OwnerID != 0 {
			t.Fatalf("the quick submission: owner %d, suspicious %v", q.OwnerID, q.Suspicious)
		}
		e.quote(t, "quick.reyes@helixbio.com", 20*time.Second)
		e.fire()
		q := e.suspect(t, "quick.reyes@helixbio.com")
		if len(q.Suspicious) != 0 || !slices.Contains(reps, q.OwnerID) || len(q.Clocks) != 1 {
			t.Errorf("sent again: owner %d, suspicious %v, clocks %+v", q.OwnerID, q.Suspicious, q.Clocks)
		}
	})
}
