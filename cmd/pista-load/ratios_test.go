package main

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake/intaketest"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// TestRatiosFlags: pista-load ratios names the flag it refuses.
func TestRatiosFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // "" for accepted
	}{
		{nil, ""},
		{[]string{"--only", "single, batch,import", "--runs", "5"}, ""},
		{[]string{"--only", "p99"}, "p99 needs single"},
		{[]string{"--only", "known"}, "known needs batch"},
		{[]string{"--only", "single,warp"}, "--only"},
		{[]string{"--runs", "0"}, "--runs"},
		{[]string{"--rows-per-tx", "0"}, "--rows-per-tx"},
		{[]string{"--batch-inquiries", "1001"}, "--batch-inquiries"},
		{[]string{"--duration", "0s"}, "--duration"},
		{[]string{"--db", "postgres://u@h/d", "--only", "batch,import"}, ""},
		{[]string{"--db", "pista.db"}, "--db"},
	} {
		_, err := parseRatios(tc.args, io.Discard)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.want != "" && (err == nil || !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: got %v, want a usage error naming %s", tc.args, err, tc.want)
		}
	}
}

// postBare posts body to url with the Authorization header token (none
// if empty) and returns the status.
func postBare(t *testing.T, url, token, body string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// The bare HTTP ceiling decodes what Pista decodes, as strictly.
func TestBareHTTP(t *testing.T) {
	srv := httptest.NewServer(bareHandler(nil))
	defer srv.Close()
	for _, tc := range []struct {
		path, token, body string
		want              int
	}{
		{"/api/v1/inquiries", "Bearer x", `{"person":{"email":"a@b.co"},"action":{"type":"price_request"}}`, 201},
		{"/api/v1/inquiries", "", `{"person":{"email":"a@b.co"}}`, 401},
		{"/api/v1/inquiries", "bearer x", `{"persona":{}}`, 422},
		{"/api/v1/inquiries", "Bearer x", `{"person":`, 422},
		{"/api/v1/inquiries/batch", "Bearer x", `{"inquiries":[{"person":{"email":"a@b.co"}}]}`, 201},
		{"/api/v1/inquiries/batch", "Bearer x", `{"inquiries":[{"company":{"nombre":"x"}}]}`, 422},
	} {
		if status := postBare(t, srv.URL+tc.path, tc.token, tc.body); status != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.path, tc.body, status, tc.want)
		}
	}
}

// Each ratio is Pista's figure over its ceiling's in the same run; the
// table gives the median of those, and leaves out figures not measured.
func TestRatioLines(t *testing.T) {
	c, err := parseRatios([]string{"--only", "single,batch,known"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m := func(perS, cpu float64) measure { return measure{PerS: perS, CPU: cpu} }
	runs := []ratioRun{
		{Single: m(100, 400), Bare: m(400, 100), Batch: m(300, 50), Storage: m(1000, 10), Known: m(150, 100), KnownIntegration: m(300, 50)},
		{Single: m(300, 400), Bare: m(600, 200), Batch: m(200, 50), Storage: m(1000, 20), Known: m(180, 80), KnownIntegration: m(100, 100)},
		{Single: m(100, 400), Bare: m(300, 300), Batch: m(400, 50), Storage: m(1000, 30), Known: m(300, 50), KnownIntegration: m(100, 200)},
	}
	lines := ratioLines(c, runs)
	// Each line by its figure's name; known people's two lines by their
	// whole names.
	want := map[string]float64{"single": 1.0 / 3, "batches of": 0.3, "batches, known people": 0.75, "batches, known people, integration token": 0.5}
	wantCPU := map[string]float64{"single": 0.5, "batches of": 0.4, "batches, known people": 0.625, "batches, known people, integration token": 0.5}
	if len(lines) != len(want) {
		t.Fatalf("%d lines: %+v", len(lines), lines)
	}
	for _, l := range lines {
		name := ""
		for prefix := range want {
			if strings.HasPrefix(l.Figure, prefix) && len(prefix) > len(name) {
				name = prefix
			}
		}
		if r := want[name]; name == "" || l.Ratio < r-1e-9 || l.Ratio > r+1e-9 {
			t.Errorf("%s: ratio %v, want %v (runs %v)", l.Figure, l.Ratio, r, l.Runs)
		}
		if r := wantCPU[name]; l.CPURatio < r-1e-9 || l.CPURatio > r+1e-9 {
			t.Errorf("%s: processor ratio %v, want %v (runs %v)", l.Figure, l.CPURatio, r, l.CPURuns)
		}
	}
	var out bytes.Buffer
	writeRatios(&out, c, runs, nil, "1.00", "2.00")
	if s := out.String(); !strings.Contains(s, "**0.33**") || !strings.Contains(s, "0.25 / 0.50 / 0.33") || !strings.Contains(s, "load average 1.00") {
		t.Errorf("table:\n%s", s)
	}
	out.Reset()
	writeRatios(&out, c, runs, &importRun{Rows: 1_000_000, Seconds: 51.04, PerS: 19_592, MaxRSSMB: 214.4}, "1.00", "2.00")
	if s := out.String(); !strings.Contains(s, "pista import of 1000000 rows into a new database, once: 51.0 s (19592 rows/s), at most 214 MB") {
		t.Errorf("the large import is not reported:\n%s", s)
	}

	// With the stored bound measured: its line against bare HTTP, and
	// Pista's against it, each saying what it is for.
	for i := range runs {
		runs[i].Stored = m(200, 200)
	}
	lines = ratioLines(c, runs)
	var bound, against *ratioLine
	for i := range lines {
		switch {
		case strings.HasPrefix(lines[i].Figure, "bound:"):
			bound = &lines[i]
		case lines[i].Against == "the bound above":
			against = &lines[i]
		}
	}
	switch {
	case bound == nil || against == nil:
		t.Fatalf("lines without the bound's two: %+v", lines)
	case bound.Ratio < 0.5-1e-9 || bound.Ratio > 0.5+1e-9 || bound.Target != 0 || bound.Remark == "":
		t.Errorf("the bound against bare HTTP (200/s against 400, 600, 300): %+v", *bound)
	case against.Ratio < 0.5-1e-9 || against.Ratio > 0.5+1e-9 || against.Remark == "":
		t.Errorf("Pista against the bound (100, 300, 100 /s against 200): %+v", *against)
	}
	out.Reset()
	writeRatios(&out, c, runs, nil, "1.00", "2.00")
	if s := out.String(); !strings.Contains(s, "(none: the most single POSTs can reach)") || !strings.Contains(s, "(none: Pista against the bound)") {
		t.Errorf("the bound's lines do not say what they are for:\n%s", s)
	}
}

// The PostgreSQL ceilings write what they say, in both ways: every row
// sent lands in the leads table, rows sent again are made unique, and a
// transaction longer than one INSERT statement is written whole.
func TestPGCeiling(t *testing.T) {
	if os.Getenv(testenv.PostgresVar) == "" && !testenv.InCI() {
		t.Skip(testenv.PostgresVar + " not set")
	}
	rows := make([][]any, 10)
	for i := range rows {
		row := make([]any, len(store.CeilingColumns))
		for col, name := range store.CeilingColumns {
			switch name {
			case "email":
				row[col] = fmt.Sprintf("p%d@empresa.example", i)
			case "data", "stage", "band", "action", "team", "quality", "country", "source_format", "owner", "search":
				row[col] = "x"
			case "score":
				row[col] = float64(i)
			case "created_at", "updated_at":
				row[col] = int64(1_700_000_000_000 + i)
			}
		}
		rows[i] = row
	}
	for _, tc := range []struct {
		way          pgWay
		perTx, total int
		want         int
	}{
		{pgCopy, 7, 30, 35},
		{pgInsert, 7, 30, 35},
		{pgInsert, 2500, 2500, 2500}, // three statements in one transaction
	} {
		dbURL := storetest.PostgresURL(t)
		db, err := store.Open(t.Context(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		db.Close()
		run, err := pgCeiling(t.Context(), dbURL, store.LeadsSet(rows), tc.way, tc.perTx, time.Minute, tc.total)
		if err != nil {
			t.Fatalf("%s, %d per transaction: %v", tc.way, tc.perTx, err)
		}
		set, err := ceilingRows(t.Context(), dbURL, false, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		stored := set.Tables[0].Rows
		emails := map[any]bool{}
		for _, r := range stored {
			emails[r[slices.Index(store.CeilingColumns, "email")]] = true
		}
		if run.Rows != tc.want || len(stored) != tc.want || len(emails) != tc.want {
			t.Errorf("%s, %d per transaction: reported %d rows, stored %d with %d e-mails; want %d", tc.way, tc.perTx, run.Rows, len(stored), len(emails), tc.want)
		}
	}
}

// PostgreSQL's ceilings of every row stored write, in both ways, each
// table's rows of the leads sent, moved to new IDs and keys when the leads
// run out.
func TestPGCeilingAllRows(t *testing.T) {
	if os.Getenv(testenv.PostgresVar) == "" && !testenv.InCI() {
		t.Skip(testenv.PostgresVar + " not set")
	}
	migrated := func() (string, *store.DB) {
		dbURL := storetest.PostgresURL(t)
		return dbURL, storetest.OpenAt(t, dbURL, 1)[0]
	}
	srcURL, src := migrated()
	intaketest.Batches(t, src, 2)
	set, err := ceilingRows(t.Context(), srcURL, true, 100)
	if err != nil || set.Leads != 12 || len(set.Tables) != 6 {
		t.Fatalf("set: %+v, %v", set, err)
	}
	for _, way := range []pgWay{pgCopy, pgInsert} {
		dbURL, _ := migrated()
		run, err := pgCeiling(t.Context(), dbURL, set, way, 5, time.Minute, 30)
		if err != nil {
			t.Fatalf("%s: %v", way, err)
		}
		conn, err := sql.Open("pgx", dbURL)
		if err != nil {
			t.Fatal(err)
		}
		others := 0
		for _, tb := range set.Tables {
			want := 2 * len(tb.Rows) // two passes, and the first 6 leads of a third
			for _, sp := range set.Spans(0, 6, 2) {
				if sp.Table == tb {
					want += len(sp.Rows)
				}
			}
			var got int
			if err := conn.QueryRow(`SELECT count(*) FROM ` + tb.Name).Scan(&got); err != nil || got != want {
				t.Errorf("%s: %s holds %d rows (%v), want %d", way, tb.Name, got, err, want)
			}
			if tb.Name != "leads" {
				others += want
			}
		}
		conn.Close()
		if run.Rows != 30 || run.Others != others {
			t.Errorf("%s: %d leads and %d other rows, want 30 and %d", way, run.Rows, run.Others, others)
		}
	}
}

// A child's peak memory is its own: not the parent's, which the child
// shared until it ran its program (what its rusage would give on Linux).
func TestWatchPeakMemoryIsTheChildsOwn(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	ballast := make([]byte, 256<<20)
	for i := range ballast {
		ballast[i] = 1 // resident
	}
	cmd := exec.Command("sleep", "0.3")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	peak := watchPeakMemory(cmd.Process.Pid)
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	got := peak()
	if got <= 0 || got > 64<<20 {
		t.Errorf("sleep's peak memory: %d bytes; want some, and less than 64 MB (this process holds %d MB)", got, len(ballast)>>20)
	}
	runtime.KeepAlive(ballast)
}
