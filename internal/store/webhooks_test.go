package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

func emit(t *testing.T, db *store.DB, ev store.OutEvent) {
	t.Helper()
	if err := db.InTx(context.Background(), func(tx *store.Tx) error { return tx.Emit(context.Background(), ev) }); err != nil {
		t.Fatal(err)
	}
}

// TestEmit checks that an event is queued once per active subscription to
// its type, and not at all without one.
func TestEmit(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			emit(t, db, store.OutEvent{Type: "lead.created", LeadID: 1, At: t0}) // nobody listens: nothing stored

			both := &store.Webhook{URL: "http://a.test/", Secret: "s1", Types: []string{"lead.created", "sla.breached"}, Active: true, CreatedAt: t0, UpdatedAt: t0}
			paused := &store.Webhook{URL: "http://b.test/", Secret: "s2", Types: []string{"lead.created"}, Active: false, CreatedAt: t0, UpdatedAt: t0}
			breach := &store.Webhook{URL: "http://c.test/", Secret: "s3", Types: []string{"sla.breached"}, Active: true, CreatedAt: t0, UpdatedAt: t0}
			for _, w := range []*store.Webhook{both, paused, breach} {
				if err := db.CreateWebhook(ctx, w); err != nil {
					t.Fatal(err)
				}
			}
			emit(t, db, store.OutEvent{Type: "lead.created", LeadID: 7, At: t0, Data: map[string]any{"stage": "mql"}})
			emit(t, db, store.OutEvent{Type: "sla.breached", LeadID: 7, At: t0.Add(time.Minute)})
			emit(t, db, store.OutEvent{Type: "lead.touched", LeadID: 7, At: t0.Add(time.Minute)}) // nobody listens

			counts := map[int64]int{}
			for _, w := range []*store.Webhook{both, paused, breach} {
				ds, err := db.WebhookDeliveries(ctx, w.ID, store.DeliveryFilter{})
				if err != nil {
					t.Fatal(err)
				}
				counts[w.ID] = len(ds)
				for _, d := range ds {
					if d.Status != "pending" || d.LeadID != 7 || len(d.EventID) != 36 || d.GiveUpAt.Sub(d.EventAt) != store.RetryWindow {
						t.Errorf("delivery %+v", d)
					}
				}
			}
			if counts[both.ID] != 2 || counts[paused.ID] != 0 || counts[breach.ID] != 1 {
				t.Errorf("deliveries per subscription = %v, want 2, 0, 1", counts)
			}

			// A paused subscription gets nothing; resumed, it does at once
			// (local changes invalidate the cache).
			if _, err := db.UpdateWebhook(ctx, paused.ID, t0, func(w *store.Webhook) error { w.Active = true; return nil }); err != nil {
				t.Fatal(err)
			}
			emit(t, db, store.OutEvent{Type: "lead.created", LeadID: 8, At: t0})
			if ds, _ := db.WebhookDeliveries(ctx, paused.ID, store.DeliveryFilter{}); len(ds) != 1 {
				t.Errorf("resumed subscription has %d deliveries, want 1", len(ds))
			}

			for _, bad := range []store.OutEvent{{Type: "lead.exploded", At: t0}, {Type: "lead.created"}} {
				err := db.InTx(ctx, func(tx *store.Tx) error { return tx.Emit(ctx, bad) })
				if err == nil {
					t.Errorf("Emit(%+v) succeeded", bad)
				}
			}
		})
	}
}
