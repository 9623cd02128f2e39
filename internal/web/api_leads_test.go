package web_test

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// seedLeads creates n leads whose fit, and so score, varies (with ties),
// across countries, sources and companies.
func seedLeads(t *testing.T, e *apiEnv, n int) {
	t.Helper()
	industries := []string{"life_sciences", "pharma", "food", "retail"}
	revenues := []float64{4e9, 5e8, 1e8}
	countries := []string{"US", "CA", "CO", "MX", "BR"}
	seniorities := []string{"vp", "director", "staff", "c_level", "student"}
	formats := []string{"web_form", "api", "referral"}
	domains := []string{"helixbio.com", "nordlife.ca", "andesquimica.co"}
	first := []string{"Ana", "Luis", "Marta", "Jorge", "Sofia", "Pedro", "Camila"}
	last := []string{"Gomez", "Rojas", "Silva", "Chen", "Tremblay"}
	for i := range n {
		country := countries[i%len(countries)]
		in := map[string]any{
			"person": map[string]any{"email": fmt.Sprintf("%s.%s%d@%s", strings.ToLower(first[i%len(first)]), strings.ToLower(last[i%len(last)]), i, domains[i%len(domains)]),
				"first_name": first[i%len(first)], "last_name": last[i%len(last)], "seniority": seniorities[(i/2)%len(seniorities)], "country": country},
			"company": map[string]any{"name": "Empresa " + domains[i%len(domains)], "industry": industries[i%len(industries)],
				"revenue": map[string]any{"amount": revenues[(i/4)%len(revenues)], "currency": "USD"}, "country": country},
			"source": map[string]any{"format": formats[(i/3)%len(formats)]},
			"action": map[string]any{"type": []string{"price_request", "newsletter_signup", "content_download"}[i%3]},
		}
		e.mustCall(201, nil, "integration", "POST", "/api/v1/inquiries", in)
	}
}

// listPage is one page of GET /api/v1/leads.
type listPage struct {
	Leads []leadJSON `json:"leads"`
	Next  string     `json:"next_cursor"`
}

// walk follows next_cursor from the first page of a query to the last.
func walk(t *testing.T, e *apiEnv, q string, limit int) (ids []int64, pages int) {
	t.Helper()
	cursor := ""
	for {
		path := fmt.Sprintf("/api/v1/leads?limit=%d&%s", limit, q)
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		var p listPage
		e.mustCall(200, &p, "rep", "GET", path, nil)
		if len(p.Leads) > limit {
			t.Fatalf("page of %d leads with limit %d", len(p.Leads), limit)
		}
		for _, l := range p.Leads {
			ids = append(ids, l.ID)
		}
		pages++
		if p.Next == "" {
			return ids, pages
		}
		if pages > 100 {
			t.Fatal("the cursor never ends")
		}
		cursor = p.Next
	}
}

func idsOf(leads []leadJSON) []int64 {
	ids := make([]int64, len(leads))
	for i, l := range leads {
		ids[i] = l.ID
	}
	return ids
}

func TestAPIListLeads(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		const n = 30
		seedLeads(t, e, n)
		all := e.leads("")
		if len(all) != n {
			t.Fatalf("%d leads listed, want %d", len(all), n)
		}
		// Priority order: score, then newest first.
		for i := 1; i < len(all); i++ {
			a, b := all[i-1], all[i]
			if a.Score < b.Score || a.Score == b.Score && a.ID < b.ID {
				t.Fatalf("not in priority order at %d: %d (%v) before %d (%v)", i, a.ID, a.Score, b.ID, b.Score)
			}
		}
		scores, stages, bands := map[float64]int{}, map[string]bool{}, map[string]bool{}
		for _, l := range all {
			scores[l.Score]++
			stages[l.Stage], bands[l.Band] = true, true
		}
		if len(scores) < 5 || len(scores) == n || len(stages) < 2 || len(bands) < 2 {
			t.Fatalf("seed data too uniform to test filters: scores %v, stages %v, bands %v", scores, stages, bands)
		}

		// Each filter selects exactly the leads that match it, in order.
		pick := func(keep func(l leadJSON) bool) []int64 {
			var ids []int64
			for _, l := range all {
				if keep(l) {
					ids = append(ids, l.ID)
				}
			}
			return ids
		}
		stage, band := all[0].Stage, all[len(all)-1].Band
		filters := []struct {
			query string
			want  []int64
		}{
			{query("stage", stage), pick(func(l leadJSON) bool { return l.Stage == stage })},
			{query("band", band), pick(func(l leadJSON) bool { return l.Band == band })},
			{query("source", "api"), pick(func(l leadJSON) bool { return l.Source.Format == "api" })},
			{query("country", "co"), pick(func(l leadJSON) bool { return l.Person.Country == "CO" })},
			{query("q", "NordLife"), pick(func(l leadJSON) bool { return l.Company.Domain == "nordlife.ca" })},
			{query("q", "rojas"), pick(func(l leadJSON) bool { return l.Person.LastName == "Rojas" })},
			{query("min_score", "40", "max_score", "70"), pick(func(l leadJSON) bool { return l.Score >= 40 && l.Score <= 70 })},
			{query("max_score", "0"), pick(func(l leadJSON) bool { return l.Score <= 0 })},
			{query("source", "web_form", "country", "US"), pick(func(l leadJSON) bool { return l.Source.Format == "web_form" && l.Person.Country == "US" })},
			{query("stage", "sql"), nil},
		}
		for _, f := range filters {
			got := idsOf(e.leads(f.query))
			if !slices.Equal(got, f.want) {
				t.Errorf("?%s: got %v, want %v", f.query, got, f.want)
			}
			if f.query != query("stage", "sql") && len(f.want) == 0 {
				t.Errorf("?%s selects nothing in the seed data; the test proves little", f.query)
			}
		}

		// Walking pages gives every lead once, in the order of one big page,
		// including ties in score that straddle a page boundary.
		for _, limit := range []int{1, 7, 10, 29, 30, 31} {
			ids, pages := walk(t, e, "", limit)
			if !slices.Equal(ids, idsOf(all)) {
				t.Errorf("limit %d: walked %v, want %v", limit, ids, idsOf(all))
			}
			if want := n/limit + 1; pages > want {
				t.Errorf("limit %d: %d pages, want at most %d", limit, pages, want)
			}
		}
		ids, _ := walk(t, e, query("stage", stage), 3)
		if want := pick(func(l leadJSON) bool { return l.Stage == stage }); !slices.Equal(ids, want) {
			t.Errorf("walking stage=%s: %v, want %v", stage, ids, want)
		}

		// The default page is 50.
		var p listPage
		e.mustCall(200, &p, "integration", "GET", "/api/v1/leads", nil)
		if len(p.Leads) != n || p.Next != "" {
			t.Errorf("default page: %d leads, next %q", len(p.Leads), p.Next)
		}
		if p.Leads[0].Evaluation != nil || p.Leads[0].Timeline != nil {
			t.Errorf("list items carry the full evaluation or timeline")
		}

		bad := []struct{ query, field string }{
			{query("stagee", "mql"), "stagee"},
			{query("cursor", "not a cursor!"), "cursor"},
			{query("cursor", base64.RawURLEncoding.EncodeToString([]byte("12"))), "cursor"},
			{query("cursor", base64.RawURLEncoding.EncodeToString([]byte("x/3"))), "cursor"},
			{query("limit", "0"), "limit"},
			{query("limit", "501"), "limit"},
			{query("limit", "ten"), "limit"},
			{query("min_score", "high"), "min_score"},
			{query("max_score", "1e"), "max_score"},
		}
		for _, b := range bad {
			t.Run(b.query, func(t *testing.T) {
				e := e.as(t)
				checkProblem(t, e.call("rep", "GET", "/api/v1/leads?"+b.query, nil), 422, b.field)
			})
		}
		checkProblem(t, e.call("", "GET", "/api/v1/leads", nil), 401)
		checkProblem(t, e.call("rep", "GET", "/api/v1/leads/999999", nil), 404)
		checkProblem(t, e.call("rep", "GET", "/api/v1/leads/abc", nil), 404)
	})
}
