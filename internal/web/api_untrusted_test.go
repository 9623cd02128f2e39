package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// untrustedLead is what the scenario checks of a lead.
type untrustedLead struct {
	Stage   string `json:"stage"`
	OwnerID int64  `json:"owner_id"`
	Person  struct {
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		City      string `json:"city"`
		Title     string `json:"title"`
	} `json:"person"`
	Company struct {
		Name    string `json:"name"`
		Country string `json:"country"`
	} `json:"company"`
	Actions  []json.RawMessage `json:"actions"`
	Timeline []struct {
		Kind string `json:"kind"`
		Data struct {
			Reported map[string]any `json:"reported"`
			Held     string         `json:"held"`
		} `json:"data"`
	} `json:"timeline"`
}

func (e *apiEnv) untrustedLead(id int64) untrustedLead {
	e.t.Helper()
	var l untrustedLead
	e.mustCall(200, &l, "manager", "GET", fmt.Sprintf("/api/v1/leads/%d", id), nil)
	return l
}

// lastInquiry is the latest inquiry entry of the lead's timeline.
func (l untrustedLead) lastInquiry(t *testing.T) (reported map[string]any, held bool) {
	t.Helper()
	for i := len(l.Timeline) - 1; i >= 0; i-- {
		if l.Timeline[i].Kind == "inquiry" {
			return l.Timeline[i].Data.Reported, l.Timeline[i].Data.Held != ""
		}
	}
	t.Fatal("no inquiry on the timeline")
	return nil, false
}

// postNamedForm renders a form (its stamp), waits like a person and posts it.
func (e *apiEnv) postNamedForm(t *testing.T, name string, form url.Values) apiResp {
	t.Helper()
	r := e.call("", "GET", "/f/"+name+"/stamp", nil)
	if r.Status != 200 {
		t.Fatalf("stamp: %s", r)
	}
	e.Clock.Advance(10 * time.Second)
	form.Set("_pista_ts", strings.TrimSpace(string(r.Body)))
	req, err := http.NewRequest("POST", e.URL+"/f/"+name, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.send(req)
}

// An attacker who knows a customer's address posts a public form (or an
// intake-scoped token sends an inquiry) with another name, company and
// country: the lead keeps what was known, stays an MQL with its owner, and
// the timeline shows what was reported. Blanks are filled.
func TestUntrustedInquiriesNeverRewriteALead(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		salesTeam(t, e)
		e.Clock.Set(time.Date(2026, 12, 4, 16, 0, 0, 0, bogota))
		id := mql(t, e, "laura.chen@helixbio.com")
		e.fire()
		before := e.untrustedLead(id)
		if before.Stage != "mql" || before.OwnerID == 0 {
			t.Fatalf("setup: the MQL is not routed: %+v", before)
		}
		e.mustCall(200, nil, "marketing", "PUT", "/api/v1/forms/boletin", map[string]any{
			"fields": map[string]string{"email": "person.email", "nombre": "person.name", "empresa": "company.name", "pais": "company.country"},
			"action": "newsletter_signup", "thank_you_url": "https://example.com/gracias", "min_fill_seconds": 3})
		e.mustCall(200, nil, "marketing", "PUT", "/api/v1/forms/cotizacion", map[string]any{
			"fields": map[string]string{"email": "person.email", "nombre": "person.name", "ciudad": "person.city"},
			"action": "price_request", "thank_you_url": "https://example.com/gracias", "min_fill_seconds": 3})

		// The attack: a newsletter sign-up from "Mallory" at a Mexican company.
		r := e.postNamedForm(t, "boletin", url.Values{"email": {"laura.chen@helixbio.com"}, "nombre": {"Mallory Evil"}, "empresa": {"Evil Corp"}, "pais": {"Mexico"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("form post: %s", r)
		}
		e.fire()
		l := e.untrustedLead(id)
		if l.Stage != "mql" || l.OwnerID != before.OwnerID || l.Person.FirstName != "Laura" || l.Person.LastName != "Chen" ||
			l.Company.Name != "Helix Biosciences" || l.Company.Country != "US" || len(l.Actions) != len(before.Actions) {
			t.Errorf("after the anonymous post: stage %s owner %d (was %d), %+v %+v, %d actions (was %d)",
				l.Stage, l.OwnerID, before.OwnerID, l.Person, l.Company, len(l.Actions), len(before.Actions))
		}
		reported, held := l.lastInquiry(t)
		if reported["person.first_name"] != "Mallory" || reported["company.name"] != "Evil Corp" || reported["company.country"] != "MX" || !held {
			t.Errorf("the inquiry's entry: reported %v, held %v", reported, held)
		}

		// The same person's real price request, with another spelling of her
		// name and her city: the city fills a blank, the name is reported.
		r = e.postNamedForm(t, "cotizacion", url.Values{"email": {"laura.chen@helixbio.com"}, "nombre": {"Lorena Chen"}, "ciudad": {"Boston"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("form post: %s", r)
		}
		e.fire()
		l = e.untrustedLead(id)
		if l.Stage != "mql" || l.OwnerID != before.OwnerID || l.Person.FirstName != "Laura" || l.Person.City != "Boston" || len(l.Actions) != len(before.Actions)+1 {
			t.Errorf("after the price request: stage %s owner %d, %+v, %d actions", l.Stage, l.OwnerID, l.Person, len(l.Actions))
		}
		if reported, held := l.lastInquiry(t); reported["person.first_name"] != "Lorena" || len(reported) != 1 || held {
			t.Errorf("the price request's entry: reported %v, held %v", reported, held)
		}

		// An intake-scoped token, one inquiry and a batch: the same rule.
		in := laura()
		in["person"] = map[string]any{"email": "laura.chen@helixbio.com", "first_name": "Eve", "title": "Intern"}
		in["company"] = map[string]any{"name": "Evil Corp", "country": "MX"}
		in["action"] = map[string]any{"type": "webinar_attended"}
		var res inquiryResult
		e.mustCall(200, &res, "integration", "POST", "/api/v1/inquiries", in)
		if res.LeadID != id || res.Stage != "mql" {
			t.Errorf("integration inquiry: %+v", res)
		}
		e.mustCall(200, nil, "integration", "POST", "/api/v1/inquiries/batch", map[string]any{"inquiries": []any{in}})
		e.fire()
		l = e.untrustedLead(id)
		if l.Stage != "mql" || l.OwnerID != before.OwnerID || l.Person.FirstName != "Laura" || l.Person.Title != "VP Quality" || l.Company.Country != "US" {
			t.Errorf("after the integration's inquiries: stage %s owner %d, %+v %+v", l.Stage, l.OwnerID, l.Person, l.Company)
		}
		if reported, _ := l.lastInquiry(t); reported["person.title"] != "Intern" || reported["company.country"] != "MX" {
			t.Errorf("the integration's entry: reported %v", reported)
		}

		// Marketing vouches for what it sends: its inquiry updates the lead.
		in["person"] = map[string]any{"email": "laura.chen@helixbio.com", "title": "SVP Quality"}
		in["company"] = map[string]any{"name": "Helix Biosciences Inc."}
		e.mustCall(200, nil, "marketing", "POST", "/api/v1/inquiries", in)
		if l = e.untrustedLead(id); l.Person.Title != "SVP Quality" || l.Company.Name != "Helix Biosciences Inc." {
			t.Errorf("marketing's inquiry was not applied: %+v %+v", l.Person, l.Company)
		}
	})
}
