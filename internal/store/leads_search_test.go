package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// TestSearchLeadsText: a search by text keeps the leads whose names,
// e-mail or company hold it, in any case, through the trigram index (and
// through the scan that a short or very common text takes), and follows
// the leads' changes: a renamed lead is found by its new name only, a
// deleted one no longer, on both databases.
func TestSearchLeadsText(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			if err := db.TextIndexProblem(); err != nil {
				t.Errorf("no trigram index: %v", err)
			}
			people := []struct{ first, last, email, company string }{
				{"José", "Mejía Ospina", "jose@sierramadre.com.co", "Manufacturas Sierra Madre S.A."},
				{"Ana", "Gómez", "ana@helixbio.com", "Helix Biosciences"},
				{"Laura", "Chen", "laura@helixbio.com", "Helix Biosciences"},
			}
			var ids []int64
			for i, p := range people {
				l := newLead(p.email, "", "", float64(10*i))
				l.Data.Person.FirstName, l.Data.Person.LastName, l.Data.Company.Name = p.first, p.last, p.company
				if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, l) }); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, l.ID)
			}
			check := func(text string, want ...int64) {
				t.Helper()
				for _, via := range []string{"list", "scoped list", "api"} {
					var got []*store.Lead
					var err error
					switch via {
					case "list":
						got, err = db.SearchLeads(ctx, store.LeadQuery{Text: text, Limit: 100})
					case "scoped list":
						// A limited scope (every lead is in team ""): on
						// PostgreSQL a rare text is matched as IDs.
						got, err = db.SearchLeads(ctx, store.LeadQuery{Text: text, Limit: 100, Scope: store.LeadScope{Limited: true, Whole: []string{""}}})
					default:
						got, err = db.ListLeads(ctx, store.ListFilter{Text: text, Limit: 100})
					}
					if err != nil {
						t.Fatal(err)
					}
					var found []int64
					for _, l := range got {
						found = append(found, l.ID)
					}
					slices.Sort(found)
					slices.Sort(want)
					if !slices.Equal(found, want) {
						t.Errorf("%s %q: %v, want %v", via, text, found, want)
					}
				}
			}
			jose, ana, laura := ids[0], ids[1], ids[2]
			// A cap of 1 sends every text some lead holds to the scan.
			for _, cap := range []int{5000, 1} {
				db.SetFTSCapForTest(cap)
				check("MEJÍA ospina", jose)
				check("sierramadre.com", jose)
				check("sierra madre s.a.", jose)
				check("helix biosciences", ana, laura)
				check("ía", jose)
				check("mejia")
				check(`"helix"`)
				check("zzz")
			}
			db.SetFTSCapForTest(5000)

			// Renamed: found by the new name, not the old one.
			err := db.InTx(ctx, func(tx *store.Tx) error {
				l, err := tx.Lead(ctx, ana)
				if err != nil {
					return err
				}
				l.Data.Person.LastName = "Pérez"
				return tx.UpdateLead(ctx, l)
			})
			if err != nil {
				t.Fatal(err)
			}
			check("ana pérez", ana)
			check("gómez")
			// Deleted: no longer found, the others still are.
			err = db.InTx(ctx, func(tx *store.Tx) error { return tx.ExecForTest(ctx, `DELETE FROM leads WHERE id = ?`, laura) })
			if err != nil {
				t.Fatal(err)
			}
			check("helix biosciences", ana)
			check("laura")
		})
	}
}

// TestSearchLeadsWithoutTrigrams: when Pista's database user may not
// create pg_trgm, migrating still succeeds, TextIndexProblem says why, and
// searches find what they found before, by reading every lead.
func TestSearchLeadsWithoutTrigrams(t *testing.T) {
	base := testenv.PostgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "pista_notrgm_" + hex.EncodeToString(b)
	// A database of its own, where the extension is not installed, and a
	// user who may not create it (no CREATE on the database).
	for _, q := range []string{`CREATE ROLE ` + name + ` LOGIN`, `CREATE DATABASE ` + name} {
		if _, err := admin.Exec(q); err != nil {
			t.Skipf("cannot make a database without pg_trgm (%s): %v", q, err)
		}
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		admin.Exec(`DROP ROLE IF EXISTS ` + name)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	other, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	_, err = other.Exec(`CREATE SCHEMA pista AUTHORIZATION ` + name)
	other.Close()
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(name)
	q := u.Query()
	q.Set("search_path", "pista")
	u.RawQuery = q.Encode()

	ctx := context.Background()
	db, err := store.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate without pg_trgm: %v", err)
	}
	if err := db.TextIndexProblem(); err == nil {
		t.Fatal("no problem reported without pg_trgm")
	} else {
		t.Log(err)
	}
	l := newLead("jose@sierramadre.com.co", "", "", 10)
	l.Data.Person.LastName = "Mejía"
	if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, l) }); err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]int{"MEJÍA": 1, "sierramadre": 1, "ía": 1, "zzz": 0} {
		got, err := db.SearchLeads(ctx, store.LeadQuery{Text: text})
		if err != nil || len(got) != want {
			t.Errorf("%q: %d leads, %v; want %d", text, len(got), err, want)
		}
	}
	// The background that moves the index's pending entries (pista
	// serve) finds no index: it stops, and logs nothing.
	done, stop := runSearchIndex(t, ctx, db)
	defer stop()
	time.Sleep(100 * time.Millisecond)
	l2 := newLead("ana@sierramadre.com.co", "", "", 10)
	if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, l2) }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Error("the background still runs 5 s after a lead was stored, with no index to keep")
	}
}

// runSearchIndex runs db.RunSearchIndex (as pista serve does) until stop,
// which waits for it to return and fails the test if it logged anything;
// done is closed once it returns.
func runSearchIndex(t *testing.T, ctx context.Context, db *store.DB) (done <-chan struct{}, stop func()) {
	var logged strings.Builder
	var logMu sync.Mutex
	ctx, cancel := context.WithCancel(ctx)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		db.RunSearchIndex(ctx, slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logged}, nil)))
	}()
	return finished, func() {
		t.Helper()
		cancel()
		<-finished
		logMu.Lock()
		defer logMu.Unlock()
		if logged.Len() > 0 {
			t.Errorf("the background logged: %s", logged.String())
		}
	}
}

// TestSearchIndexMergeSettings: SQLite's trigram index merges its
// segments sixteen at a time (migration 067) when asked (usermerge), no
// longer by itself in whichever transaction fills a level (automerge 0),
// and all at once only at 64 segments (crisismerge): migration 071. The
// settings are kept in the index's own configuration.
func TestSearchIndexMergeSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pista.db")
	openMigrated(t, path)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for k, want := range map[string]int{"automerge": 0, "usermerge": 16, "crisismerge": 64} {
		var v int
		if err := raw.QueryRow(`SELECT v FROM leads_search_config WHERE k = ?`, k).Scan(&v); err != nil || v != want {
			t.Errorf("%s %d (%v), want %d", k, v, err, want)
		}
	}
}

// TestSearchIndexKeptInBackground: while RunSearchIndex runs (pista
// serve), commits leave new leads outside SQLite's trigram index unless
// eight times the tail wait, and the background puts them in; each of its
// turns writes a segment, and once a level holds sixteen it merges them in
// steps. Without it, the commit that indexes merges the index itself. In
// both, searches find every lead all along and the index matches the
// leads exactly (FTS5's integrity check).
func TestSearchIndexKeptInBackground(t *testing.T) {
	for _, background := range []bool{true, false} {
		t.Run(fmt.Sprintf("background=%v", background), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			db := openMigrated(t, filepath.Join(t.TempDir(), "pista.db"))
			db.SetSearchTailForTest(2)
			var logged strings.Builder
			var logMu sync.Mutex
			done := make(chan struct{})
			start := func() {
				log := slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logged}, nil))
				go func() { defer close(done); db.RunSearchIndex(ctx, log) }()
				// Commits leave new leads to it from its start on.
				for !db.SearchInBackgroundForTest() {
					time.Sleep(time.Millisecond)
				}
			}
			if !background {
				close(done)
			}
			count := func(query string, args ...any) int64 {
				t.Helper()
				var n int64
				err := db.InTx(ctx, func(tx *store.Tx) error {
					var err error
					n, err = tx.IntForTest(ctx, query, args...)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			indexed := func() int64 { return count(`SELECT count(*) FROM leads_search WHERE leads_search MATCH 'cafetal'`) }
			segments := func() int64 { return count(`SELECT count(DISTINCT segid) FROM leads_search_idx`) }
			var ids []int64
			most := int64(0)
			for round := range 20 {
				if background && round == 1 {
					start()
				}
				err := db.InTx(ctx, func(tx *store.Tx) error {
					for k := range 3 {
						l := newLead(fmt.Sprintf("p%d.%d@cafetal.com.co", round, k), "", "", 1)
						l.Data.Person.LastName = fmt.Sprintf("Ospina%d", round)
						if err := tx.InsertLead(ctx, l); err != nil {
							return err
						}
						ids = append(ids, l.ID)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if !background {
					if n := indexed(); n != int64(len(ids)) {
						t.Fatalf("round %d: the commit left %d of %d leads in the index", round, n, len(ids))
					}
				} else {
					if round == 1 {
						// 3 wait: more than the tail, not more than 8 times it.
						if n := indexed(); n != 3 {
							t.Fatalf("the commit changed the index (%d leads in it, want round 0's 3); the background should have", n)
						}
					}
					deadline := time.Now().Add(10 * time.Second)
					for indexed() != int64(len(ids)) {
						if time.Now().After(deadline) {
							t.Fatalf("round %d: the background indexed %d of %d leads in 10 s", round, indexed(), len(ids))
						}
						time.Sleep(20 * time.Millisecond)
					}
				}
				checkSearch(t, db, fmt.Sprintf("ospina%d", round), ids[len(ids)-3:])
				most = max(most, segments())
			}
			if background {
				// Merged in steps once a level held sixteen segments; wait
				// for the last step.
				deadline := time.Now().Add(10 * time.Second)
				for segments() >= 16 && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond)
				}
			}
			if n := segments(); n >= 16 || most > 16 {
				t.Errorf("the index holds %d segments (at most %d on the way); sixteen of a level should have been merged", n, most)
			}
			if most < 2 {
				t.Errorf("at most %d segments: the test did not make the index merge", most)
			}
			checkSearch(t, db, "cafetal", ids)
			cancel()
			<-done
			err := db.InTx(context.Background(), func(tx *store.Tx) error {
				return tx.ExecForTest(context.Background(), `INSERT INTO leads_search (leads_search, rank) VALUES ('integrity-check', 1)`)
			})
			if err != nil {
				t.Errorf("the search index does not match the leads: %v", err)
			}
			logMu.Lock()
			defer logMu.Unlock()
			if logged.Len() > 0 {
				t.Errorf("the background logged: %s", logged.String())
			}
		})
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestNewLeadsEnterTheSearchIndexAtCommit: on SQLite a transaction's new
// leads enter the trigram index at its end, in one statement (migration
// 068), not row by row while it runs, and only once more than searchTail
// of them wait (tail 0: at every commit; the default: not for these few,
// which searches then read from the leads table). Leads inserted together,
// one renamed in the same transaction and one undone by a savepoint are
// found (or not) as if indexed row by row, on both databases, before and
// after the waiting leads enter the index, and SQLite's index then matches
// its content exactly (FTS5's integrity check). An older lead's rename
// still reaches the index from its trigger.
func TestNewLeadsEnterTheSearchIndexAtCommit(t *testing.T) {
	type setup struct {
		name   string
		target storetest.Target
		tail   int // -1: the default
	}
	var setups []setup
	for _, target := range storetest.Targets() {
		setups = append(setups, setup{target.Name, target, -1})
		if target.Name == "sqlite" {
			setups = append(setups, setup{"sqlite/tail-0", target, 0})
		}
	}
	for _, su := range setups {
		t.Run(su.name, func(t *testing.T) {
			ctx := context.Background()
			db := su.target.Open(t)
			if su.tail >= 0 {
				db.SetSearchTailForTest(su.tail)
			}
			sqlite := su.target.Name == "sqlite"
			old := newLead("old@helixbio.com", "", "", 5)
			old.Data.Person.LastName = "Quintero"
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, old) }); err != nil {
				t.Fatal(err)
			}
			var group []*store.Lead
			err := db.InTx(ctx, func(tx *store.Tx) error {
				ids, err := tx.NextLeadIDs(ctx, 3)
				if err != nil {
					return err
				}
				for i, last := range []string{"Zambrano", "Zuluaga", "Zapata"} {
					l := newLead(fmt.Sprintf("p%d@sierramadre.com.co", i), "", "", float64(10+i))
					l.ID, l.Data.Person.LastName = ids[i], last
					group = append(group, l)
				}
				if err := tx.InsertLeads(ctx, group); err != nil {
					return err
				}
				alone := newLead("alone@sierramadre.com.co", "", "", 20)
				alone.Data.Person.LastName = "Solano"
				if err := tx.InsertLead(ctx, alone); err != nil {
					return err
				}
				group = append(group, alone)
				// Renamed before its transaction ends: only the new name
				// is indexed.
				l, err := tx.Lead(ctx, group[1].ID)
				if err != nil {
					return err
				}
				l.Data.Person.LastName = "Uribe"
				if err := tx.UpdateLead(ctx, l); err != nil {
					return err
				}
				// Undone by its savepoint: never indexed.
				undone := tx.Savepoint(ctx, func() error {
					gone := newLead("gone@sierramadre.com.co", "", "", 30)
					gone.Data.Person.LastName = "Villamizar"
					if err := tx.InsertLead(ctx, gone); err != nil {
						return err
					}
					return errors.New("undo")
				})
				if undone == nil || undone.Error() != "undo" {
					return fmt.Errorf("savepoint: %v", undone)
				}
				if sqlite {
					// The transaction's new leads are not in the index yet.
					n, err := tx.IntForTest(ctx, `SELECT count(*) FROM leads_search WHERE leads_search MATCH 'sierramadre'`)
					if err != nil || n != 0 {
						return fmt.Errorf("%d new leads indexed before the commit (%v), want 0", n, err)
					}
				}
				// A renamed older lead is indexed by its trigger.
				o, err := tx.Lead(ctx, old.ID)
				if err != nil {
					return err
				}
				o.Data.Person.LastName = "Restrepo"
				return tx.UpdateLead(ctx, o)
			})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][]int64{
				"sierramadre": {group[0].ID, group[1].ID, group[2].ID, group[3].ID},
				"zambrano":    {group[0].ID},
				"uribe":       {group[1].ID},
				"zuluaga":     nil,
				"solano":      {group[3].ID},
				"villamizar":  nil,
				"restrepo":    {old.ID},
				"quintero":    nil,
			}
			for text, ids := range want {
				checkSearch(t, db, text, ids)
			}
			if sqlite {
				indexed := int64(4)
				if su.tail != 0 {
					indexed = 0 // they wait outside the index
				}
				checkIndexed(t, db, "sierramadre", indexed)
				if err := db.IndexSearchTailForTest(ctx); err != nil {
					t.Fatal(err)
				}
				checkIndexed(t, db, "sierramadre", 4)
				for text, ids := range want {
					checkSearch(t, db, text, ids)
				}
				err := db.InTx(ctx, func(tx *store.Tx) error {
					return tx.ExecForTest(ctx, `INSERT INTO leads_search (leads_search, rank) VALUES ('integrity-check', 1)`)
				})
				if err != nil {
					t.Errorf("the search index does not match the leads: %v", err)
				}
			}
		})
	}
}

// TestSearchIndexAfterMigration068: a database whose leads entered the
// trigram index from the insert trigger keeps finding them after 068;
// the index holds them (their renames reach it) and new leads join it.
func TestSearchIndexAfterMigration068(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pista.db")
	db := openMigrated(t, path)
	first := newLead("first@sierramadre.com.co", "", "", 1)
	first.Data.Person.LastName = "Arango"
	if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertLead(ctx, first) }); err != nil {
		t.Fatal(err)
	}
	// Before 068 every lead entered the index as it was inserted.
	if err := db.IndexSearchTailForTest(ctx); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// The database as before 068: triggers keep the index, row by row.
	for _, q := range []string{`DROP TABLE leads_search_upto`, `DROP TRIGGER leads_search_update`, `DROP TRIGGER leads_search_delete`,
		`CREATE TRIGGER leads_search_insert AFTER INSERT ON leads
		BEGIN INSERT INTO leads_search (rowid, search) VALUES (NEW.id, NEW.search); END`,
		`CREATE TRIGGER leads_search_update AFTER UPDATE OF search ON leads WHEN OLD.search IS NOT NEW.search
		BEGIN INSERT INTO leads_search (leads_search, rowid, search) VALUES ('delete', OLD.id, OLD.search); INSERT INTO leads_search (rowid, search) VALUES (NEW.id, NEW.search); END`,
		`CREATE TRIGGER leads_search_delete AFTER DELETE ON leads
		BEGIN INSERT INTO leads_search (leads_search, rowid, search) VALUES ('delete', OLD.id, OLD.search); END`,
		`INSERT INTO leads (data, stage, search, created_at, updated_at) VALUES ('{}', 'mql', 'bernal older', 1, 1)`,
		`DELETE FROM schema_migrations WHERE version = 68`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if applied, err := db.Migrate(ctx); err != nil || len(applied) != 1 {
		t.Fatalf("applied %v: %v", applied, err)
	}
	var older int64
	if err := raw.QueryRow(`SELECT id FROM leads WHERE search = 'bernal older'`).Scan(&older); err != nil {
		t.Fatal(err)
	}
	newer := newLead("newer@sierramadre.com.co", "", "", 2)
	newer.Data.Person.LastName = "Cárdenas"
	err = db.InTx(ctx, func(tx *store.Tx) error {
		l, err := tx.Lead(ctx, first.ID)
		if err != nil {
			return err
		}
		l.Data.Person.LastName = "Betancur"
		if err := tx.UpdateLead(ctx, l); err != nil {
			return err
		}
		return tx.InsertLead(ctx, newer)
	})
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string][]int64{"sierramadre": {first.ID, newer.ID}, "betancur": {first.ID}, "arango": nil,
		"bernal": {older}, "cárdenas": {newer.ID}} {
		checkSearch(t, db, text, want)
	}
	if err := db.IndexSearchTailForTest(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO leads_search (leads_search, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("the search index does not match the leads: %v", err)
	}
}

// checkSearch fails the test unless searching text finds the leads want
// (in ascending order; nil for none), in the web app's list (SearchLeads)
// and the API's (ListLeads).
func checkSearch(t *testing.T, db *store.DB, text string, want []int64) {
	t.Helper()
	searched, err := db.SearchLeads(context.Background(), store.LeadQuery{Text: text, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	listed, err := db.ListLeads(context.Background(), store.ListFilter{Text: text, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]*store.Lead{"SearchLeads": searched, "ListLeads": listed} {
		var ids []int64
		for _, l := range got {
			ids = append(ids, l.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, want) {
			t.Errorf("%s %q: %v, want %v", name, text, ids, want)
		}
	}
}

// checkIndexed fails the test unless SQLite's trigram index itself holds
// want leads matching text.
func checkIndexed(t *testing.T, db *store.DB, text string, want int64) {
	t.Helper()
	var n int64
	err := db.InTx(context.Background(), func(tx *store.Tx) error {
		var err error
		n, err = tx.IntForTest(context.Background(), `SELECT count(*) FROM leads_search WHERE leads_search MATCH ?`, text)
		return err
	})
	if err != nil || n != want {
		t.Errorf("the trigram index holds %d leads matching %q (%v), want %d", n, text, err, want)
	}
}

// TestSearchTailEntersTheIndex: on SQLite the newest leads wait outside
// the trigram index until more than searchTail of them do; then the
// commit that makes them too many puts them all in, with the text they
// have by then. Searches find every lead all along, and a waiting lead's
// rename is found under its new name only.
func TestSearchTailEntersTheIndex(t *testing.T) {
	ctx := context.Background()
	db := openMigrated(t, filepath.Join(t.TempDir(), "pista.db"))
	db.SetSearchTailForTest(3)
	people := 0 // e-mails that do not hold the names
	insert := func(names ...string) []int64 {
		t.Helper()
		var ids []int64
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for _, name := range names {
				people++
				l := newLead(fmt.Sprintf("p%d@cafetal.com.co", people), "", "", 1)
				l.Data.Person.LastName = name
				if err := tx.InsertLead(ctx, l); err != nil {
					return err
				}
				ids = append(ids, l.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	first := insert("Ospina", "Gaviria")
	checkIndexed(t, db, "cafetal", 0)
	err := db.InTx(ctx, func(tx *store.Tx) error {
		l, err := tx.Lead(ctx, first[1])
		if err != nil {
			return err
		}
		l.Data.Person.LastName = "Echeverri"
		return tx.UpdateLead(ctx, l)
	})
	if err != nil {
		t.Fatal(err)
	}
	third := insert("Londoño")
	checkIndexed(t, db, "cafetal", 0) // 3 wait: not more than the tail
	checkSearch(t, db, "cafetal", append(first, third...))
	checkSearch(t, db, "echeverri", first[1:])
	checkSearch(t, db, "gaviria", nil)
	fourth := insert("Mejía")
	checkIndexed(t, db, "cafetal", 4) // 4 wait: all enter
	checkIndexed(t, db, "echeverri", 1)
	checkIndexed(t, db, "gaviria", 0)
	all := append(append(first, third...), fourth...)
	checkSearch(t, db, "cafetal", all)
	checkSearch(t, db, "mejía", fourth)
	fifth := insert("Restrepo")
	checkIndexed(t, db, "cafetal", 4)
	checkSearch(t, db, "cafetal", append(all, fifth...))
	if err := db.IndexSearchTailForTest(ctx); err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		return tx.ExecForTest(ctx, `INSERT INTO leads_search (leads_search, rank) VALUES ('integrity-check', 1)`)
	})
	if err != nil {
		t.Errorf("the search index does not match the leads: %v", err)
	}
}

// TestSearchPendingMovedInBackground: on PostgreSQL, new leads' trigram
// entries wait in the GIN index's pending list; while RunSearchIndex runs
// (pista serve) it moves them into the index soon after they commit, so
// that no insert has to move a full list while its requests wait.
func TestSearchPendingMovedInBackground(t *testing.T) {
	ctx := context.Background()
	db := storetest.OpenPostgres(t)
	n := 0
	insert := func() {
		t.Helper()
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for range 300 {
				n++
				l := newLead(fmt.Sprintf("p%d@sierramadre.com.co", n), "", "", 1)
				l.Data.Person.LastName = fmt.Sprintf("Zambrano%d", n)
				if err := tx.InsertLead(ctx, l); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Pages the list held, moved now.
	pending := func() int64 {
		t.Helper()
		var pages int64
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			pages, err = tx.IntForTest(ctx, `SELECT gin_clean_pending_list('leads_search_trgm'::regclass)`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return pages
	}
	insert()
	if p := pending(); p == 0 {
		t.Fatal("300 new leads left nothing in the pending list: the test shows nothing")
	}
	_, stop := runSearchIndex(t, ctx, db)
	insert()
	time.Sleep(2 * time.Second) // four turns of the background
	if p := pending(); p != 0 {
		t.Errorf("%d pages still pending 2 s after the commit; the background should have moved them", p)
	}
	checkSearch(t, db, "zambrano600", []int64{int64(n)})
	stop()
}
