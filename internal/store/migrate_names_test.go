package store

import (
	"slices"
	"testing"
)

// TestMigrationsInStep: every migration exists for both databases under the
// same name, and no two share a number (the runner would skip the second).
func TestMigrationsInStep(t *testing.T) {
	names := map[Dialect][]string{}
	for _, d := range []Dialect{SQLite, Postgres} {
		list, err := (&DB{dialect: d}).Migrations()
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		for _, m := range list {
			names[d] = append(names[d], m.Name)
		}
	}
	if !slices.Equal(names[SQLite], names[Postgres]) {
		t.Errorf("migrations differ between databases:\nsqlite:   %v\npostgres: %v", names[SQLite], names[Postgres])
	}
}
