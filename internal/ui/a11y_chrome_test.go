package ui_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// axeViolation is what axe-core reports of one rule a page breaks.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeSource is the vendored axe-core (testdata/axe, pinned, with its licence).
func axeSource(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// axe runs axe-core on the page the tab shows (WCAG 2.1 A and AA rules
// and best practices) and returns its violations.
func (tb *tab) axe(src string) []axeViolation {
	tb.t.Helper()
	tb.waitFor("the page", `document.readyState === "complete"`)
	// The page's Content-Security-Policy does not apply to what the
	// DevTools protocol evaluates, so axe runs on the page as served.
	eval[bool](tb, `(function(){ if (!window.axe) { `+src+`
} return true })()`)
	out := eval[string](tb, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
		resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		tb.t.Fatalf("axe's answer: %v", err)
	}
	return vs
}

// TestAccessibility runs axe-core on every page of the web app, as each
// role sees it, in each language; a serious or critical violation fails
// the test (the others are logged).
func TestAccessibility(t *testing.T) {
	e := newEnv(t)
	us := e.mql("Laura", "Chen", "laura.chen@helixbio.com", "US")
	ca := e.mql("Pierre", "Roy", "pierre.roy@helixbio.ca", "CA")
	nurtured := e.mql("Bruno", "Lima", "bruno.lima@helixbio.com", "US")
	owner := e.client()
	owner.signIn(e.ownerOf(nurtured))
	csrf := owner.get("/app/queue").csrf()
	if res := owner.post(fmt.Sprintf("/app/leads/%d/reject", nurtured), url.Values{"csrf": {csrf}, "reason": {"no_budget"}, "note": {"next year"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("reject: %s", res)
	}
	lead := func(id int64) string { return fmt.Sprintf("/app/leads/%d", id) }
	src := axeSource(t)

	pages := []struct {
		who   string // first name of the user signed in; "" for none
		paths []string
	}{
		{"", []string{"/login", "/login?lang=es&next=%2Fapp%2Fleads", "/login/reset/not-a-link"}},
		{"rita", []string{"/app/queue", "/app/leads", "/app/leads?q=helix", lead(us), lead(nurtured), "/app/notifications", "/app/settings",
			lead(ca) /* another team's: 403 */, "/app/definitions" /* 403 */, "/app/nothing-here"}},
		{"rui", []string{"/app/queue", lead(us)}},
		{"lina", []string{"/app/queue", lead(ca)}},
		{"marta", []string{"/app/team", "/app/leads", lead(us), "/app/reports", "/app/users"}},
		{"mario", []string{"/app/definitions", "/app/definitions/1", "/app/definitions/new?from=1", "/app/definitions/diff?a=1&b=1",
			"/app/definitions/1/activate", "/app/imports", "/app/lab", "/app/reports", "/app/leads"}},
		{"ada", []string{"/app/users", fmt.Sprintf("/app/users/%d", e.Users["rita"].ID), "/app/leads", lead(nurtured), "/app/settings"}},
	}
	failed := 0
	for _, p := range pages {
		tb := e.tab()
		if p.who != "" {
			tb.signIn(p.who, "/app/")
		}
		for _, path := range p.paths {
			tb.open(path)
			for _, v := range tb.axe(src) {
				var where []string
				for _, n := range v.Nodes {
					where = append(where, fmt.Sprint(n.Target))
				}
				msg := fmt.Sprintf("%s %s: %s [%s] %s at %s", p.who, path, v.Impact, v.ID, v.Help, strings.Join(where, " "))
				if v.Impact == "serious" || v.Impact == "critical" {
					failed++
					t.Error(msg)
					if len(v.Nodes) > 0 {
						t.Log(v.Nodes[0].Summary)
					}
				} else {
					t.Log(msg)
				}
			}
		}
	}
	if failed > 0 {
		t.Logf("%d serious or critical accessibility violations", failed)
	}
}
