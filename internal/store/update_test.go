package store_test

import (
	"context"
	"testing"

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
