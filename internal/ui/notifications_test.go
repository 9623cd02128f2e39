package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// TestNotificationsPage: the bell shows the unread count, the list says
// what happened in the user's language with a link to the lead, marking
// read clears the badge, and nobody sees another user's.
func TestNotificationsPage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rita := e.Users["rita"]
	due := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	for _, n := range []struct {
		kind string
		data map[string]any
	}{
		{store.NotifyAssigned, map[string]any{"lead_name": "Laura Chen", "company": "Helix Biosciences"}},
		{store.NotifyDueSoon, map[string]any{"lead_name": "Laura Chen", "company": "Helix Biosciences", "due_at": due}},
	} {
		data, _ := json.Marshal(n.data)
		err := e.DB.InTx(ctx, func(tx *store.Tx) error {
			return tx.Notify(ctx, &store.Notification{UserID: rita.ID, Kind: n.kind, LeadID: 7, Data: data, CreatedAt: e.Clock.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	b := e.client()
	b.signIn("rita")
	list := b.get("/app/notifications")
	if list.Status != 200 || !strings.Contains(list.Body, `<span class="badge">2`) {
		t.Fatalf("badge: %s", list)
	}
	for _, want := range []string{`<a href="/app/leads/7">New lead assigned: Laura Chen</a>`, "Laura Chen (Helix Biosciences) is yours now.",
		"The first touch of Laura Chen (Helix Biosciences) is due Nov 20, 2026 13:00 -05."} {
		if !strings.Contains(list.Body, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	other := e.client()
	other.signIn("rui")
	if p := other.get("/app/notifications"); strings.Contains(p.Body, "Laura Chen") || strings.Contains(p.Body, `class="badge"`) {
		t.Errorf("Rui sees Rita's notifications")
	}
	if res := b.post("/app/notifications/read", url.Values{}); res.Status != http.StatusForbidden {
		t.Errorf("mark read without CSRF: %d", res.Status)
	}
	if res := b.post("/app/notifications/read", url.Values{"csrf": {list.csrf()}}); res.Status != http.StatusSeeOther {
		t.Fatalf("mark all read: %s", res)
	}
	if p := b.get("/app/notifications"); strings.Contains(p.Body, `class="badge"`) || !strings.Contains(p.Body, "Laura Chen") {
		t.Errorf("after marking read: badge still shown or the list emptied")
	}
}
