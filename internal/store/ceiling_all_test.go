package store_test

import (
	"context"
	"testing"

	"github.com/pistahq/pista/internal/intake/intaketest"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// ceilingTables are the tables the ceiling of the same rows writes.
var ceilingTables = []string{"companies", "leads", "timeline", "timers", "answered_leads", "idempotency"}

// The ceiling of the same rows writes what intake wrote: the leads
// batches stored through the intake service, with their companies,
// timeline entries, timers, answered marks and idempotency records, and
// sent again (new IDs, e-mails, domains and keys) when the leads run out;
// every row it writes names a lead or company it wrote.
func TestCeilingRowsAll(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			src := target.Open(t)
			intaketest.Batches(t, src, 2)
			one := func(db *store.DB, query string) (n int64, err error) {
				err = db.InTx(ctx, func(tx *store.Tx) error {
					n, err = tx.IntForTest(ctx, query)
					return err
				})
				return n, err
			}
			count := func(db *store.DB, table string) int {
				t.Helper()
				n, err := one(db, `SELECT count(*) FROM `+table)
				if err != nil {
					t.Fatal(err)
				}
				return int(n)
			}
			set, err := src.CeilingRowsAll(ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			if set.Leads != 12 {
				t.Fatalf("the set holds %d leads, want 12", set.Leads)
			}
			have := map[string]*store.CeilingTable{}
			for _, tb := range set.Tables {
				have[tb.Name] = tb
			}
			for _, name := range ceilingTables {
				tb := have[name]
				if tb == nil || len(tb.Rows) == 0 || len(tb.Rows) != count(src, name) {
					t.Fatalf("the set's %s: %v; the database holds %d", name, tb, count(src, name))
				}
			}

			// 30 leads, 5 a transaction: two passes and half a pass.
			dst := target.Open(t)
			run, err := dst.Ceiling(ctx, set, 5, 0, 30)
			if err != nil {
				t.Fatal(err)
			}
			others := 0
			for _, name := range ceilingTables {
				part := 0 // rows of the third pass's first 6 leads
				for _, sp := range set.Spans(0, 6, 2) {
					if sp.Table.Name == name {
						part = len(sp.Rows)
					}
				}
				want := 2*len(have[name].Rows) + part
				if got := count(dst, name); got != want {
					t.Errorf("the ceiling wrote %d rows of %s, want %d", got, name, want)
				}
				if name != "leads" {
					others += want
				}
			}
			if run.Rows != 30 || run.Others != others {
				t.Errorf("run: %d leads, %d other rows; want 30 and %d", run.Rows, run.Others, others)
			}
			for _, q := range []string{
				`SELECT count(*) - count(DISTINCT email) FROM leads`,
				`SELECT count(*) - count(DISTINCT domain) FROM companies`,
				`SELECT count(*) FROM leads WHERE company_id IS NULL OR company_id NOT IN (SELECT id FROM companies)`,
				`SELECT count(*) FROM timeline WHERE lead_id NOT IN (SELECT id FROM leads)`,
				`SELECT count(*) FROM leads WHERE id NOT IN (SELECT lead_id FROM timeline)`, // each sent with its entries
				`SELECT count(*) FROM timers WHERE lead_id NOT IN (SELECT id FROM leads)`,
				`SELECT count(*) FROM answered_leads WHERE lead_id NOT IN (SELECT id FROM leads)`,
			} {
				if n, err := one(dst, q); err != nil || n != 0 {
					t.Errorf("%s: %d (%v), want 0", q, n, err)
				}
			}
		})
	}
}
