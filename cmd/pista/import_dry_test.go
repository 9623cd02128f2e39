package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/testenv"
)

// bankSlice writes the header and the first n rows of a bank-marketing
// file to a CSV of the same name in a temporary folder: real rows, fewer
// of them.
func bankSlice(t *testing.T, name string, n int) string {
	t.Helper()
	src := testenv.Require(t, "bank-marketing/"+name)
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	sc := bufio.NewScanner(f)
	for i := 0; i <= n && sc.Scan(); i++ {
		b.WriteString(sc.Text() + "\n")
	}
	out := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestImportDryRunChangesNothing dry-runs a real list against existing
// databases: one with leads and an active definition, and one just
// migrated with no definition. The database file must be byte for byte
// what it was, no definition stored or activated (not even with
// --definition), and no write-ahead log left behind.
func TestImportDryRunChangesNothing(t *testing.T) {
	list := bankSlice(t, "bank-full.csv", 2000)
	dir := t.TempDir()
	mapping := "../../examples/imports/bank-marketing.yaml"

	withLeads := filepath.Join(dir, "leads.db")
	if code, _, errs := runCLI(t, "", "import", "--db", withLeads, "--mapping", mapping, "--quiet", list); code != 0 {
		t.Fatalf("import: exit %d %s", code, errs)
	}
	empty := filepath.Join(dir, "empty.db")
	if code, _, errs := runCLI(t, "", "migrate", "--db", empty); code != 0 {
		t.Fatalf("migrate: exit %d %s", code, errs)
	}
	for _, db := range []string{withLeads, empty} {
		t.Run(filepath.Base(db), func(t *testing.T) {
			before := fileHash(t, db)
			defsBefore := definitionRows(t, db)
			before = fileHash(t, db) // reading it must not change it either
			code, out, errs := runCLI(t, "", "import", "--db", db, "--dry-run", "--mapping", mapping,
				"--definition", "../../examples/definitions/bant-classic.yaml", list)
			if code != 0 {
				t.Fatalf("dry run: exit %d %s", code, errs)
			}
			if !strings.Contains(out, "Would import 2000 rows") {
				t.Fatalf("dry run output: %s", out)
			}
			if db == empty && !strings.Contains(errs, "not stored or activated") {
				t.Errorf("the dry run does not say the definition is only previewed: %s", errs)
			}
			if after := fileHash(t, db); after != before {
				t.Errorf("the dry run changed %s", db)
			}
			for _, extra := range []string{"-wal", "-shm", "-journal"} {
				if _, err := os.Stat(db + extra); err == nil {
					t.Errorf("%s%s left behind", db, extra)
				}
			}
			if got := definitionRows(t, db); got != defsBefore {
				t.Errorf("definitions before %q, after %q", defsBefore, got)
			}
		})
	}
}

// definitionRows lists the stored definitions and which is active.
func definitionRows(t *testing.T, path string) string {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	defs, err := db.Definitions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, d := range defs {
		b.WriteString(d.Name)
		if d.Active {
			b.WriteString("*")
		}
		b.WriteString(";")
	}
	return b.String()
}
