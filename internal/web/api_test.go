package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/pistahq/pista/internal/access"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
	"github.com/pistahq/pista/internal/waterfall"
	"github.com/pistahq/pista/internal/web"
)

// The scenario tests drive a real server through HTTP only: a real
// database per target (SQLite always, PostgreSQL when
// PISTA_TEST_POSTGRES_URL is set), the intake service with its background
// evaluator, and web.Server on a loopback listener, all on one injected
// clock.

// apiStart is the injected "now" of every scenario: Friday 20 November 2026,
// 10:00 in Bogotá.
var apiStart = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

// apiEnv is one running server and what a test needs to talk to it.
type apiEnv struct {
	t      *testing.T
	URL    string
	Clock  *testenv.Clock
	DB     *store.DB
	Svc    *intake.Service
	WF     *waterfall.Service // its timers are fired by the test (FireDue), on the injected clock
	client *http.Client
}

// Tokens by role; "integration2" is a second integration token for the
// per-token idempotency check.
var apiTokens = map[string]string{
	"admin":        "pst_test_admin",
	"marketing":    "pst_test_marketing",
	"manager":      "pst_test_manager",
	"bdr":          "pst_test_bdr",
	"rep":          "pst_test_rep",
	"integration":  "pst_test_integration",
	"integration2": "pst_test_integration_2",
}

// forEachTarget runs fn against a fresh server on every storetest target.
func forEachTarget(t *testing.T, fn func(t *testing.T, e *apiEnv)) {
	t.Helper()
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, startAPI(t, target))
		})
	}
}

// startAPI wires a server the way cmd/pista serve does, with an injected
// clock and tokens inserted directly in the database.
func startAPI(t *testing.T, target storetest.Target, configure ...func(*web.Config)) *apiEnv {
	t.Helper()
	ctx := context.Background()
	db := target.Open(t)
	clk := testenv.NewClock(apiStart)
	log := testenv.Logger()
	svc, err := intake.New(ctx, intake.Config{DB: db, Now: clk.Now, Log: log, MaxBatch: 64})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	src, err := os.ReadFile("../../examples/definitions/instrumentos.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.AddDefinition(ctx, "instrumentos.yaml", src, true)
	if err != nil {
		t.Fatal(err)
	}
	for role, tok := range apiTokens {
		r := strings.TrimSuffix(role, "2")
		if _, err := db.InsertToken(ctx, "test-"+role, r, access.HashToken(tok), clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// No per-token limit unless a test sets one: the injected clock stands
	// still, so a bucket would never refill while a test polls.
	cfg := web.Config{Service: svc, Log: log, Now: clk.Now, FormKey: []byte("0123456789abcdef0123456789abcdef"), DataDir: t.TempDir(), TokenRate: -1}
	for _, c := range configure {
		c(&cfg)
	}
	srv := web.New(cfg)
	t.Cleanup(srv.Close)

	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); svc.Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-done })

	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	e := &apiEnv{t: t, URL: hs.URL, Clock: clk, DB: db, Svc: svc, WF: srv.Waterfall(), client: &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	// The initial re-evaluation (of no leads) runs in the background; let
	// it finish so that it cannot outlive the database.
	e.waitReevaluation(res.Definition.ID)
	return e
}

// apiResp is an HTTP answer, read whole.
type apiResp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r apiResp) String() string {
	return fmt.Sprintf("%d %s %s", r.Status, r.Header.Get("Content-Type"), bytes.TrimSpace(r.Body))
}

// call sends a request as role ("" for no token); it may be called from
// any goroutine. body is sent as is when
// it is a string or []byte, as JSON otherwise; nil sends no body. headers
// are name, value pairs.
func (e *apiEnv) call(role, method, path string, body any, headers ...string) apiResp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Errorf("%s %s: %v", method, path, err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		e.t.Errorf("%s %s: %v", method, path, err)
		return apiResp{Header: http.Header{}}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		tok, ok := apiTokens[role]
		if !ok {
			tok = role // a raw token
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.send(req)
}

// send does a request. A transport error is reported (with Errorf, so
// send may be called from any goroutine) as status 0.
func (e *apiEnv) send(req *http.Request) apiResp {
	e.t.Helper()
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Errorf("%s %s: %v", req.Method, req.URL.Path, err)
		return apiResp{Header: http.Header{}}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Errorf("%s %s: reading the body: %v", req.Method, req.URL.Path, err)
	}
	return apiResp{Status: res.StatusCode, Header: res.Header, Body: b}
}

// as is e reporting to t, for use inside a subtest.
func (e *apiEnv) as(t *testing.T) *apiEnv {
	c := *e
	c.t = t
	return &c
}

// mustCall is call that fails the test unless the status is want, and
// decodes the JSON answer into out (if not nil).
func (e *apiEnv) mustCall(want int, out any, role, method, path string, body any, headers ...string) apiResp {
	e.t.Helper()
	r := e.call(role, method, path, body, headers...)
	if r.Status != want {
		e.t.Fatalf("%s %s: want %d, got %s", method, path, want, r)
	}
	if out != nil {
		if err := json.Unmarshal(r.Body, out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, r.Body)
		}
	}
	return r
}

// problemJSON is RFC 9457 problem details as Pista sends them.
type problemJSON struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
	Errors   []struct {
		Name   string `json:"name"`
		Reason string `json:"reason"`
	} `json:"errors"`
}

// checkProblem checks that r is problem JSON with status want that names
// every field in fields, and returns it.
func checkProblem(t *testing.T, r apiResp, want int, fields ...string) problemJSON {
	t.Helper()
	var p problemJSON
	if r.Status != want {
		t.Errorf("want status %d, got %s", want, r)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json (%s)", ct, r)
	}
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Errorf("problem body is not JSON: %v: %s", err, r.Body)
		return p
	}
	if p.Type == "" || p.Title == "" || p.Status != r.Status || p.Detail == "" {
		t.Errorf("problem lacks RFC 9457 fields (type, title, status = HTTP status, detail): %s", r.Body)
	}
	for _, f := range fields {
		if !slices.ContainsFunc(p.Errors, func(e struct {
			Name   string `json:"name"`
			Reason string `json:"reason"`
		}) bool {
			return e.Name == f
		}) {
			t.Errorf("problem does not name %q in errors: %s", f, r.Body)
		}
	}
	return p
}

// eventually polls check until it returns true or the deadline passes.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitReevaluation waits until the latest re-evaluation of a definition
// has finished, as GET /api/v1/definitions/{id} reports it.
func (e *apiEnv) waitReevaluation(defID int64) {
	e.t.Helper()
	eventually(e.t, fmt.Sprintf("re-evaluation of definition %d", defID), func() bool {
		var d struct {
			Reevaluation *struct {
				FinishedAt *time.Time `json:"finished_at"`
			} `json:"reevaluation"`
		}
		e.mustCall(200, &d, "rep", "GET", fmt.Sprintf("/api/v1/definitions/%d", defID), nil)
		return d.Reevaluation != nil && d.Reevaluation.FinishedAt != nil
	})
}

// inquiryResult is the answer to POST /api/v1/inquiries.
type inquiryResult struct {
	LeadID     int64           `json:"lead_id"`
	Created    bool            `json:"created"`
	MergedBy   string          `json:"merged_by"`
	MergeID    int64           `json:"merge_id"`
	Stage      string          `json:"stage"`
	Score      float64         `json:"score"`
	Band       string          `json:"band"`
	Action     string          `json:"action"`
	Quality    string          `json:"quality"`
	Evaluation *evaluationJSON `json:"evaluation"`
	Definition int64           `json:"definition_id"`
	Suspicious []string        `json:"suspicious"`
}

type evaluationJSON struct {
	Definition struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"definition"`
	Inquiry    bool    `json:"inquiry"`
	Fit        float64 `json:"fit"`
	Engagement float64 `json:"engagement"`
	Lead       bool    `json:"lead"`
	Total      float64 `json:"total"`
	Band       string  `json:"band"`
	Stage      string  `json:"stage"`
	BANT       struct {
		Score     float64 `json:"score"`
		Human     bool    `json:"human"`
		Qualified bool    `json:"qualified"`
	} `json:"bant"`
	SLA *struct {
		Policy string `json:"policy"`
	} `json:"sla"`
	Explanation []struct {
		Kind   string  `json:"kind"`
		Rule   string  `json:"rule"`
		Line   int     `json:"line"`
		Points float64 `json:"points"`
		Value  string  `json:"value"`
	} `json:"explanation"`
}

// leadJSON is GET /api/v1/leads/{id} (and, without evaluation and
// timeline, an item of GET /api/v1/leads).
type leadJSON struct {
	ID     int64  `json:"id"`
	Email  string `json:"email"`
	Phone  string `json:"phone"`
	Person struct {
		Email     string `json:"email"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		Title     string `json:"title"`
		Country   string `json:"country"`
	} `json:"person"`
	Company struct {
		Name    string `json:"name"`
		Domain  string `json:"domain"`
		Country string `json:"country"`
	} `json:"company"`
	Source struct {
		Format   string `json:"format"`
		Channel  string `json:"channel"`
		Campaign string `json:"campaign"`
	} `json:"source"`
	Actions    []json.RawMessage `json:"actions"`
	Stage      string            `json:"stage"`
	Score      float64           `json:"score"`
	Band       string            `json:"band"`
	Evaluation *evaluationJSON   `json:"evaluation"`
	Timeline   []struct {
		Kind string          `json:"kind"`
		At   time.Time       `json:"at"`
		Data json.RawMessage `json:"data"`
	} `json:"timeline"`
}

func (e *apiEnv) lead(id int64) leadJSON {
	e.t.Helper()
	var l leadJSON
	e.mustCall(200, &l, "rep", "GET", fmt.Sprintf("/api/v1/leads/%d", id), nil)
	return l
}

// leads lists every lead a query selects (one page of up to 500).
func (e *apiEnv) leads(query string) []leadJSON {
	e.t.Helper()
	var page struct {
		Leads []leadJSON `json:"leads"`
	}
	e.mustCall(200, &page, "manager", "GET", "/api/v1/leads?limit=500&"+query, nil)
	return page.Leads
}

func timelineKinds(l leadJSON) map[string]int {
	kinds := map[string]int{}
	for _, e := range l.Timeline {
		kinds[e.Kind]++
	}
	return kinds
}

// laura is the first lead of examples/leads/instrumentos.jsonl: everything
// the instrument maker wants except the product-page binge.
func laura() map[string]any {
	return map[string]any{
		"person": map[string]any{"email": " Laura.Chen@HelixBio.com ", "first_name": "Laura", "last_name": "Chen",
			"title": "VP Quality", "seniority": "vp", "country": "us", "phone": "(617) 555-0142"},
		"company": map[string]any{"name": "Helix Biosciences", "industry": "life_sciences",
			"revenue": map[string]any{"amount": 4.2e9, "currency": "USD"}, "country": "US", "rankings": []string{"fortune_500"}},
		"source": map[string]any{"format": "web_form", "channel": "organic"},
		"action": map[string]any{"type": "price_request", "props": map[string]any{"product": "HX-200"}},
	}
}

// productPages are n product-page views in the Bogotá morning of the
// injected day, for a lead by ID or by e-mail.
func productPages(n int, key string, value any) []map[string]any {
	var out []map[string]any
	for i := range n {
		out = append(out, map[string]any{key: value, "type": "page_view",
			"at": apiStart.Add(-time.Hour + time.Duration(i)*time.Minute).Format(time.RFC3339), "props": map[string]any{"category": "product"}})
	}
	return out
}

func maps(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// query builds a query string.
func query(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}
