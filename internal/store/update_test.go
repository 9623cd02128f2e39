package store_test

import (
	"context"
	"testing"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestUpdateLead: an update writes what changed, the identity columns
// (e-mail, external ID) as well as the data, whether the lead was read or
// just inserted in the same transaction.
func TestUpdateLead(t *testing.T) {
	ctx := context.Background()
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			db := target.Open(t)
			l := newLead("", "+573009990000", "", 10)
			update := func(change func(*store.Lead)) *store.Lead {
				t.Helper()
				err := db.InTx(ctx, func(tx *store.Tx) error {
					if l.ID == 0 {
						if err := tx.InsertLead(ctx, l); err != nil {
							return err
						}
					} else {
						var err error
						if l, err = tx.LeadByPhone(ctx, l.Phone); err != nil {
							return err
						}
					}
					change(l)
					l.Encoded = nil
					return tx.UpdateLead(ctx, l)
				})
				if err != nil {
					t.Fatal(err)
				}
				got, err := db.Lead(ctx, l.ID)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			// Just inserted: a first e-mail is adopted in the same transaction.
			got := update(func(l *store.Lead) { l.Email = "rui@banco.pt" })
			if got.Email != "rui@banco.pt" || got.Phone != "+573009990000" {
				t.Errorf("after adopting an e-mail: %q %q", got.Email, got.Phone)
			}
			// Read: only the name changes.
			got = update(func(l *store.Lead) { l.Data.Person.FirstName = "Rui" })
			if got.Data.Person.FirstName != "Rui" || got.Email != "rui@banco.pt" {
				t.Errorf("after a new name: %q %q", got.Data.Person.FirstName, got.Email)
			}
			// Read: the external ID and company change.
			got = update(func(l *store.Lead) { l.ExternalID, l.Data.Person.LastName = "crm-9", "Costa" })
			if got.ExternalID != "crm-9" || got.Data.Person.LastName != "Costa" {
				t.Errorf("after a new external ID: %q %q", got.ExternalID, got.Data.Person.LastName)
			}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				found, err := tx.LeadByExternalID(ctx, "crm-9")
				if err == nil && found.ID != l.ID {
					t.Errorf("external ID finds lead %d, want %d", found.ID, l.ID)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestLeadToReevaluate: a lead read to be evaluated again comes with its
// data and what its columns keep of the evaluation, finds it by each key
// as the LeadBy functions do, and cannot be saved before it is evaluated
// again, which would lose the stored explanation.
func TestLeadToReevaluate(t *testing.T) {
	ctx := context.Background()
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			db := target.Open(t)
			l := newLead("eva@acme.com", "+573001110000", "crm-9", 42)
			l.Eval.Action, l.Eval.Team, l.Eval.Quality = "route", "latam", "ok"
			l.Eval.Explanation = []engine.Step{{Kind: "fit", Rule: "director", Points: 42}}
			l.HumanStage = "sal"
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, l) }); err != nil {
				t.Fatal(err)
			}
			for _, by := range []struct{ column, value string }{{"email", "eva@acme.com"}, {"phone", "+573001110000"}, {"external_id", "crm-9"}} {
				err := db.InTx(ctx, func(tx *store.Tx) error {
					got, err := tx.LeadToReevaluate(ctx, by.column, by.value)
					if err != nil {
						return err
					}
					if got.ID != l.ID || got.Data.Person.LastName != "Gómez_100%" || got.Eval == nil {
						t.Fatalf("by %s: %+v", by.column, got)
					}
					r := got.Eval
					if got.Stage() != l.Stage() || r.Band != "A" || r.Action != "route" || r.Team != "latam" || r.Quality != "ok" || r.Total != 42 || len(r.Explanation) != 0 {
						t.Errorf("by %s: stage %q, evaluation %+v", by.column, got.Stage(), r)
					}
					if err := tx.UpdateLead(ctx, got); err == nil {
						t.Errorf("by %s: saved without a new evaluation", by.column)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			// Evaluated again, it saves.
			err := db.InTx(ctx, func(tx *store.Tx) error {
				got, err := tx.LeadToReevaluate(ctx, "email", "eva@acme.com")
				if err != nil {
					return err
				}
				got.Eval = &engine.Result{Stage: "mql", Total: 50, Band: "B", Explanation: []engine.Step{{Kind: "fit", Rule: "again", Points: 50}}}
				got.Encoded = nil
				return tx.UpdateLead(ctx, got)
			})
			if err != nil {
				t.Fatal(err)
			}
			saved, err := db.Lead(ctx, l.ID)
			if err != nil || saved.Eval == nil || saved.Eval.Total != 50 || len(saved.Eval.Explanation) != 1 {
				t.Errorf("saved %+v, %v", saved, err)
			}
			err = db.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.LeadToReevaluate(ctx, "company", "acme")
				return err
			})
			if err == nil {
				t.Error("found a lead by an unknown column")
			}
		})
	}
}
