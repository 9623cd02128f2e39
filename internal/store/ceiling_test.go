package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
)

// The storage ceiling writes what Pista writes of a new lead: a column
// InsertLeads starts writing must be written by the ceiling too (or named
// here as one it leaves out, with the reason in CeilingColumns' comment).
func TestCeilingWritesWhatInsertLeadsWrites(t *testing.T) {
	head := leadRows.head
	list := head[strings.IndexByte(head, '(')+1 : strings.LastIndexByte(head, ')')]
	var pista []string
	for _, c := range strings.Split(list, ",") {
		if c = strings.TrimSpace(c); c != "id" && c != "company_id" && c != "merged_into" {
			pista = append(pista, c)
		}
	}
	got, want := slices.Sorted(slices.Values(CeilingColumns)), slices.Sorted(slices.Values(pista))
	if !slices.Equal(got, want) {
		t.Errorf("the ceiling writes %v; InsertLeads writes %v", got, want)
	}
}

// The ceiling runs on a database opened and migrated as Pista's: the same
// leads table, indexes and pragmas. Rows read from one database go into
// another, sent again with fresh e-mails and external IDs once used.
func TestCeiling(t *testing.T) {
	ctx := context.Background()
	open := func() *DB { return migratedDB(t, filepath.Join(t.TempDir(), "pista.db")) }
	src, ceil := open(), open()
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	var leads []*Lead
	for i := range 3 {
		email := fmt.Sprintf("p%d@acme.example", i)
		leads = append(leads, &Lead{Email: email, ExternalID: fmt.Sprintf("crm-%d", i), CreatedAt: now, UpdatedAt: now,
			Data: lead.Lead{Person: lead.Person{Email: email, FirstName: "Ana"}}, Eval: &engine.Result{Stage: "mql", Total: 70, Band: "A"}})
	}
	err := src.InTx(ctx, func(tx *Tx) error {
		ids, err := tx.NextLeadIDs(ctx, len(leads))
		for i, l := range leads {
			l.ID = ids[i]
		}
		if err == nil {
			err = tx.InsertLeads(ctx, leads)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := src.CeilingRows(ctx, 10)
	if err != nil || rows.Leads != 3 {
		t.Fatalf("ceiling rows: %+v, %v", rows, err)
	}
	ceil.searchTail = 2 // the trigram index takes the new leads every other transaction
	run, err := ceil.Ceiling(ctx, rows, 2, 0, 7)
	if err != nil || run.Rows != 8 {
		t.Fatalf("ceiling: %+v, %v", run, err)
	}
	var n, emails int
	var eval string
	ceil.sql.QueryRow(`SELECT count(*), count(DISTINCT email), max(evaluation) FROM leads`).Scan(&n, &emails, &eval)
	evalJSON, err := storedJSON(eval)
	if n != 8 || emails != 8 || err != nil || !strings.Contains(string(evalJSON), `"band":"A"`) {
		t.Errorf("the ceiling stored %d leads, %d e-mails, evaluation %s (%v)", n, emails, evalJSON, err)
	}
	// Its leads entered the trigram index, as Pista's do.
	var indexed int
	ceil.sql.QueryRow(`SELECT count(*) FROM leads_search WHERE leads_search MATCH 'acme'`).Scan(&indexed)
	if indexed != 8 {
		t.Errorf("the trigram index holds %d of the ceiling's 8 leads", indexed)
	}

	// Same table and indexes as a migrated database, same pragmas.
	schema := func(db *DB) string {
		var out []string
		rows, err := db.sql.Query(`SELECT name, sql FROM sqlite_master WHERE tbl_name = 'leads' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var name, sql string
			rows.Scan(&name, &sql)
			out = append(out, name+": "+sql)
		}
		for _, p := range []string{"journal_mode", "synchronous", "cache_size", "wal_autocheckpoint", "foreign_keys", "page_size"} {
			var v string
			db.sql.QueryRow("PRAGMA " + p).Scan(&v)
			out = append(out, p+"="+v)
		}
		return strings.Join(out, "\n")
	}
	if a, b := schema(src), schema(ceil); a != b || !strings.Contains(a, "leads_phone") || !strings.Contains(a, "synchronous=2") {
		t.Errorf("the ceiling's leads table differs from Pista's:\n%s\n---\n%s", b, a)
	}
}
