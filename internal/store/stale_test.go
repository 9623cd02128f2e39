package store_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// A transaction that stores a lead evaluated with a definition other than
// the active one, as it commits, flags the lead for evaluation again; one
// evaluated with the active definition is left alone.
func TestLeadsStoredWithAnInactiveDefinitionAreFlagged(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			older, active := addDefinition(t, db, "older"), addDefinition(t, db, "active")
			activate(t, db, older.ID, t0)
			activate(t, db, active.ID, t0.Add(time.Minute)) // the latest activation is the active one

			var ids []int64
			write := func(email string, def int64, rollBack bool) *store.Lead {
				l := newLead(email, "", "", 10)
				l.DefinitionID = def
				err := db.InTx(ctx, func(tx *store.Tx) error {
					if !rollBack {
						return tx.InsertLead(ctx, l)
					}
					err := tx.Savepoint(ctx, func() error {
						if err := tx.InsertLead(ctx, l); err != nil {
							return err
						}
						return context.Canceled // undone
					})
					if err != context.Canceled {
						t.Fatalf("savepoint: %v", err)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				return l
			}
			fresh := write("fresh@acme.com", active.ID, false)
			ids = append(ids, write("stale@acme.com", older.ID, false).ID)
			write("undone@acme.com", older.ID, true)

			// A lead merged away is not evaluated again, so not flagged.
			gone := newLead("gone@acme.com", "", "", 10)
			gone.DefinitionID, gone.MergedInto = older.ID, fresh.ID
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, gone) }); err != nil {
				t.Fatal(err)
			}

			// An update that keeps a lead's older evaluation flags it too.
			kept := write("kept@acme.com", active.ID, false)
			kept.DefinitionID = older.ID
			kept.UpdatedAt = kept.UpdatedAt.Add(time.Second)
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.UpdateLead(ctx, kept) }); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, kept.ID)

			flagged, err := db.LeadsNeedingEval(ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(flagged, ids) {
				t.Errorf("flagged %v; want the leads stored with definition %d, not the active %d: %v", flagged, older.ID, active.ID, ids)
			}
			if n := db.TakeStale(); n != 2 {
				t.Errorf("TakeStale = %d; want 2", n)
			}
			if n := db.TakeStale(); n != 0 {
				t.Errorf("TakeStale again = %d; want 0", n)
			}
		})
	}
}

// On PostgreSQL an activation waits for a transaction that read the active
// definition to flag its leads, until that commits: otherwise the
// re-evaluation following the activation could read such a lead before
// the transaction stored it with the definition before, unflagged.
func TestActivationWaitsForTransactionsCheckingTheActiveDefinition(t *testing.T) {
	url := storetest.PostgresURL(t)
	db := storetest.OpenAt(t, url, 1)[0]
	ctx := context.Background()
	def := addDefinition(t, db, "next")

	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	writer, err := raw.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Rollback()
	if _, err := writer.ExecContext(ctx, `SELECT pg_advisory_xact_lock_shared($1)`, int64(store.DefinitionLock)); err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() {
		done <- db.InTx(ctx, func(tx *store.Tx) error { return tx.ActivateDefinition(ctx, def.ID, t0, "test") })
	}()
	select {
	case err := <-done:
		t.Fatalf("the activation committed while a writer held the lock (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := writer.Commit(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the activation still waits after the writer committed")
	}
}

func addDefinition(t *testing.T, db *store.DB, name string) *store.Definition {
	t.Helper()
	d := &store.Definition{Name: name, Hash: name, Source: "name: " + name, CreatedAt: t0}
	if err := db.InTx(context.Background(), func(tx *store.Tx) error { return tx.InsertDefinition(context.Background(), d) }); err != nil {
		t.Fatal(err)
	}
	return d
}

func activate(t *testing.T, db *store.DB, id int64, at time.Time) {
	t.Helper()
	if err := db.InTx(context.Background(), func(tx *store.Tx) error { return tx.ActivateDefinition(context.Background(), id, at, "test") }); err != nil {
		t.Fatal(err)
	}
}
