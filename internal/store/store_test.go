package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// The store suite runs on SQLite and, with PISTA_TEST_POSTGRES_URL, on
// PostgreSQL: the same SQL must behave the same on both.

var t0 = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)

func newLead(email, phone, ext string, score float64) *store.Lead {
	return &store.Lead{Email: email, Phone: phone, ExternalID: ext, CreatedAt: t0, UpdatedAt: t0,
		Data: lead.Lead{Person: lead.Person{Email: email, FirstName: "Ana", LastName: "Gómez_100%"}},
		Eval: &engine.Result{Stage: "mql", Total: score, Band: "A"}}
}

func TestStore(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)

			t.Run("migrations are recorded and applied once", func(t *testing.T) {
				applied, err := db.Migrate(ctx)
				if err != nil || len(applied) != 0 {
					t.Errorf("second migrate applied %v, %v", applied, err)
				}
			})

			var first *store.Lead
			t.Run("insert and find by each key", func(t *testing.T) {
				first = newLead("ana@acme.com", "+573001234567", "crm-1", 50)
				err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, first) })
				if err != nil || first.ID == 0 {
					t.Fatalf("insert: %v id %d", err, first.ID)
				}
				err = db.InTx(ctx, func(tx *store.Tx) error {
					for _, find := range []func() (*store.Lead, error){
						func() (*store.Lead, error) { return tx.LeadByEmail(ctx, "ana@acme.com") },
						func() (*store.Lead, error) { return tx.LeadByPhone(ctx, "+573001234567") },
						func() (*store.Lead, error) { return tx.LeadByExternalID(ctx, "crm-1") },
					} {
						l, err := find()
						if err != nil || l.ID != first.ID || l.Eval == nil || l.Eval.Stage != "mql" {
							t.Errorf("find: %+v %v", l, err)
						}
					}
					if _, err := tx.LeadByEmail(ctx, "nobody@acme.com"); !errors.Is(err, store.ErrNotFound) {
						t.Errorf("missing lead: %v", err)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			})

			t.Run("a second lead with the same e-mail is a conflict", func(t *testing.T) {
				err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, newLead("ana@acme.com", "", "", 1)) })
				if !store.IsConflict(err) {
					t.Errorf("want a conflict, got %v", err)
				}
			})

			t.Run("reserved IDs and multi-row inserts", func(t *testing.T) {
				var ids []int64
				err := db.InTx(ctx, func(tx *store.Tx) error {
					var err error
					if ids, err = tx.NextLeadIDs(ctx, 3); err != nil {
						return err
					}
					// c shares ana's phone: the phone still names ana, the older.
					leads := []*store.Lead{newLead("b@acme.com", "", "", 10), newLead("c@acme.com", "+573001234567", "", 10), newLead("", "", "list#4", 70)}
					for i, l := range leads {
						l.ID = ids[i]
					}
					return tx.InsertLeads(ctx, leads)
				})
				if err != nil || len(ids) != 3 || ids[0] <= first.ID || ids[1] != ids[0]+1 && target.Name == "sqlite" {
					t.Fatalf("ids %v: %v", ids, err)
				}
				err = db.InTx(ctx, func(tx *store.Tx) error {
					known, err := tx.KnownIdentities(ctx, []string{"b@acme.com", "zz@acme.com"}, []string{"+573001234567"}, []string{"list#4", "list#5"})
					if err != nil {
						return err
					}
					if known["b@acme.com"] != ids[0] || known["zz@acme.com"] != 0 || known["+573001234567"] != first.ID || known["list#4"] != ids[2] || known["list#5"] != 0 {
						t.Errorf("known %v", known)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				// A single insert after reserved IDs does not collide with them.
				err = db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, newLead("d@acme.com", "", "", 30)) })
				if err != nil {
					t.Fatal(err)
				}
			})

			t.Run("list by priority, filters and cursor", func(t *testing.T) {
				all, err := db.ListLeads(ctx, store.ListFilter{Limit: 100})
				if err != nil || len(all) != 5 {
					t.Fatalf("%d leads, %v", len(all), err)
				}
				for i := 1; i < len(all); i++ {
					a, b := all[i-1], all[i]
					if a.Eval.Total < b.Eval.Total || a.Eval.Total == b.Eval.Total && a.ID < b.ID {
						t.Errorf("not in priority order at %d", i)
					}
				}
				var walked []int64
				var after *float64
				var afterID int64
				for range 10 {
					page, err := db.ListLeads(ctx, store.ListFilter{Limit: 2, AfterScore: after, AfterID: afterID})
					if err != nil {
						t.Fatal(err)
					}
					for _, l := range page {
						walked = append(walked, l.ID)
					}
					if len(page) < 2 {
						break
					}
					s := page[len(page)-1].Eval.Total
					after, afterID = &s, page[len(page)-1].ID
				}
				if len(walked) != 5 {
					t.Errorf("cursor walk %v", walked)
				}
				// As LIKE patterns "ó%z" and "g_mez" would match "gómez"; as text they do not.
				for _, q := range []string{"ó%z", "g_mez"} {
					if got, _ := db.ListLeads(ctx, store.ListFilter{Text: q}); len(got) != 0 {
						t.Errorf("%q matched %d leads as a pattern", q, len(got))
					}
				}
				if got, _ := db.ListLeads(ctx, store.ListFilter{Text: "gómez_100%"}); len(got) != 5 {
					t.Errorf("literal text matched %d", len(got))
				}
				min := 40.0
				if got, _ := db.ListLeads(ctx, store.ListFilter{MinScore: &min}); len(got) != 2 {
					t.Errorf("min_score matched %d", len(got))
				}
			})

			t.Run("idempotency answers, in the transaction and after", func(t *testing.T) {
				err := db.InTx(ctx, func(tx *store.Tx) error {
					if err := tx.PutIdempotent(ctx, 7, "k", &store.Idempotent{Fingerprint: "f", Status: 201, Body: []byte(`{"a":1}`), CreatedAt: t0}); err != nil {
						return err
					}
					r, err := tx.Idempotent(ctx, 7, "k") // not flushed yet
					if err != nil || r.Status != 201 {
						t.Errorf("pending answer: %+v %v", r, err)
					}
					if err := tx.PutIdempotent(ctx, 7, "k", &store.Idempotent{}); err == nil {
						t.Error("the same key twice in one transaction")
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				err = db.InTx(ctx, func(tx *store.Tx) error {
					many, err := tx.IdempotentMany(ctx, 7, []string{"k", "other"})
					if err != nil || len(many) != 1 || string(many["k"].Body) != `{"a":1}` {
						t.Errorf("stored answers %v %v", many, err)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				// ReadGroup answers as the three reads it stands for, and
				// sees a lead held earlier in its transaction (on PostgreSQL
				// written before the pipelined reads).
				err = db.InTx(ctx, func(tx *store.Tx) error {
					if err := tx.InsertEvents(ctx, []store.Event{{Email: "anon@acme.com", Event: lead.Event{Type: "page_view", At: t0}}}); err != nil {
						return err
					}
					ids, err := tx.NextLeadIDs(ctx, 1)
					if err != nil {
						return err
					}
					held := newLead("held@acme.com", "", "", 5)
					held.ID = ids[0]
					if err := tx.InsertLeads(ctx, []*store.Lead{held}); err != nil {
						return err
					}
					found, err := tx.ReadGroup(ctx, store.GroupReads{Keys: map[int64][]string{7: {"k", "other"}, 8: {"k"}},
						Emails: []string{"ana@acme.com", "held@acme.com", "new@acme.com"}, Phones: []string{"+573001234567"},
						ExternalIDs: []string{"crm-1", "crm-none"}, Waiting: []string{"anon@acme.com", "new@acme.com"}})
					if err != nil {
						return err
					}
					if len(found.Stored[7]) != 1 || string(found.Stored[7]["k"].Body) != `{"a":1}` || len(found.Stored[8]) != 0 {
						t.Errorf("stored answers %v", found.Stored)
					}
					k := found.Known
					if len(k) != 4 || k["ana@acme.com"] != first.ID || k["held@acme.com"] != held.ID || k["+573001234567"] != first.ID || k["crm-1"] != first.ID {
						t.Errorf("known %v (ana %d, held %d)", k, first.ID, held.ID)
					}
					if len(found.Anonymous) != 1 || !found.Anonymous["anon@acme.com"] {
						t.Errorf("anonymous %v", found.Anonymous)
					}
					return errors.New("roll back")
				})
				if err == nil || err.Error() != "roll back" {
					t.Fatal(err)
				}
				n, err := db.ExpireIdempotent(ctx, t0.Add(time.Hour))
				if err != nil || n != 1 {
					t.Errorf("expired %d, %v", n, err)
				}
			})

			t.Run("re-evaluation skips leads changed since they were read", func(t *testing.T) {
				err := db.InTx(ctx, func(tx *store.Tx) error {
					return tx.InsertEvents(ctx, []store.Event{{LeadID: first.ID, Event: lead.Event{Type: "page_view", At: t0}}})
				})
				if err != nil {
					t.Fatal(err)
				}
				rows, err := db.ReevalByID(ctx, []int64{first.ID})
				if err != nil || len(rows) != 1 || len(rows[0].Events) != 1 {
					t.Fatalf("read %+v %v", rows, err)
				}
				// New events arrive after the read: the save must not happen.
				err = db.InTx(ctx, func(tx *store.Tx) error { return tx.MarkNeedsEvalMany(ctx, []int64{first.ID}) })
				if err != nil {
					t.Fatal(err)
				}
				res := &engine.Result{Stage: "sql", Total: 99}
				body, _ := json.Marshal(res)
				var saved bool
				err = db.InTx(ctx, func(tx *store.Tx) error {
					var err error
					saved, err = tx.UpdateEvaluation(ctx, rows[0], res, body, 1, t0)
					return err
				})
				if err != nil || saved {
					t.Fatalf("saved a stale evaluation: %v %v", saved, err)
				}
				pending, _ := db.LeadsNeedingEval(ctx, 10)
				if len(pending) != 1 || pending[0] != first.ID {
					t.Errorf("pending %v", pending)
				}
				rows, _ = db.ReevalByID(ctx, pending)
				err = db.InTx(ctx, func(tx *store.Tx) error {
					var err error
					saved, err = tx.UpdateEvaluation(ctx, rows[0], res, body, 1, t0)
					return err
				})
				if err != nil || !saved {
					t.Fatalf("fresh evaluation not saved: %v %v", saved, err)
				}
				if pending, _ := db.LeadsNeedingEval(ctx, 10); len(pending) != 0 {
					t.Errorf("still pending %v", pending)
				}
				l, _ := db.Lead(ctx, first.ID)
				if l.Eval.Stage != "sql" {
					t.Errorf("stage %s", l.Eval.Stage)
				}
			})
		})
	}
}
