package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/webhook"
)

type webhookJSON struct {
	ID          int64    `json:"id"`
	URL         string   `json:"url"`
	Types       []string `json:"types"`
	Active      bool     `json:"active"`
	Description string   `json:"description"`
	Secret      string   `json:"secret"`
}

// TestAPIWebhookValidation: bad subscriptions are 422 naming the field,
// with a did-you-mean for a mistyped event type; only admins may touch
// webhooks.
func TestAPIWebhookValidation(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		cases := []struct {
			name   string
			body   any
			fields []string
			reason string
		}{
			{"empty", map[string]any{}, []string{"url", "types"}, "missing"},
			{"ftp", map[string]any{"url": "ftp://example.com/x", "types": []string{"lead.created"}}, []string{"url"}, "http://"},
			{"relative", map[string]any{"url": "/hooks", "types": []string{"lead.created"}}, []string{"url"}, "absolute"},
			{"no host", map[string]any{"url": "https:///hooks", "types": []string{"lead.created"}}, []string{"url"}, "no host"},
			{"fragment", map[string]any{"url": "https://x.test/h#top", "types": []string{"lead.created"}}, []string{"url"}, "fragment"},
			{"typo", map[string]any{"url": "https://x.test/h", "types": []string{"lead.created", "lead.asigned"}}, []string{"types[1]"}, `did you mean "lead.assigned"?`},
			{"no types", map[string]any{"url": "https://x.test/h", "types": []string{}}, []string{"types"}, "at least one"},
			{"short secret", map[string]any{"url": "https://x.test/h", "types": []string{"sla.breached"}, "secret": "abc"}, []string{"secret"}, "16 to 256"},
			{"unknown field", map[string]any{"url": "https://x.test/h", "types": []string{"sla.breached"}, "event": "x"}, []string{"event"}, "unknown field"},
			{"wrong type", map[string]any{"url": "https://x.test/h", "types": "sla.breached"}, []string{"types"}, "a list"},
		}
		for _, c := range cases {
			p := checkProblem(t, e.call("admin", "POST", "/api/v1/webhooks", c.body), 422, c.fields...)
			if !slices.ContainsFunc(p.Errors, func(f struct {
				Name   string `json:"name"`
				Reason string `json:"reason"`
			}) bool {
				return strings.Contains(f.Reason, c.reason)
			}) {
				t.Errorf("%s: %+v, want a reason with %q", c.name, p.Errors, c.reason)
			}
		}
		for _, role := range []string{"marketing", "manager", "integration", "rep"} {
			checkProblem(t, e.call(role, "GET", "/api/v1/webhooks", nil), 403)
			checkProblem(t, e.call(role, "POST", "/api/v1/webhooks", map[string]any{"url": "https://x.test/h", "types": []string{"lead.created"}}), 403)
		}
		checkProblem(t, e.call("", "GET", "/api/v1/webhooks", nil), 401)

		var w webhookJSON
		e.mustCall(201, &w, "admin", "POST", "/api/v1/webhooks", map[string]any{"url": "https://x.test/h", "types": []string{"lead.created", "lead.created"}})
		if !strings.HasPrefix(w.Secret, "whsec_") || len(w.Secret) != 54 || !w.Active || len(w.Types) != 1 {
			t.Errorf("created %+v", w)
		}
		// Every webhook call is the admin's: the others are refused on the
		// server, whatever the call.
		for _, role := range []string{"marketing", "manager", "bdr", "integration", "rep"} {
			for _, c := range []struct{ method, path string }{
				{"GET", fmt.Sprintf("/api/v1/webhooks/%d", w.ID)},
				{"PATCH", fmt.Sprintf("/api/v1/webhooks/%d", w.ID)},
				{"DELETE", fmt.Sprintf("/api/v1/webhooks/%d", w.ID)},
				{"GET", fmt.Sprintf("/api/v1/webhooks/%d/deliveries", w.ID)},
				{"POST", fmt.Sprintf("/api/v1/webhooks/%d/deliveries/1/redeliver", w.ID)},
			} {
				var body any
				if c.method == "PATCH" {
					body = map[string]any{"active": false}
				}
				checkProblem(t, e.call(role, c.method, c.path, body), 403)
			}
		}
		path := fmt.Sprintf("/api/v1/webhooks/%d", w.ID)
		checkProblem(t, e.call("admin", "PATCH", path, map[string]any{"types": []string{"sla.breached", "sla.escalatd"}}), 422, "types[1]")
		checkProblem(t, e.call("admin", "PATCH", path, map[string]any{"url": "mailto:a@b.c"}), 422, "url")
		checkProblem(t, e.call("admin", "PATCH", path, map[string]any{"secret": "0123456789abcdef"}), 422, "secret")
		checkProblem(t, e.call("admin", "PATCH", "/api/v1/webhooks/999", map[string]any{"active": false}), 404)
		checkProblem(t, e.call("admin", "GET", "/api/v1/webhooks/abc", nil), 404)
		checkProblem(t, e.call("admin", "PUT", path, nil), 405)
		for _, q := range []string{"limit=0", "limit=x", "status=lost", "cursor=-3", "sort=id"} {
			checkProblem(t, e.call("admin", "GET", path+"/deliveries?"+q, nil), 422, strings.Split(q, "=")[0])
		}
		checkProblem(t, e.call("admin", "POST", path+"/deliveries/77/redeliver", nil), 404)
		checkProblem(t, e.call("admin", "POST", path+"/deliveries/x/redeliver", nil), 404)
	})
}

// TestAPIWebhooks: subscribe through the API, receive a signed event on a
// local server, read the log, redeliver, page, pause and delete.
func TestAPIWebhooks(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		ctx := context.Background()
		var (
			mu  sync.Mutex
			got []string // event IDs, in order
		)
		const secret = "my-receiver-secret-0123"
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if err := webhook.Verify(secret, r.Header.Get(webhook.HeaderSignature), body, e.Clock.Now(), 0); err != nil {
				t.Errorf("receiver: %v", err)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			mu.Lock()
			got = append(got, r.Header.Get(webhook.HeaderEventID))
			mu.Unlock()
		}))
		defer rcv.Close()

		var w webhookJSON
		e.mustCall(201, &w, "admin", "POST", "/api/v1/webhooks", map[string]any{"url": rcv.URL, "types": []string{"lead.created", "sla.breached"},
			"secret": secret, "description": "CRM"})
		if w.Secret != secret {
			t.Errorf("secret %q, want the one given", w.Secret)
		}
		path := fmt.Sprintf("/api/v1/webhooks/%d", w.ID)
		for _, p := range []string{"/api/v1/webhooks", path} {
			if r := e.mustCall(200, nil, "admin", "GET", p, nil); strings.Contains(string(r.Body), secret) || strings.Contains(string(r.Body), `"secret"`) {
				t.Errorf("GET %s shows the secret: %s", p, r.Body)
			}
		}

		d := webhook.New(webhook.Config{DB: e.DB, Now: e.Clock.Now})
		for i, typ := range []string{"lead.created", "sla.breached", "lead.touched"} {
			err := e.DB.InTx(ctx, func(tx *store.Tx) error {
				return tx.Emit(ctx, store.OutEvent{Type: typ, LeadID: int64(i + 1), At: e.Clock.Now(), Data: map[string]int{"n": i}})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if n, err := d.DeliverDue(ctx); err != nil || n != 2 {
			t.Fatalf("DeliverDue: %d, %v; want 2 (lead.touched is not subscribed)", n, err)
		}

		var page struct {
			Deliveries []store.WebhookDelivery `json:"deliveries"`
			NextCursor string                  `json:"next_cursor"`
		}
		e.mustCall(200, &page, "admin", "GET", path+"/deliveries?limit=1", nil)
		if len(page.Deliveries) != 1 || page.NextCursor == "" || page.Deliveries[0].EventType != "sla.breached" {
			t.Fatalf("first page %+v", page)
		}
		newest := page.Deliveries[0]
		if newest.Status != "delivered" || len(newest.Log) != 1 || newest.Log[0].Status != 200 || newest.WebhookID != w.ID {
			t.Errorf("delivery %+v", newest)
		}
		cursor := page.NextCursor
		page.Deliveries, page.NextCursor = nil, ""
		e.mustCall(200, &page, "admin", "GET", path+"/deliveries?limit=1&cursor="+cursor, nil)
		if len(page.Deliveries) != 1 || page.NextCursor != "" || page.Deliveries[0].EventType != "lead.created" {
			t.Fatalf("second page %+v", page)
		}
		e.mustCall(200, &page, "admin", "GET", path+"/deliveries?status=failed", nil)
		if len(page.Deliveries) != 0 {
			t.Errorf("failed deliveries: %+v", page.Deliveries)
		}

		e.Clock.Advance(3600e9)
		var again store.WebhookDelivery
		e.mustCall(202, &again, "admin", "POST", fmt.Sprintf("%s/deliveries/%d/redeliver", path, newest.ID), nil)
		if again.Status != "pending" || again.NextAt == nil || !again.NextAt.Equal(e.Clock.Now()) {
			t.Errorf("redelivered %+v", again)
		}
		if n, err := d.DeliverDue(ctx); err != nil || n != 1 {
			t.Fatalf("DeliverDue after redeliver: %d, %v", n, err)
		}
		mu.Lock()
		if len(got) != 3 || got[2] != newest.EventID || !slices.Contains(got[:2], newest.EventID) { // the first two are sent at once
			t.Errorf("received %v; want the redelivered event %s again", got, newest.EventID)
		}
		mu.Unlock()

		var paused webhookJSON
		e.mustCall(200, &paused, "admin", "PATCH", path, map[string]any{"active": false, "description": "paused for maintenance"})
		if paused.Active || paused.Description != "paused for maintenance" || paused.URL != rcv.URL || len(paused.Types) != 2 {
			t.Errorf("patched %+v", paused)
		}
		checkProblem(t, e.call("admin", "POST", fmt.Sprintf("%s/deliveries/%d/redeliver", path, newest.ID), nil), 409)

		e.mustCall(204, nil, "admin", "DELETE", path, nil)
		checkProblem(t, e.call("admin", "GET", path, nil), 404)
		checkProblem(t, e.call("admin", "GET", path+"/deliveries", nil), 404)
		checkProblem(t, e.call("admin", "DELETE", path, nil), 404)
	})
}
