package web_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/access"
)

// userToken inserts a token that acts as a user, with the user's role,
// and returns it for call.
func (e *apiEnv) userToken(u userJSON) string {
	e.t.Helper()
	tok := "pst_scope_" + u.Email
	if e.call(tok, "GET", "/api/v1/me", nil).Status == 200 {
		return tok
	}
	if _, err := e.DB.InsertUserToken(context.Background(), "scope-"+u.Email, u.Role, access.HashToken(tok), u.ID, e.Clock.Now()); err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// inquiry sends a plain inquiry (no events: it stays unassigned) from a
// company in country and returns the lead's ID.
func inquiryFrom(t *testing.T, e *apiEnv, email, country string) int64 {
	t.Helper()
	in := laura()
	p := maps(in["person"].(map[string]any))
	p["email"], p["country"] = email, country
	delete(p, "phone")
	in["person"] = p
	c := maps(in["company"].(map[string]any))
	c["country"] = country
	in["company"] = c
	var res inquiryResult
	e.mustCall(201, &res, "integration", "POST", "/api/v1/inquiries", in)
	return res.LeadID
}

// TestAPILeadScope: a token acting as a user reads, lists and works only
// the leads that user sees in the web app; tokens without a user see all.
func TestAPILeadScope(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		ana, beto, marta := salesTeam(t, e)
		dani, carla := e.addUser("Dani Roy", "dani@instrumentos.example", "rep"), e.addUser("Carla Roy", "carla@instrumentos.example", "manager")
		boss := e.addUser("Jefa", "jefa@instrumentos.example", "admin")
		e.mustCall(200, nil, "admin", "PUT", "/api/v1/teams/canada", map[string]any{
			"manager": carla.Email, "members": []map[string]any{{"user": dani.Email}}})

		mine := mql(t, e, "uno@helixbio.com")  // routed to norteamerica, then given to ana
		betos := mql(t, e, "dos@helixbio.com") // given to beto
		queued := inquiryFrom(t, e, "tres@helixbio.com", "US")
		canadian := inquiryFrom(t, e, "cuatro@maplebio.com", "CA")
		e.fire()
		for id, u := range map[int64]userJSON{mine: ana, betos: beto} {
			e.mustCall(200, nil, "admin", "POST", fmt.Sprintf("/api/v1/leads/%d/assign", id), map[string]any{"user": u.Email})
		}
		all := []int64{mine, betos, queued, canadian}
		if l := e.flowLead(queued); l.OwnerID != 0 {
			t.Fatalf("the plain inquiry is held by %d", l.OwnerID)
		}

		cases := []struct {
			who   string
			token string
			sees  []int64
		}{
			{"rep ana (norteamerica)", e.userToken(ana), []int64{mine, queued}},
			{"rep dani (canada)", e.userToken(dani), []int64{canadian}},
			{"manager marta (norteamerica)", e.userToken(marta), []int64{mine, betos, queued}},
			{"manager carla (canada)", e.userToken(carla), []int64{canadian}},
			{"admin user", e.userToken(boss), all},
			{"admin token without a user", "admin", all},
			{"integration token", "integration", all},
		}
		for _, c := range cases {
			// The lead and its explanation in text are in sight alike.
			for _, id := range all {
				for _, path := range []string{"/api/v1/leads/%d", "/api/v1/leads/%d/explanation?format=text"} {
					r := e.call(c.token, "GET", fmt.Sprintf(path, id), nil)
					if slices.Contains(c.sees, id) {
						if r.Status != 200 {
							t.Errorf("%s reads %s: %s", c.who, fmt.Sprintf(path, id), r)
						}
						continue
					}
					if p := checkProblem(t, r, 403); !strings.Contains(p.Detail, "another team or owner") {
						t.Errorf("%s reads %s: %s", c.who, fmt.Sprintf(path, id), r)
					}
				}
			}
			var page struct {
				Leads []leadJSON `json:"leads"`
			}
			e.mustCall(200, &page, c.token, "GET", "/api/v1/leads?limit=500", nil)
			var got []int64
			for _, l := range page.Leads {
				got = append(got, l.ID)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(c.sees))
			if !slices.Equal(got, want) {
				t.Errorf("%s lists %v, want %v", c.who, got, want)
			}
		}
		checkProblem(t, e.call(e.userToken(ana), "GET", "/api/v1/leads/999999", nil), 404)

		// Acts on a lead out of sight are refused the same way, before the
		// waterfall's own owner check: even a manager's token, which the
		// waterfall lets work any lead, stops at another team.
		acts := []struct {
			who, token, path string
			body             any
		}{
			{"rep dani accepts ana's", e.userToken(dani), fmt.Sprintf("/api/v1/leads/%d/accept", mine), nil},
			{"rep ana touches beto's", e.userToken(ana), fmt.Sprintf("/api/v1/leads/%d/touches", betos), map[string]any{"kind": "call", "outcome": "no_answer"}},
			{"manager carla rejects ana's", e.userToken(carla), fmt.Sprintf("/api/v1/leads/%d/reject", mine), map[string]any{"reason": "no_budget"}},
			{"manager carla reassigns ana's", e.userToken(carla), fmt.Sprintf("/api/v1/leads/%d/assign", mine), map[string]any{"user": dani.Email}},
			{"rep dani qualifies ana's", e.userToken(dani), fmt.Sprintf("/api/v1/leads/%d/qualification", mine),
				map[string]any{"budget": map[string]any{"min": 10000, "max": 20000, "currency": "USD"}, "authority": "decision_maker", "need": "confirmed", "timing_months": 2}},
		}
		for _, a := range acts {
			if p := checkProblem(t, e.call(a.token, "POST", a.path, a.body, "Idempotency-Key", "k-"+a.who), 403); !strings.Contains(p.Detail, "another team or owner") {
				t.Errorf("%s: %s", a.who, p.Detail)
			}
		}
		if l := e.flowLead(mine); l.OwnerID != ana.ID || l.Stage != "mql" {
			t.Errorf("a refused act changed the lead: owner %d, stage %s", l.OwnerID, l.Stage)
		}
		// In sight, the owner and the team's manager work it.
		e.mustCall(200, nil, e.userToken(ana), "POST", fmt.Sprintf("/api/v1/leads/%d/accept", mine), nil, "Idempotency-Key", "ana-accepts")
		e.mustCall(200, nil, e.userToken(marta), "POST", fmt.Sprintf("/api/v1/leads/%d/touches", betos),
			map[string]any{"kind": "call", "outcome": "no_answer"}, "Idempotency-Key", "marta-touches")

		// Undoing a merge is an act on the lead kept: a manager undoes
		// merges into their team's leads only.
		in := laura()
		p := maps(in["person"].(map[string]any))
		p["email"], p["country"] = "cinco@maplebio.com", "CA"
		in["person"] = p
		c := maps(in["company"].(map[string]any))
		c["country"] = "CA"
		in["company"] = c
		var first, again inquiryResult
		e.mustCall(201, &first, "integration", "POST", "/api/v1/inquiries", in)
		p = maps(p)
		p["email"] = "cinco.personal@gmail.com"
		in["person"] = p
		e.mustCall(200, &again, "integration", "POST", "/api/v1/inquiries", in)
		if again.LeadID != first.LeadID || again.MergeID == 0 {
			t.Fatalf("same phone did not merge: %+v", again)
		}
		e.fire()
		undo := fmt.Sprintf("/api/v1/merges/%d/undo", again.MergeID)
		if p := checkProblem(t, e.call(e.userToken(marta), "POST", undo, nil, "Idempotency-Key", "marta-undo"), 403); !strings.Contains(p.Detail, "another team or owner") {
			t.Errorf("manager marta undoes a merge into a Canadian lead: %s", p.Detail)
		}
		e.mustCall(200, nil, e.userToken(carla), "POST", undo, nil, "Idempotency-Key", "carla-undo")
	})
}

// TestAPIReportScope: a token acting for a manager reads the numbers of
// the manager's teams only, and asking for another team is 403; a rep's
// token reads no reports; tokens without a user and users who see every
// lead read them all.
func TestAPIReportScope(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		ana, _, marta := salesTeam(t, e)
		dani, carla := e.addUser("Dani Roy", "dani@instrumentos.example", "rep"), e.addUser("Carla Roy", "carla@instrumentos.example", "manager")
		boss := e.addUser("Jefa", "jefa@instrumentos.example", "admin")
		e.mustCall(200, nil, "admin", "PUT", "/api/v1/teams/canada", map[string]any{
			"manager": carla.Email, "members": []map[string]any{{"user": dani.Email}}})
		mql(t, e, "uno@helixbio.com")
		mql(t, e, "dos@helixbio.com")
		inquiryFrom(t, e, "tres@helixbio.com", "US")
		inquiryFrom(t, e, "cuatro@maplebio.com", "CA")
		inquiryFrom(t, e, "cinco@maplebio.com", "CA")
		e.fire()

		now := e.Clock.Now()
		period := fmt.Sprintf("from=%s&to=%s", now.AddDate(0, -1, 0).Format("2006-01-02"), now.AddDate(0, 1, 0).Format("2006-01-02"))
		type funnel struct {
			Total struct {
				Counts map[string]int64 `json:"counts"`
			} `json:"total"`
			Groups []struct {
				Key string `json:"key"`
			} `json:"groups"`
		}
		type followUp struct {
			Teams []struct {
				Team string `json:"team"`
			} `json:"teams"`
		}
		cases := []struct {
			who       string
			token     string
			inquiries int64
			teams     []string // the funnel's groups by team
		}{
			{"manager marta (norteamerica)", e.userToken(marta), 3, []string{"norteamerica"}},
			{"manager carla (canada)", e.userToken(carla), 2, []string{"canada"}},
			{"admin user", e.userToken(boss), 5, []string{"canada", "norteamerica"}},
			{"manager token without a user", "manager", 5, []string{"canada", "norteamerica"}},
			{"bdr token", "bdr", 5, []string{"canada", "norteamerica"}},
			{"integration token", "integration", 5, []string{"canada", "norteamerica"}},
		}
		for _, c := range cases {
			var f funnel
			e.mustCall(200, &f, c.token, "GET", "/api/v1/reports/funnel?group_by=team&"+period, nil)
			var teams []string
			for _, g := range f.Groups {
				teams = append(teams, g.Key)
			}
			slices.Sort(teams)
			if f.Total.Counts["inquiry"] != c.inquiries || !slices.Equal(teams, c.teams) {
				t.Errorf("%s: funnel counts %v, teams %v; want %d inquiries of %v", c.who, f.Total.Counts, teams, c.inquiries, c.teams)
			}
			var b struct {
				Total struct {
					Leads int64 `json:"leads"`
				} `json:"total"`
			}
			e.mustCall(200, &b, c.token, "GET", "/api/v1/reports/bands?"+period, nil)
			if b.Total.Leads != c.inquiries {
				t.Errorf("%s: bands count %d leads, want %d", c.who, b.Total.Leads, c.inquiries)
			}
			var fu followUp
			e.mustCall(200, &fu, c.token, "GET", "/api/v1/reports/follow-up?"+period, nil)
			for _, l := range fu.Teams {
				if !slices.Contains(c.teams, l.Team) {
					t.Errorf("%s: follow-up shows team %q", c.who, l.Team)
				}
			}
			var sla struct {
				Lines []struct {
					Team string `json:"team"`
				} `json:"lines"`
			}
			e.mustCall(200, &sla, c.token, "GET", "/api/v1/reports/sla?"+period, nil)
			for _, l := range sla.Lines {
				if !slices.Contains(c.teams, l.Team) {
					t.Errorf("%s: the SLA report shows team %q", c.who, l.Team)
				}
			}
			e.mustCall(200, nil, c.token, "GET", "/api/v1/reports/campaigns?"+period, nil)
		}

		// Marta's team filter inside her scope works; another team is 403,
		// naming it, on every report that takes a team.
		var f funnel
		e.mustCall(200, &f, e.userToken(marta), "GET", "/api/v1/reports/funnel?team=norteamerica&"+period, nil)
		if f.Total.Counts["inquiry"] != 3 {
			t.Errorf("marta's own team: %v", f.Total.Counts)
		}
		for _, path := range []string{"funnel", "bands", "campaigns", "follow-up"} {
			r := e.call(e.userToken(marta), "GET", "/api/v1/reports/"+path+"?team=canada&"+period, nil)
			if p := checkProblem(t, r, 403); !strings.Contains(p.Detail, `"canada"`) {
				t.Errorf("marta asks %s of canada: %s", path, p.Detail)
			}
		}

		// Reps read no reports, with or without a user.
		for _, tok := range []string{"rep", e.userToken(ana), e.userToken(dani)} {
			for _, path := range []string{"funnel", "follow-up", "bands", "campaigns", "sla", "rejections"} {
				checkProblem(t, e.call(tok, "GET", "/api/v1/reports/"+path+"?"+period, nil), 403)
			}
		}
	})
}
