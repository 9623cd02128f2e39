package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestEnsureCompaniesRacing: two servers on one PostgreSQL database create
// overlapping new companies ahead of their groups at the same time, with
// domains repeated within a call: every domain is stored once, and both
// servers' groups then find the same ID for it.
func TestEnsureCompaniesRacing(t *testing.T) {
	ctx := context.Background()
	dbs := storetest.OpenServers(t, 2)
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	var all []string
	for i := range 60 {
		all = append(all, fmt.Sprintf("co%02d.example", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			var domains, names []string
			for i := w * 8; i < w*8+40; i++ { // overlapping windows, each domain twice
				d := all[i%len(all)]
				domains, names = append(domains, d, d), append(names, "Co "+d, "Co "+d)
			}
			errs <- dbs[w%2].EnsureCompanies(ctx, domains, names, make([]int64, len(domains)), now)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n, err := dbs[0].CountCompanies(ctx); err != nil || n != int64(len(all)) {
		t.Fatalf("%d companies (%v), want %d", n, err, len(all))
	}
	ids := make([]map[string]int64, 2)
	for i, db := range dbs {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			ids[i], err = tx.Companies(ctx, all, all, now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range all {
		if ids[0][d] == 0 || ids[0][d] != ids[1][d] {
			t.Errorf("%s: IDs %d and %d", d, ids[0][d], ids[1][d])
		}
	}
}
