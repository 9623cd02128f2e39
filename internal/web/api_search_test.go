package web_test

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"
)

// Searching leads (q) by name, e-mail or company finds the leads whose
// text holds the searched text, in any case, with accents as written, on
// SQLite (an FTS5 trigram index) and PostgreSQL (pg_trgm); texts shorter
// than a trigram are still found; a lead's new name is found and its old
// one is not once an inquiry changes it, and a merge's undo makes a lead
// of its own that is found by its e-mail.
func TestAPISearchLeadsByText(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		post := func(first, last, email, company string) int64 {
			in := laura()
			p := in["person"].(map[string]any)
			p["first_name"], p["last_name"], p["email"] = first, last, email
			delete(p, "phone")
			in["company"].(map[string]any)["name"] = company
			var res inquiryResult
			e.mustCall(201, &res, "marketing", "POST", "/api/v1/inquiries", in)
			return res.LeadID
		}
		jose := post("José", "Mejía Ospina", "jose.mejia@sierramadre.com.co", "Manufacturas Sierra Madre S.A.")
		ana := post("Ana", "Gómez", "ana_100%@helixbio.com", "Helix Biosciences")
		chen := post("Laura", "Chen", "laura.chen@helixbio.com", "Helix Biosciences")
		found := func(q string) []int64 {
			t.Helper()
			var ids []int64
			for _, l := range e.leads("q=" + url.QueryEscape(q)) {
				ids = append(ids, l.ID)
			}
			slices.Sort(ids)
			return ids
		}
		check := func(q string, want ...int64) {
			t.Helper()
			slices.Sort(want)
			if got := found(q); !slices.Equal(got, want) {
				t.Errorf("q=%q found %v, want %v", q, got, want)
			}
		}
		for _, c := range []struct {
			q    string
			want []int64
		}{
			{"Mejía", []int64{jose}},                            // a last name, with its accent
			{"JOSÉ MEJÍA OSPINA", []int64{jose}},                // the whole name, upper case
			{"gomez", nil},                                      // accents are matched as written
			{"jose.mejia@sierramadre.com.co", []int64{jose}},    // an e-mail
			{"sierra madre s.a.", []int64{jose}},                // a company name
			{"helixbio.com", []int64{ana, chen}},                // a domain
			{"helix biosciences", []int64{ana, chen}},           // a company two leads share
			{"_100%@", []int64{ana}},                            // % and _ as themselves
			{"a_1", []int64{ana}},                               // ... also in a short text
			{"%", []int64{ana}},                                 //
			{"ía", []int64{jose}},                               // shorter than a trigram
			{"n", []int64{jose, ana, chen}},                     // one letter
			{"zzzz", nil},                                       // nobody
			{`"helix"`, nil},                                    // quotes are text too
			{"ospina josé", nil},                                // words in another order are another text
			{"ía ospina jose.mejia@sierramadre", []int64{jose}}, // across the name and the e-mail
		} {
			check(c.q, c.want...)
		}

		// Marketing's inquiry renames Laura's company: the new name is
		// found, the old one no longer finds her.
		e.Clock.Advance(time.Hour)
		again := laura()
		again["company"].(map[string]any)["name"] = "Quantum Reagents Ltd"
		delete(again["person"].(map[string]any), "phone")
		var res inquiryResult
		e.mustCall(200, &res, "marketing", "POST", "/api/v1/inquiries", again)
		if res.LeadID != chen {
			t.Fatalf("the same e-mail made lead %d, not %d", res.LeadID, chen)
		}
		check("quantum reagents", chen)
		check("helix biosciences", ana)

		// An inquiry with another e-mail and a lead's phone is merged into
		// that lead, and is not found by its e-mail (a lead is searched by
		// its own); undoing the merge makes it a lead of its own, found by it.
		noPhone := post("Bruno", "Lima", "bruno@genomica.com.br", "Genômica Brasil")
		in := laura()
		p := in["person"].(map[string]any)
		p["first_name"], p["last_name"], p["email"] = "Bruno", "Lima", "blima@gmail.com"
		in["company"].(map[string]any)["name"] = "Genômica Brasil"
		e.mustCall(201, &res, "marketing", "POST", "/api/v1/inquiries", in)
		byPhone := laura()
		bp := byPhone["person"].(map[string]any)
		bp["first_name"], bp["last_name"], bp["email"] = "Bruno", "Lima", "bruno.lima@outlook.com"
		byPhone["company"].(map[string]any)["name"] = "Genômica Brasil"
		var merged inquiryResult
		e.mustCall(200, &merged, "marketing", "POST", "/api/v1/inquiries", byPhone)
		if merged.Created || merged.MergedBy != "phone" {
			t.Fatalf("same phone: %+v", merged)
		}
		check("bruno.lima@outlook")
		var undo struct {
			NewID int64 `json:"new_lead_id"`
		}
		e.mustCall(200, &undo, "manager", "POST", fmt.Sprintf("/api/v1/merges/%d/undo", merged.MergeID), nil)
		check("bruno.lima@outlook", undo.NewID)
		check("genômica", noPhone, res.LeadID, undo.NewID)
	})
}
