package main

import (
	"database/sql"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

// TestBenchFlags: pista-load bench names the flag it refuses.
func TestBenchFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // "" for accepted
	}{
		{[]string{"--db", "postgres://u@h/d"}, ""},
		{[]string{"--db", "postgres://u@h/d", "--instances", "1, 2,4", "--gomaxprocs", "1", "--pin"}, ""},
		{[]string{"--db", "postgres://u@h/d", "--split-processors"}, ""},
		{[]string{"--db", "postgres://u@h/d", "--split-processors", "--gomaxprocs", "2"}, "--split-processors"},
		{[]string{"--db", "pista.db"}, "--db"},
		{[]string{"--db", "postgres://u@h/d", "--instances", "1,x"}, "--instances"},
		{[]string{"--db", "postgres://u@h/d", "--instances", "0"}, "--instances"},
		{[]string{"--db", "postgres://u@h/d", "--runs", "0"}, "--runs"},
		{[]string{"--db", "postgres://u@h/d", "--batch-inquiries", "1001"}, "--batch-inquiries"},
	} {
		c, err := parseBench(tc.args, io.Discard)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.want != "" && (err == nil || !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: got %v, want a usage error naming %s", tc.args, err, tc.want)
		case tc.want == "" && len(c.instances) == 0:
			t.Errorf("%v: no instances", tc.args)
		}
	}
}

// TestProcsOf: with --split-processors each of n instances gets its share
// of the processors, at least one; otherwise --gomaxprocs, 0 for Go's
// default.
func TestProcsOf(t *testing.T) {
	cpus := runtimeCPUs()
	split := &benchConfig{split: true}
	for n := 1; n <= 2*cpus+1; n++ {
		if got, want := split.procsOf(n), max(cpus/n, 1); got != want {
			t.Errorf("split, %d instances on %d processors: GOMAXPROCS %d, want %d", n, cpus, got, want)
		}
	}
	if got := split.procsOf(1); got != cpus {
		t.Errorf("split, one instance: GOMAXPROCS %d, want every processor (%d)", got, cpus)
	}
	if got := (&benchConfig{gomaxprocs: 3}).procsOf(2); got != 3 {
		t.Errorf("--gomaxprocs 3: GOMAXPROCS %d", got)
	}
	if got := (&benchConfig{}).procsOf(2); got != 0 {
		t.Errorf("default: GOMAXPROCS %d, want 0 (Go's own)", got)
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// A postgres process that ended since the snapshot (another session's
// backend) is left out instead of taking its processor time off the
// figure, which went below zero.
func TestPostgresCPUSince(t *testing.T) {
	gone := postgresCPU{1 << 30: 1e6} // no such process now
	if got := gone.since(); got < 0 {
		t.Errorf("since a snapshot of an ended process: %v s, want 0 or more", got)
	}
	if got := postgresNow().since(); got < 0 {
		t.Errorf("since now: %v s", got)
	}
}

// TestPostgresCPUCountsEndedBackends: the work of a backend whose
// connection closed before the figure is read (a pista import's, a
// ceiling's) counts, through the postmaster that waited for it. Left out,
// a PostgreSQL import's and ceiling's processor time missed their
// backends' work.
func TestPostgresCPUCountsEndedBackends(t *testing.T) {
	if os.Getenv(testenv.PostgresVar) == "" && !testenv.InCI() {
		t.Skip(testenv.PostgresVar + " not set")
	}
	dbURL := storetest.PostgresURL(t)
	if len(postgresNow()) == 0 {
		t.Fatal("no postgres process on this machine: pista-load measures a server on the same machine")
	}
	ctx := t.Context()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var pid int
	if err := db.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	before := postgresNow()
	if _, err := db.ExecContext(ctx, `SELECT count(*) FROM generate_series(1, 5000000)`); err != nil {
		t.Fatal(err)
	}
	used := procCPU(pid) - before[pid]
	if used < 0.05 {
		t.Fatalf("the backend used %.2f s: too little to tell", used)
	}
	db.Close() // the backend ends
	var got float64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err != nil {
			if got = before.since(); got >= used {
				break
			}
		}
	}
	if got < used {
		t.Errorf("postgres processes used %.2f s since the snapshot; the ended backend alone used %.2f s", got, used)
	}
}
