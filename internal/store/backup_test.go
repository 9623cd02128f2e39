package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestBackupDuringWrites: a backup taken while leads keep arriving holds
// every lead whose transaction committed before the backup began, and the
// restored file is a database the server can open.
func TestBackupDuringWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := storetest.OpenSQLite(t)

	var acked sync.Map // lead ID → e-mail, recorded after commit
	var n atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				l := newLead(fmt.Sprintf("w%d-%d@acme.com", w, i), "", "", 10)
				if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, l) }); err != nil {
					t.Error(err)
					return
				}
				acked.Store(l.ID, l.Email)
				n.Add(1)
			}
		}()
	}
	for deadline := time.Now().Add(30 * time.Second); n.Load() < 200 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond) // let the writers get going
	}
	var before []int64
	acked.Range(func(k, _ any) bool { before = append(before, k.(int64)); return true })
	backup := filepath.Join(dir, "backup.db")
	err := db.Backup(ctx, backup)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() <= int64(len(before)) {
		t.Logf("no writes landed during the backup (%d before, %d in all)", len(before), n.Load())
	}

	restored := filepath.Join(dir, "restored.db")
	if err := store.Restore(ctx, backup, restored, false); err != nil {
		t.Fatal(err)
	}
	copyDB, err := store.Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if _, err := copyDB.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	missing := 0
	err = copyDB.InTx(ctx, func(tx *store.Tx) error {
		for _, id := range before {
			email, _ := acked.Load(id)
			l, err := tx.LeadByEmail(ctx, email.(string))
			if errors.Is(err, store.ErrNotFound) || (err == nil && l.ID != id) {
				missing++
				continue
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if missing > 0 || len(before) < 200 {
		t.Fatalf("%d of %d leads acknowledged before the backup are missing from it", missing, len(before))
	}

	if err := db.Backup(ctx, backup); err == nil {
		t.Error("a backup over an existing file was accepted")
	}
	if err := store.Restore(ctx, backup, restored, false); err == nil {
		t.Error("restore over an existing database without --replace was accepted")
	}
	if err := store.Restore(ctx, filepath.Join(dir, "nothing.db"), filepath.Join(dir, "x.db"), false); err == nil {
		t.Error("restore from a missing file was accepted")
	}
}

// TestNewerSchemaRefused: a database migrated by a newer Pista is refused by
// Migrate and MigrationStatus with a message that says what to do.
func TestNewerSchemaRefused(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			states, err := db.MigrationStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range states {
				if !s.Applied || s.AppliedAt.IsZero() {
					t.Errorf("%s is pending after Migrate", s.Name)
				}
			}
			newest := states[len(states)-1].Version + 1
			err = db.InTx(ctx, func(tx *store.Tx) error {
				return tx.ExecForTest(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, newest, "999_future.sql", 0)
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); !errors.Is(err, store.ErrNewerSchema) {
				t.Errorf("Migrate on a newer schema: %v", err)
			}
			if _, err := db.MigrationStatus(ctx); !errors.Is(err, store.ErrNewerSchema) {
				t.Errorf("MigrationStatus on a newer schema: %v", err)
			}
		})
	}
}
