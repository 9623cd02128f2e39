package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
	"github.com/pistahq/pista/internal/waterfall"
	"github.com/pistahq/pista/internal/web"
)

// start is a Friday, 10:00 in Bogotá: business hours on the team's
// calendar.
var start = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

const password = "correct-horse-42"

// env is a real server on a real SQLite file with a sales team:
// Rita and Rui (reps of norteamerica, managed by Marta), Lina (rep of
// canada) and Ada (admin).
type env struct {
	t     *testing.T
	URL   string
	DB    *store.DB
	Clock *testenv.Clock
	WF    *waterfall.Service
	Users map[string]*store.User // by first name, lower case
	token string                 // an integration token for seeding
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db := storetest.OpenSQLite(t)
	clk := testenv.NewClock(start)
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
	if _, err := svc.AddDefinition(ctx, "instrumentos.yaml", src, true); err != nil {
		t.Fatal(err)
	}
	e := serveEnv(t, db, svc, clk)
	auth := access.NewAuth(db, clk.Now)
	for _, u := range []struct{ name, role, lang, tz string }{
		{"Rita Rep", access.Rep, "en", "America/Bogota"},
		{"Rui Rep", access.Rep, "es", "America/Bogota"},
		{"Marta Manager", access.Manager, "es", "America/Bogota"},
		{"Lina Rep", access.Rep, "pt", "America/Toronto"},
		{"Ada Admin", access.Admin, "en", ""},
		{"Mario Marketing", access.Marketing, "es", ""},
	} {
		first := strings.ToLower(strings.Fields(u.name)[0])
		usr, err := access.NewUser(u.name, first+"@instrumentos.example", u.role, u.lang, u.tz, clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := db.InsertUser(ctx, usr); err != nil {
			t.Fatal(err)
		}
		if err := auth.SetPassword(ctx, usr.ID, password, ""); err != nil {
			t.Fatal(err)
		}
		e.Users[first] = usr
	}
	cal := json.RawMessage(`{"country":"CO","timezone":"America/Bogota","hours":"08:00-17:00"}`)
	if err := db.PutTeam(ctx, &store.Team{Name: "norteamerica", Label: "Norteamérica", Calendar: cal, ManagerID: e.Users["marta"].ID,
		Members: []store.Member{{UserID: e.Users["rita"].ID, Weight: 1}, {UserID: e.Users["rui"].ID, Weight: 1}}}, clk.Now()); err != nil {
		t.Fatal(err)
	}
	if err := db.PutTeam(ctx, &store.Team{Name: "canada", Label: "Canadá", Members: []store.Member{{UserID: e.Users["lina"].ID, Weight: 1}}}, clk.Now()); err != nil {
		t.Fatal(err)
	}
	return e
}

// serveEnv starts a real server, its intake evaluator and waterfall on
// db, and an integration token for seeding.
func serveEnv(t *testing.T, db *store.DB, svc *intake.Service, clk *testenv.Clock) *env {
	t.Helper()
	ctx := context.Background()
	log := testenv.Logger()
	srv := web.New(web.Config{Service: svc, Log: log, Now: clk.Now, FormKey: []byte("0123456789abcdef0123456789abcdef"), DataDir: t.TempDir()})
	if err := srv.UIError(); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	wfDone := make(chan struct{})
	go func() { defer close(done); svc.Run(runCtx) }()
	go func() { defer close(wfDone); srv.Waterfall().Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-done; <-wfDone })
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	t.Cleanup(srv.Close)
	e := &env{t: t, URL: hs.URL, DB: db, Clock: clk, WF: srv.Waterfall(), Users: map[string]*store.User{}, token: "pst_ui_test_integration"}
	if _, err := db.InsertToken(ctx, "ui-test", access.Integration, access.HashToken(e.token), clk.Now()); err != nil {
		t.Fatal(err)
	}
	return e
}

// api calls the JSON API with the integration token.
func (e *env) api(method, path string, body any) []byte {
	e.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, e.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		e.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, out)
	}
	return out
}

// mql makes a lead in country (US: team norteamerica, CA: canada) an MQL
// routed to a rep: a VP's price request and a product-page binge.
func (e *env) mql(first, last, email, country string) int64 {
	e.t.Helper()
	id := e.inquiry(first, last, email, country)
	deadline := time.Now().Add(10 * time.Second)
	for {
		l, err := e.DB.Lead(context.Background(), id)
		if err != nil {
			e.t.Fatal(err)
		}
		if l.Stage() == "mql" && l.OwnerID != 0 {
			return id
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("lead %d did not become a routed MQL: stage %s owner %d", id, l.Stage(), l.OwnerID)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// inquiry sends the MQL's price request and product-page binge, and
// returns the lead without waiting for its evaluation.
func (e *env) inquiry(first, last, email, country string) int64 {
	e.t.Helper()
	return e.inquiryOf(first, last, email, country, true)
}

// inquiryOf is inquiry, with the page views only when engage is set.
func (e *env) inquiryOf(first, last, email, country string, engage bool) int64 {
	e.t.Helper()
	in := map[string]any{
		"person": map[string]any{"email": email, "first_name": first, "last_name": last, "title": "VP Quality", "seniority": "vp", "country": strings.ToLower(country)},
		"company": map[string]any{"name": "Helix Biosciences", "industry": "life_sciences",
			"revenue": map[string]any{"amount": 4.2e9, "currency": "USD"}, "country": country, "rankings": []string{"fortune_500"}},
		"source": map[string]any{"format": "web_form", "channel": "organic", "campaign": "precios-2026"},
		"action": map[string]any{"type": "price_request", "props": map[string]any{"product": "HX-200"}},
	}
	var res struct {
		LeadID int64 `json:"lead_id"`
	}
	if err := json.Unmarshal(e.api("POST", "/api/v1/inquiries", in), &res); err != nil {
		e.t.Fatal(err)
	}
	if engage {
		e.engage(res.LeadID)
	}
	return res.LeadID
}

// engage posts five product page views of the lead's person, which make
// the inquiry's lead an MQL once it is evaluated again.
func (e *env) engage(id int64) {
	e.t.Helper()
	now := e.Clock.Now()
	var events []map[string]any
	for i := range 5 {
		events = append(events, map[string]any{"lead_id": id, "type": "page_view",
			"at": now.Add(-time.Duration(10-i) * time.Minute).Format(time.RFC3339), "props": map[string]any{"category": "product"}})
	}
	e.api("POST", "/api/v1/events", map[string]any{"events": events})
}

// browser is a plain HTTP client with cookies, for tests below the
// browser's level (headers, CSRF, redirects).
type browser struct {
	e *env
	c *http.Client
}

func (e *env) client() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type resp struct {
	Status int
	Header http.Header
	Body   string
}

func (b *browser) get(path string) resp {
	b.e.t.Helper()
	res, err := b.c.Get(b.e.URL + path)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return read(b.e.t, res)
}

func (b *browser) post(path string, form url.Values) resp {
	b.e.t.Helper()
	res, err := b.c.PostForm(b.e.URL+path, form)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return read(b.e.t, res)
}

func read(t *testing.T, res *http.Response) resp {
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the CSRF token of a page's forms.
func (p resp) csrf() string {
	m := csrfField.FindStringSubmatch(p.Body)
	if m == nil {
		return ""
	}
	return m[1]
}

// signIn signs a user in through the form.
func (b *browser) signIn(first string) {
	b.e.t.Helper()
	login := b.get("/login")
	res := b.post("/login", url.Values{"csrf": {login.csrf()}, "email": {first + "@instrumentos.example"}, "password": {password}})
	if res.Status != http.StatusSeeOther {
		b.e.t.Fatalf("sign-in of %s: %d %s", first, res.Status, res.Body)
	}
}

func (p resp) String() string { return fmt.Sprintf("%d %s", p.Status, p.Body) }
