package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestPrefetchLeads: leads and events read ahead for a group answer
// LeadBy, LeadToReevaluate and LeadEvents as the database would, also
// after the transaction changed leads: a lead that took another phone, a
// lead read a second time, a new lead with an e-mail that found nobody.
func TestPrefetchLeads(t *testing.T) {
	ctx := context.Background()
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			db := target.Open(t)
			ana := newLead("ana@acme.com", "+573001110000", "", 10)
			bea := newLead("bea@acme.com", "+573001110000", "crm-2", 20) // the same phone, newer
			bea.Data.Person.FirstName = "Bea"
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for _, l := range []*store.Lead{ana, bea} {
					if err := tx.InsertLead(ctx, l); err != nil {
						return err
					}
				}
				at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
				return tx.InsertEvents(ctx, []store.Event{
					{LeadID: ana.ID, Event: lead.Event{Type: "page_view", At: at.Add(time.Minute), Props: map[string]any{"path": "/precios"}}},
					{LeadID: ana.ID, Event: lead.Event{Type: "content_download", At: at}},
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			var wantEvents []lead.Event
			err = db.InTx(ctx, func(tx *store.Tx) (err error) {
				wantEvents, err = tx.LeadEvents(ctx, ana.ID)
				return err
			})
			if err != nil || len(wantEvents) != 2 {
				t.Fatalf("events %v, %v", wantEvents, err)
			}
			find := func(tx *store.Tx, by, value string, want *store.Lead) *store.Lead {
				t.Helper()
				got, err := tx.LeadToReevaluate(ctx, by, value)
				if want == nil {
					if !errors.Is(err, store.ErrNotFound) {
						t.Errorf("by %s %s: %v, %v; want none", by, value, got, err)
					}
					return nil
				}
				if err != nil || got.ID != want.ID || got.Data.Person.FirstName != want.Data.Person.FirstName || got.Phone != want.Phone {
					t.Errorf("by %s %s: %+v, %v; want lead %d %q %s", by, value, got, err, want.ID, want.Data.Person.FirstName, want.Phone)
				}
				return got
			}
			err = db.InTx(ctx, func(tx *store.Tx) error {
				err := tx.PrefetchLeads(ctx, []string{"ana@acme.com", "bea@acme.com", "new@acme.com"},
					[]string{"+573001110000", "+573002220000"}, []string{"crm-2"})
				if err != nil {
					return err
				}
				defer tx.DropPrefetch()
				find(tx, "phone", "+573001110000", ana) // the oldest with it
				find(tx, "phone", "+573002220000", nil)
				find(tx, "email", "new@acme.com", nil)
				events, err := tx.LeadEvents(ctx, ana.ID)
				if err != nil || !reflect.DeepEqual(events, wantEvents) {
					t.Errorf("events %+v, %v; want %+v", events, err, wantEvents)
				}
				// Ana takes another phone: the old one now finds Bea, the
				// new one Ana, and Ana read again has her new name.
				l := find(tx, "email", "ana@acme.com", ana)
				l.Eval = ana.Eval
				l.Phone, l.Data.Person.FirstName, l.Encoded = "+573002220000", "Ana María", nil
				if err := tx.UpdateLead(ctx, l); err != nil {
					return err
				}
				find(tx, "phone", "+573001110000", bea)
				find(tx, "phone", "+573002220000", l)
				find(tx, "email", "ana@acme.com", l)
				find(tx, "external_id", "crm-2", bea)
				// A new lead with an address that found nobody is found.
				fresh := newLead("new@acme.com", "", "", 5)
				fresh.Data.Person.FirstName = "Nova"
				if err := tx.InsertLead(ctx, fresh); err != nil {
					return err
				}
				find(tx, "email", "new@acme.com", fresh)
				// Events added after the read are read again.
				if err := tx.InsertEvents(ctx, []store.Event{{LeadID: bea.ID, Event: lead.Event{Type: "page_view", At: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}}}); err != nil {
					return err
				}
				if events, err := tx.LeadEvents(ctx, bea.ID); err != nil || len(events) != 1 {
					t.Errorf("Bea's events after one was added: %+v, %v", events, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
