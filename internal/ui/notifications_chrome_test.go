package ui_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	cdp "github.com/chromedp/chromedp"

	"github.com/pistahq/pista/internal/store"
)

// TestChromeNotifications: a rep sees the bell's count and the list in
// their language, and marking all read clears the count.
func TestChromeNotifications(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rita := e.Users["rita"]
	for i, n := range []struct {
		kind string
		data map[string]any
	}{
		{store.NotifyAssigned, map[string]any{"lead_name": "Laura Chen", "company": "Helix Biosciences"}},
		{store.NotifyDueSoon, map[string]any{"lead_name": "Laura Chen", "company": "Helix Biosciences", "due_at": e.Clock.Now().Add(2 * time.Hour)}},
		{store.NotifyReassigned, map[string]any{"lead_name": "Bruno Lima", "company": "Genômica BR", "by": "marta@instrumentos.example"}},
	} {
		data, _ := json.Marshal(n.data)
		if err := e.DB.InTx(ctx, func(tx *store.Tx) error {
			return tx.Notify(ctx, &store.Notification{UserID: rita.ID, Kind: n.kind, LeadID: int64(i + 1), Data: data, CreatedAt: e.Clock.Now().Add(time.Duration(i) * time.Minute)})
		}); err != nil {
			t.Fatal(err)
		}
	}
	c := e.tab()
	c.signIn("rita", "/app/")
	if badge := c.text("#bell .badge"); !strings.HasPrefix(badge, "3") {
		t.Errorf("badge %q, want 3", badge)
	}
	c.do(cdp.Click(cdp.ID("bell")), cdp.WaitVisible(cdp.ID("notifications")))
	if list := c.text("#notifications"); !strings.Contains(list, "Lead reassigned to you: Bruno Lima") || !strings.Contains(list, "First touch due soon: Laura Chen") {
		t.Errorf("list: %q", list)
	}
	c.shot("ui-notifications")
	c.do(cdp.Click(cdp.ID("mark-all")), cdp.WaitVisible(cdp.CSS("#notifications li:not(.unread)")))
	if n, _ := e.DB.UnreadNotifications(ctx, rita.ID); n != 0 {
		t.Errorf("%d unread after marking all read", n)
	}
}
