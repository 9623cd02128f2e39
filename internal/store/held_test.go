package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestHeldUpdatesAndMerges: lead updates and merges that PostgreSQL holds
// until the transaction's next statement (and SQLite merges until its
// end) are read back by that statement, the last of two updates of a lead
// counts, a lead inserted and updated before any other statement gets its
// update, a merge has its ID before it is written, IDs reserved and not
// stay distinct, and a transaction that fails writes none of them.
func TestHeldUpdatesAndMerges(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			db := target.Open(t)
			old := newLead("old@acme.com", "", "", 10)
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, old) }); err != nil {
				t.Fatal(err)
			}
			var fresh *store.Lead
			var merges []*store.Merge
			err := db.InTx(ctx, func(tx *store.Tx) error {
				// A new lead held with the others, then updated.
				ids, err := tx.NextLeadIDs(ctx, 1)
				if err != nil {
					return err
				}
				fresh = newLead("new@acme.com", "", "", 20)
				fresh.ID = ids[0]
				if err := tx.InsertLeads(ctx, []*store.Lead{fresh}); err != nil {
					return err
				}
				fresh.Data.Person.FirstName, fresh.Encoded = "Nova", nil
				if err := tx.UpdateLead(ctx, fresh); err != nil {
					return err
				}
				// An old lead updated twice.
				l, err := tx.LeadToReevaluate(ctx, "email", "old@acme.com")
				if err != nil {
					return err
				}
				l.Eval = &engine.Result{Stage: "mql", Total: 30, Band: "B"}
				l.Data.Person.FirstName = "Una"
				if err := tx.UpdateLead(ctx, l); err != nil {
					return err
				}
				l.Eval, l.Encoded = &engine.Result{Stage: "sql", Total: 40, Band: "A"}, nil
				l.Data.Person.FirstName, l.Phone = "Dos", "+573004440000"
				if err := tx.UpdateLead(ctx, l); err != nil {
					return err
				}
				if err := tx.ReserveMergeIDs(ctx, 3); err != nil {
					return err
				}
				for _, kept := range []int64{old.ID, fresh.ID} {
					m := &store.Merge{KeptID: kept, MergedID: kept, At: at, Reason: "email", Data: json.RawMessage(`{"applied":true}`)}
					if err := tx.InsertMerge(ctx, m); err != nil {
						return err
					}
					if m.ID == 0 {
						t.Errorf("merge into %d has no ID", kept)
					}
					merges = append(merges, m)
				}
				// The third ID reserved, then a merge with none left (its ID
				// comes after the held ones, written first), then a second
				// reservation: every ID is new.
				for range 2 {
					m := &store.Merge{KeptID: old.ID, MergedID: old.ID, At: at, Reason: "email", Data: json.RawMessage(`{"applied":true}`)}
					if err := tx.InsertMerge(ctx, m); err != nil {
						return err
					}
					merges = append(merges, m)
				}
				if err := tx.ReserveMergeIDs(ctx, 2); err != nil {
					return err
				}
				m := &store.Merge{KeptID: old.ID, MergedID: old.ID, At: at, Reason: "email", Data: json.RawMessage(`{"applied":true}`)}
				if err := tx.InsertMerge(ctx, m); err != nil {
					return err
				}
				merges = append(merges, m)
				seen := map[int64]bool{}
				for _, m := range merges {
					if seen[m.ID] {
						t.Errorf("merge ID %d given twice", m.ID)
					}
					seen[m.ID] = true
				}
				// The next statement reads what was held.
				got, err := tx.LeadByPhone(ctx, "+573004440000")
				if err != nil || got.ID != old.ID || got.Data.Person.FirstName != "Dos" || got.Eval.Total != 40 {
					t.Errorf("the updated lead by its new phone: %+v, %v", got, err)
				}
				for _, m := range merges {
					got, err := tx.Merge(ctx, m.ID)
					if err != nil || got.KeptID != m.KeptID || got.Reason != "email" || !got.At.Equal(at) || string(got.Data) != `{"applied":true}` {
						t.Errorf("merge %d: %+v, %v", m.ID, got, err)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.Lead(ctx, fresh.ID)
			if err != nil || got.Data.Person.FirstName != "Nova" || got.Email != "new@acme.com" {
				t.Errorf("inserted then updated: %+v, %v", got, err)
			}
			got, err = db.Lead(ctx, old.ID)
			if err != nil || got.Data.Person.FirstName != "Dos" || got.Phone != "+573004440000" || got.Stage() != "sql" {
				t.Errorf("updated twice: %+v, %v", got, err)
			}
			// A failed transaction writes none of what it held.
			err = db.InTx(ctx, func(tx *store.Tx) error {
				l, err := tx.LeadByEmail(ctx, "old@acme.com")
				if err != nil {
					return err
				}
				l.Data.Person.FirstName, l.Encoded = "Tres", nil
				if err := tx.UpdateLead(ctx, l); err != nil {
					return err
				}
				if err := tx.ReserveMergeIDs(ctx, 1); err != nil {
					return err
				}
				if err := tx.InsertMerge(ctx, &store.Merge{KeptID: l.ID, MergedID: l.ID, At: at, Reason: "phone", Data: json.RawMessage(`{}`)}); err != nil {
					return err
				}
				return context.Canceled
			})
			if err != context.Canceled {
				t.Fatalf("failed transaction: %v", err)
			}
			err = db.InTx(ctx, func(tx *store.Tx) error {
				l, err := tx.Lead(ctx, old.ID)
				if err != nil || l.Data.Person.FirstName != "Dos" {
					t.Errorf("after a failed update: %+v, %v", l, err)
				}
				ms, err := tx.MergesOf(ctx, old.ID)
				if err != nil || len(ms) != 4 {
					t.Errorf("merges into the old lead after a failed one: %d, %v", len(ms), err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
