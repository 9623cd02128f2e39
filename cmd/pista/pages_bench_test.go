package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/testenv"
	"github.com/pistahq/pista/internal/web"
)

// BenchmarkPages renders every main page of the web app on the data of
// `pista demo` (3,000 people, its four sign-ins), as a full request
// through the server's handler: session, role check, queries, template.
// Each sub-benchmark reports its 95th percentile (docs/PERFORMANCE.md).
//
//	go test -run '^$' -bench Pages -benchtime 50x ./cmd/pista/
func BenchmarkPages(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "demo.db")
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"demo", "--db", path}, strings.NewReader(""), &out, &errb, func(string) string { return "" }); code != 0 {
		b.Fatalf("pista demo: %d %s", code, errb.String())
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc, err := intake.New(ctx, intake.Config{DB: db, Log: testenv.Logger()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(svc.Close)
	srv := web.New(web.Config{Service: svc, Log: testenv.Logger(), FormKey: []byte("0123456789abcdef0123456789abcdef"), DataDir: b.TempDir()})
	b.Cleanup(srv.Close)
	h := srv.Handler()

	// The sign-ins `pista demo` printed: role, e-mail, password.
	auth := access.NewAuth(db, nil)
	cookies := map[string]string{}
	ownLead := map[string]int64{}
	_, signIns, _ := strings.Cut(out.String(), "Sign in to the web app")
	for _, line := range strings.Split(signIns, "\n")[1:] {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		s, secret, err := auth.SignIn(ctx, f[1], f[2], "127.0.0.1", "bench")
		if err != nil {
			b.Fatalf("sign in as %s: %v", f[1], err)
		}
		cookies[f[0]] = secret
		if owned, err := db.OwnedLeads(ctx, s.User.ID, 1); err == nil && len(owned) > 0 {
			ownLead[f[0]] = owned[0].ID
		}
	}
	anyLead, err := db.OwnedLeads(ctx, 0, 1)
	if err != nil || len(anyLead) == 0 {
		anyLead = nil
	}
	lead := func(role string) string {
		if id := ownLead[role]; id != 0 {
			return "/app/leads/" + strconv.FormatInt(id, 10)
		}
		if anyLead != nil {
			return "/app/leads/" + strconv.FormatInt(anyLead[0].ID, 10)
		}
		return "/app/leads/1"
	}
	pages := []struct{ role, path string }{
		{"rep", "/app/queue"}, {"rep", "/app/leads"}, {"rep", lead("rep")}, {"rep", "/app/notifications"}, {"rep", "/app/settings"},
		{"manager", "/app/team"}, {"manager", "/app/leads"}, {"manager", lead("manager")}, {"manager", "/app/reports"}, {"manager", "/app/users"},
		{"marketing", "/app/definitions"}, {"marketing", "/app/definitions/1"}, {"marketing", "/app/imports"}, {"marketing", "/app/lab"},
		{"marketing", "/app/reports"}, {"admin", "/app/leads"}, {"admin", "/app/leads?q=a&sort=score"}, {"admin", "/app/users"},
	}
	for _, p := range pages {
		b.Run(p.role+strings.ReplaceAll(p.path, "/", "_"), func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, p.path, nil)
				req.AddCookie(&http.Cookie{Name: "pista_session", Value: cookies[p.role]})
				rec := httptest.NewRecorder()
				t0 := time.Now()
				h.ServeHTTP(rec, req)
				lat = append(lat, time.Since(t0))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s as %s: %d", p.path, p.role, rec.Code)
				}
			}
			slices.Sort(lat)
			p95 := lat[min(len(lat)-1, int(float64(len(lat))*0.95+0.999999)-1)]
			b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
		})
	}
}
