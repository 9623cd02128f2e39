package store_test

import (
	"context"
	"testing"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// On PostgreSQL intake's group commits (Writer.InTx) plan each statement
// once (plan_cache_mode force_generic_plan), set with their first
// pipeline and for them alone: other transactions, and the writer's next
// one on the same connection before its first pipeline, plan as
// PostgreSQL chooses.
func TestWriterPlansOnce(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenPostgres(t)
	w := db.Writer()
	defer w.Close()
	mode := func(tx *store.Tx) string {
		t.Helper()
		generic, err := tx.IntForTest(ctx, `SELECT (current_setting('plan_cache_mode') = 'force_generic_plan')::int`)
		if err != nil {
			t.Fatal(err)
		}
		if generic == 1 {
			return "generic"
		}
		return "chosen"
	}
	lock := func(tx *store.Tx) {
		t.Helper()
		if _, _, err := tx.LockGroup(ctx, []string{"email:ana@acme.example"}, nil, false); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		in   func(context.Context, func(*store.Tx) error) error
		want string
	}{
		{"the writer's", w.InTx, "generic"},
		{"another", db.InTx, "chosen"},
		{"the writer's again", w.InTx, "generic"},
		{"another again", db.InTx, "chosen"},
	} {
		err := c.in(ctx, func(tx *store.Tx) error {
			if got := mode(tx); got != "chosen" {
				t.Errorf("%s transaction, before its first pipeline: plans %s", c.name, got)
			}
			lock(tx)
			if got := mode(tx); got != c.want {
				t.Errorf("%s transaction: plans %s, want %s", c.name, got, c.want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
