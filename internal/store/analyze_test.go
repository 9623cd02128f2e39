package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/testenv"
)

// TestAnalyzeAfterGrowth: on PostgreSQL, once a process has inserted
// 1,000 leads, the leads table's lookup columns and the timeline's lead_id
// are analyzed without waiting for autovacuum.
func TestAnalyzeAfterGrowth(t *testing.T) {
	ctx := context.Background()
	db := migratedDB(t, postgresURLForTest(t))
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	err := db.InTx(ctx, func(tx *Tx) error {
		ids, err := tx.NextLeadIDs(ctx, firstAnalyze)
		if err != nil {
			return err
		}
		leads := make([]*Lead, len(ids))
		for i, id := range ids {
			leads[i] = &Lead{ID: id, Email: fmt.Sprintf("p%d@acme.com", i), CreatedAt: now, UpdatedAt: now,
				Data: lead.Lead{Person: lead.Person{Email: fmt.Sprintf("p%d@acme.com", i)}}}
		}
		if err := tx.InsertLeads(ctx, leads); err != nil {
			return err
		}
		for _, l := range leads {
			tx.AddTimelineJSON(l.ID, now, "inquiry", []byte(`{}`))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.background.Wait()
	var analyzed bool
	if err := db.sql.QueryRowContext(ctx, `SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables
		WHERE relname = 'leads' AND schemaname = current_schema()`).Scan(&analyzed); err != nil {
		t.Fatal(err)
	}
	if !analyzed || db.nextAnalyze.Load() != 4*firstAnalyze {
		t.Errorf("analyzed %v, next at %d", analyzed, db.nextAnalyze.Load())
	}
	// The lookup columns have statistics, and the table's size is known.
	var columns []string
	rows, err := db.sql.QueryContext(ctx, `SELECT tablename || '.' || attname FROM pg_stats
		WHERE tablename IN ('leads', 'timeline') AND schemaname = current_schema() ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		columns = append(columns, c)
	}
	rows.Close()
	var tuples float64
	db.sql.QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'leads'::regclass`).Scan(&tuples)
	if fmt.Sprint(columns) != "[leads.email leads.external_id leads.merged_into leads.phone timeline.lead_id]" || tuples != firstAnalyze {
		t.Errorf("statistics for %v, %v rows; want the lookup columns and %d rows", columns, tuples, firstAnalyze)
	}
}

// TestAnalyzeAfterReportGrowth: a server that inserts no leads but fills
// report_leads (the refresher after a large pista import, whose process
// analyzed the table while it was empty) has it analyzed once it has
// inserted 1,000 report rows; rows it only updates do not count.
func TestAnalyzeAfterReportGrowth(t *testing.T) {
	ctx := context.Background()
	db := migratedDB(t, postgresURLForTest(t))
	if err := db.analyzeLookups(ctx); err != nil { // as the import's process left it
		t.Fatal(err)
	}
	reportTuples := func() float64 {
		var n float64
		if err := db.sql.QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'report_leads'::regclass`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := reportTuples(); n != 0 {
		t.Fatalf("report_leads analyzed empty: %v rows, want 0", n)
	}
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	save := func(from, to int) {
		var rows []*ReportLead
		for id := from; id < to; id++ {
			rows = append(rows, &ReportLead{LeadID: int64(id), InquiryAt: at, Source: "api", Score: float64(id % 100)})
		}
		if err := db.SaveReportLeads(ctx, rows, nil, 0, nil); err != nil {
			t.Fatal(err)
		}
		db.background.Wait()
	}
	save(1, firstAnalyze)
	save(1, firstAnalyze) // the same rows again: updated, not inserted
	if n := reportTuples(); n != 0 {
		t.Fatalf("analyzed after %d report rows inserted: %v rows", firstAnalyze-1, n)
	}
	save(firstAnalyze, firstAnalyze+1)
	if n := reportTuples(); n != firstAnalyze {
		t.Errorf("after %d report rows inserted, report_leads has statistics for %v rows; want %d", firstAnalyze, n, firstAnalyze)
	}
	if next := db.nextAnalyze.Load(); next != 4*firstAnalyze {
		t.Errorf("next analysis at %d, want %d", next, 4*firstAnalyze)
	}
}

// migratedDB opens the database at target with every migration applied,
// closed after the test.
func migratedDB(t *testing.T, target string) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// postgresURLForTest is storetest.PostgresURL for this package's own
// tests (storetest imports store): a fresh schema, dropped afterwards.
func postgresURLForTest(t *testing.T) string {
	base := testenv.PostgresURL(t)
	schema := fmt.Sprintf("t_analyze_%d", time.Now().UnixNano())
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
