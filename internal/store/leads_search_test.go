package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"slices"
	"testing"

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
}

// TestSearchIndexMergesSixteenAtATime: migration 067 sets SQLite's
// trigram index to merge its segments 16 at a time (fewer copies of each
// inquiry's search text on a large import), a setting the index keeps.
func TestSearchIndexMergesSixteenAtATime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pista.db")
	openMigrated(t, path)
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v int
	if err := raw.QueryRow(`SELECT v FROM leads_search_config WHERE k = 'automerge'`).Scan(&v); err != nil || v != 16 {
		t.Fatalf("automerge %d (%v), want 16", v, err)
	}
}
