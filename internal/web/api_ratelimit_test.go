package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
	"github.com/pistahq/pista/internal/web"
)

// retryAfter checks a 429 and returns its Retry-After in seconds.
func retryAfter(t *testing.T, r apiResp) int {
	t.Helper()
	checkProblem(t, r, 429)
	n, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Errorf("429 without a Retry-After in whole seconds: %q", r.Header.Get("Retry-After"))
	}
	return n
}

// A revoked token stops at once, on every server sharing the database,
// also on the routes that store inquiries, where a server takes a token
// that worked lately without reading it: the transaction storing the
// request reads it, and a request refused before that reads it too.
func TestTokenRevocationAtOnce(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		ctx := context.Background()
		id, err := e.DB.InsertToken(ctx, "leaked", "integration", access.HashToken("pst_leaked"), e.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		person := func(email string) map[string]any {
			return map[string]any{"person": map[string]any{"email": email, "first_name": "Ana"}, "action": map[string]any{"type": "demo_request"},
				"company": map[string]any{"name": "Co " + email, "domain": strings.ReplaceAll(strings.ReplaceAll(email, "@", "-"), ".", "-") + ".example"}}
		}
		batch := func(emails ...string) map[string]any {
			var ins []any
			for _, e := range emails {
				ins = append(ins, person(e))
			}
			return map[string]any{"inquiries": ins}
		}
		// Each first request after the revocation on a server of its own,
		// as other instances on the same database, each having stored with
		// the token before (so holding it in its cache).
		firsts := []struct {
			name, path string
			body       any
		}{
			{"an inquiry", "/api/v1/inquiries", person("after@leak.example")},
			{"a batch", "/api/v1/inquiries/batch", batch("after-batch@leak.example")},
			{"an inquiry refused before it is stored", "/api/v1/inquiries", `{"persona":{}}`},
			{"a batch whose inquiries are all refused", "/api/v1/inquiries/batch", batch("not-an-email")},
			{"a list of leads", "/api/v1/leads", nil},
		}
		var servers []*apiEnv
		for i := range firsts {
			srv := *e
			if i > 0 {
				other := web.New(web.Config{Service: e.Svc, Now: e.Clock.Now, Log: testenv.Logger(), FormKey: []byte("0123456789abcdef0123456789abcdef"), DataDir: t.TempDir()})
				t.Cleanup(other.Close)
				hs := httptest.NewServer(other.Handler())
				t.Cleanup(hs.Close)
				srv.URL = hs.URL
			}
			servers = append(servers, &srv)
			// Twice each: the second time from the server's cache.
			for k := range 2 {
				srv.mustCall(201, nil, "pst_leaked", "POST", "/api/v1/inquiries", person(fmt.Sprintf("before%d-%d@leak.example", i, k)))
			}
			srv.mustCall(200, nil, "pst_leaked", "POST", "/api/v1/inquiries/batch", batch(fmt.Sprintf("batch%d@leak.example", i)))
		}
		companies, err := e.DB.CountCompanies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.DB.RevokeToken(ctx, id, e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		for i, f := range firsts {
			method := "POST"
			if f.body == nil {
				method = "GET"
			}
			if r := servers[i].call("pst_leaked", method, f.path, f.body); r.Status != 401 {
				t.Errorf("%s, first after the revocation: %s, want 401", f.name, r)
			}
			for _, again := range firsts {
				method := "POST"
				if again.body == nil {
					method = "GET"
				}
				checkProblem(t, servers[i].call("pst_leaked", method, again.path, again.body), 401)
			}
		}
		var list struct {
			Leads []struct {
				Email string `json:"email"`
			} `json:"leads"`
		}
		e.mustCall(200, &list, "admin", "GET", "/api/v1/leads?q=leak.example&limit=100", nil)
		var got []string
		for _, l := range list.Leads {
			got = append(got, l.Email)
		}
		slices.Sort(got)
		var want []string
		for i := range firsts {
			want = append(want, fmt.Sprintf("batch%d@leak.example", i), fmt.Sprintf("before%d-0@leak.example", i), fmt.Sprintf("before%d-1@leak.example", i))
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("stored %v, want only what was sent before the revocations: %v", got, want)
		}
		// Nor a company named after it (on PostgreSQL, new companies are
		// created ahead of their group, in a transaction of their own).
		if n, err := e.DB.CountCompanies(ctx); err != nil || n != companies {
			t.Errorf("%d companies after the revocation, %d before (%v)", n, companies, err)
		}
	})
}

// A token over its rate gets 429 with Retry-After and is let through
// again as the clock moves; other tokens are not slowed down by it.
func TestTokenRateLimit(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			e := startAPI(t, target, func(c *web.Config) { c.TokenRate = 5 })
			for range 10 { // the burst: twice the rate
				e.mustCall(200, nil, "bdr", "GET", "/api/v1/me", nil)
			}
			r := e.call("bdr", "GET", "/api/v1/me", nil)
			if wait := retryAfter(t, r); wait != 1 {
				t.Errorf("Retry-After %d, want 1 (one request refills in 0.2 s)", wait)
			}
			e.mustCall(200, nil, "marketing", "GET", "/api/v1/me", nil)
			e.Clock.Advance(time.Second)
			for range 5 {
				e.mustCall(200, nil, "bdr", "GET", "/api/v1/me", nil)
			}
			retryAfter(t, e.call("bdr", "POST", "/api/v1/inquiries", laura()))
		})
	}
}

// Repeated bad tokens from one address are slowed down before any lookup;
// a token that worked before still gets through.
func TestBadTokensSlowDown(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		e.mustCall(200, nil, "bdr", "GET", "/api/v1/me", nil)
		for i := range 20 {
			checkProblem(t, e.call(fmt.Sprintf("pst_guess_%d", i), "GET", "/api/v1/leads", nil), 401)
		}
		wait := retryAfter(t, e.call("pst_guess_x", "GET", "/api/v1/leads", nil))
		if wait < 1 || wait > 3 {
			t.Errorf("Retry-After %d, want 1-3 s", wait)
		}
		e.mustCall(200, nil, "bdr", "GET", "/api/v1/me", nil)
		e.Clock.Advance(3 * time.Second)
		checkProblem(t, e.call("pst_guess_y", "GET", "/api/v1/leads", nil), 401)
		retryAfter(t, e.call("pst_guess_z", "GET", "/api/v1/leads", nil))
	})
}

// A form flood from one address: the first submissions are stored (those
// beyond the softer limit flagged), the rest refused with 429 and stored
// nowhere.
func TestFormFloodIs429(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		e.mustCall(200, nil, "marketing", "PUT", "/api/v1/forms/contacto", contacto(""))
		stamp := e.stamp(t)
		e.Clock.Advance(5 * time.Second)
		stored, limited := 0, 0
		for i := range web.FormFloodBurst + 20 {
			r := e.postForm(t, url.Values{"_pista_ts": {stamp}, "email": {fmt.Sprintf("p%d@helixbio.com", i)}, "nombre": {"Pat Doe"}})
			switch r.Status {
			case 303:
				stored++
			case 429:
				limited++
				retryAfter(t, r)
			default:
				t.Fatalf("post %d: %s", i, r)
			}
		}
		if stored != web.FormFloodBurst || limited != 20 {
			t.Errorf("%d stored and %d refused, want %d and 20", stored, limited, web.FormFloodBurst)
		}
		if n := len(e.leads("")); n != stored {
			t.Errorf("%d leads, want %d", n, stored)
		}
		if s := inquirySuspicion(t, e.formLead(t, fmt.Sprintf("p%d@helixbio.com", stored-1))); len(s) == 0 {
			t.Errorf("a submission beyond the softer limit is not flagged")
		}
	})
}
