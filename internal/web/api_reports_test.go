package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestReportsThroughTheWaterfall walks two leads through the real
// waterfall (routing, acceptance, a touch, a rejection) and reads the
// three reports, as JSON and as CSV.
func TestReportsThroughTheWaterfall(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		ana, beto, _ := salesTeam(t, e)
		// Monday 23 November 2026, 9:00 in Bogotá (a working day).
		e.Clock.Set(time.Date(2026, 11, 23, 9, 0, 0, 0, bogota))
		first := mql(t, e, "laura.chen@helixbio.com")
		e.fire()
		second := mql(t, e, "ines.mora@helixbio.com")
		e.fire()
		owners := map[int64]int64{first: e.flowLead(first).OwnerID, second: e.flowLead(second).OwnerID}
		if owners[first] == owners[second] || owners[first] == 0 {
			t.Fatalf("owners %v: want one lead each", owners)
		}
		email := map[int64]string{ana.ID: ana.Email, beto.ID: beto.Email}
		// An hour later the first owner calls and accepts; the second
		// rejects without a call.
		e.Clock.Set(time.Date(2026, 11, 23, 10, 0, 0, 0, bogota))
		e.mustCall(200, nil, "rep", "POST", fmt.Sprintf("/api/v1/leads/%d/touches", first), map[string]any{"by": email[owners[first]], "kind": "call", "outcome": "connected"})
		e.mustCall(200, nil, "rep", "POST", fmt.Sprintf("/api/v1/leads/%d/accept", first), map[string]any{"by": email[owners[first]]})
		e.mustCall(200, nil, "rep", "POST", fmt.Sprintf("/api/v1/leads/%d/reject", second), map[string]any{"by": email[owners[second]], "reason": "not_a_fit"})
		// A third person whose campaign looks like a spreadsheet formula.
		in := laura()
		in["person"] = map[string]any{"email": "x@example.org", "first_name": "Equis"}
		in["source"] = map[string]any{"format": "api", "campaign": "=HYPERLINK(\"http://evil\")"}
		e.mustCall(201, nil, "integration", "POST", "/api/v1/inquiries", in)

		var fun struct {
			Total struct {
				Counts      map[string]int64    `json:"counts"`
				Rates       map[string]*float64 `json:"rates"`
				MedianHours map[string]*float64 `json:"median_business_hours"`
				Rejected    struct {
					Count   int64            `json:"count"`
					Reasons map[string]int64 `json:"reasons"`
				} `json:"rejected"`
			} `json:"total"`
			Groups []struct {
				Key    string           `json:"key"`
				Counts map[string]int64 `json:"counts"`
			} `json:"groups"`
		}
		e.mustCall(200, &fun, "manager", "GET", "/api/v1/reports/funnel?from=2026-11-01&to=2026-12-01&group_by=source", nil)
		if c := fun.Total.Counts; c["inquiry"] != 3 || c["mql"] != 2 || c["sal"] != 1 || c["sql"] != 0 {
			t.Errorf("counts %v", c)
		}
		if r := fun.Total.Rates; r["sal"] == nil || *r["sal"] != 0.5 || r["opportunity"] != nil {
			t.Errorf("rates: sal %v, opportunity over zero %v", r["sal"], r["opportunity"])
		}
		// Accepted at 10:00, an MQL since the events a minute after 9:00:
		// under an hour of business time.
		if h := fun.Total.MedianHours["sal"]; h == nil || *h > 1 {
			t.Errorf("median hours to SAL %v", h)
		}
		if fun.Total.Rejected.Count != 1 || fun.Total.Rejected.Reasons["not_a_fit"] != 1 {
			t.Errorf("rejected %+v", fun.Total.Rejected)
		}
		if len(fun.Groups) != 2 || fun.Groups[0].Key != "api" || fun.Groups[1].Counts["mql"] != 2 {
			t.Errorf("groups %+v", fun.Groups)
		}

		var fu struct {
			Total struct {
				Routed    int64 `json:"routed"`
				Touched   int64 `json:"touched"`
				WithinSLA int64 `json:"within_sla"`
			} `json:"total"`
			Reps []struct {
				User    string `json:"user"`
				Routed  int64  `json:"routed"`
				Touched int64  `json:"touched"`
			} `json:"reps"`
			Weeks []struct {
				Week string `json:"week"`
			} `json:"weeks"`
		}
		e.mustCall(200, &fu, "manager", "GET", "/api/v1/reports/follow-up?from=2026-11-01&to=2026-12-01", nil)
		if fu.Total.Routed != 2 || fu.Total.Touched != 1 || fu.Total.WithinSLA != 1 || len(fu.Reps) != 2 || fu.Weeks[0].Week != "2026-W48" {
			t.Errorf("follow-up %+v", fu)
		}

		var bands struct {
			Total struct {
				Leads int64 `json:"leads"`
			} `json:"total"`
			Deciles []struct{} `json:"deciles"`
		}
		e.mustCall(200, &bands, "marketing", "GET", "/api/v1/reports/bands?from=2026-11-01&to=2026-12-01", nil)
		if bands.Total.Leads != 3 || len(bands.Deciles) != 3 {
			t.Errorf("bands %+v", bands)
		}

		// CSV by Accept header and by format=csv; the formula is defused.
		for _, r := range []apiResp{
			e.call("manager", "GET", "/api/v1/reports/funnel?from=2026-11-01&to=2026-12-01&group_by=campaign", nil, "Accept", "text/csv"),
			e.call("manager", "GET", "/api/v1/reports/funnel?from=2026-11-01&to=2026-12-01&group_by=campaign&format=csv", nil),
		} {
			body := string(r.Body)
			if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(body, "group,campaign,inquiry,mql") {
				t.Fatalf("csv: %s", r)
			}
			if !strings.Contains(body, `"'=HYPERLINK(""http://evil"")"`) {
				t.Errorf("the formula cell is not neutralised:\n%s", body)
			}
		}
		for _, path := range []string{"/api/v1/reports/follow-up?format=csv", "/api/v1/reports/bands?format=csv"} {
			if r := e.call("manager", "GET", path, nil); r.Status != 200 || !strings.HasPrefix(string(r.Body), "line,") {
				t.Errorf("%s: %s", path, r)
			}
		}

		// Bad parameters are named.
		checkProblem(t, e.call("manager", "GET", "/api/v1/reports/funnel?group_by=colour", nil), 422, "group_by")
		checkProblem(t, e.call("manager", "GET", "/api/v1/reports/funnel?group_by=source,band,month", nil), 422, "group_by")
		checkProblem(t, e.call("manager", "GET", "/api/v1/reports/funnel?view=stock", nil), 422, "view")
		checkProblem(t, e.call("manager", "GET", "/api/v1/reports/funnel?from=yesterday", nil), 422, "from")
		checkProblem(t, e.call("manager", "GET", "/api/v1/reports/funnel?colour=red", nil), 422, "colour")
		checkProblem(t, e.call("manager", "GET", "/api/v1/reports/bands?definition=999", nil), 422, "definition")
		checkProblem(t, e.call("manager", "GET", "/api/v1/reports/follow-up?format=xml", nil), 422, "format")
	})
}
