package main

import (
	"context"
	"database/sql"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/intake/intaketest"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// The stored bound answers an inquiry only once its lead row is
// committed: a lead a Pista database stored, written again (made unique
// when the leads run out), one per inquiry; what it refuses it does not
// store. On SQLite and on PostgreSQL.
func TestStoredBound(t *testing.T) {
	type target struct {
		name   string
		driver string
		open   func(t *testing.T) (from, into string) // from with 6 leads, into migrated
	}
	targets := []target{{"sqlite", "sqlite", func(t *testing.T) (string, string) {
		dir := t.TempDir()
		from, into := filepath.Join(dir, "pista.db"), filepath.Join(dir, "bound.db")
		intaketest.Batches(t, storetest.OpenAt(t, from, 1)[0], 1)
		storetest.OpenAt(t, into, 1)
		return from, into
	}}}
	if os.Getenv(testenv.PostgresVar) != "" || testenv.InCI() {
		targets = append(targets, target{"postgres", "pgx", func(t *testing.T) (string, string) {
			from, into := storetest.PostgresURL(t), storetest.PostgresURL(t)
			intaketest.Batches(t, storetest.OpenAt(t, from, 1)[0], 1)
			storetest.OpenAt(t, into, 1)
			return from, into
		}})
	}
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			from, into := tg.open(t)
			testStoredBound(t, tg.driver, from, into)
		})
	}
}

func testStoredBound(t *testing.T, driver, from, into string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := openStored(ctx, into, from)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bareHandler(s.store))
	reader, err := sql.Open(driver, into)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	count := func() (leads, emails int) {
		t.Helper()
		if err := reader.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT email) FROM leads`).Scan(&leads, &emails); err != nil {
			t.Fatal(err)
		}
		return leads, emails
	}
	stored := 0
	for _, tc := range []struct {
		path, token, body string
		want, leads       int
	}{
		{"/api/v1/inquiries", "Bearer x", `{"person":{"email":"a@b.co"}}`, 201, 1},
		{"/api/v1/inquiries", "", `{"person":{"email":"a@b.co"}}`, 401, 0},
		{"/api/v1/inquiries", "Bearer x", `{"persona":{}}`, 422, 0},
		{"/api/v1/inquiries/batch", "Bearer x", `{"inquiries":[{"person":{"email":"a@b.co"}},{},{},{}]}`, 201, 4},
		{"/api/v1/inquiries/batch", "Bearer x", `{"inquiries":[]}`, 201, 0},
		{"/api/v1/inquiries", "Bearer x", `{"person":{"email":"c@b.co"}}`, 201, 1},
		{"/api/v1/inquiries", "Bearer x", `{"person":{"email":"d@b.co"}}`, 201, 1}, // the seventh: the leads sent again
	} {
		status := postBare(t, srv.URL+tc.path, tc.token, tc.body)
		stored += tc.leads
		// Answered means committed: the rows are there as the answer comes.
		if leads, emails := count(); status != tc.want || leads != stored || emails != stored {
			t.Errorf("%s %s: %d with %d leads (%d e-mails) stored, want %d with %d", tc.path, tc.body, status, leads, emails, tc.want, stored)
		}
	}
	srv.Close()
	cancel()
	s.close()
	if err := s.store(1); err == nil {
		t.Error("stored after close")
	}
}

// The stored bound needs leads to write again.
func TestStoredBoundNeedsLeads(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	from, into := filepath.Join(dir, "empty.db"), filepath.Join(dir, "bound.db")
	for _, p := range []string{from, into} {
		if err := migrateFile(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := openStored(ctx, into, from); err == nil || !strings.Contains(err.Error(), "no leads") {
		t.Errorf("got %v, want an error saying there are no leads", err)
	}
}
