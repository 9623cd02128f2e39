package testenv

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// PostgresVar names the database the PostgreSQL half of the tests runs on.
const PostgresVar = "PISTA_TEST_POSTGRES_URL"

// PostgresExample is a value of PostgresVar for a local PostgreSQL (the
// one .ci/run starts).
const PostgresExample = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// InCI reports whether the tests run in continuous integration (CI set, as
// CI services do, to anything but false or 0), where a half of the tests
// that cannot run is a failure rather than a skip.
func InCI() bool {
	v := strings.ToLower(strings.TrimSpace(os.Getenv("CI")))
	return v != "" && v != "false" && v != "0"
}

// PostgresURL returns the PostgreSQL database for a test. Without one the
// test is skipped, saying how to run it; in CI it fails instead.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(PostgresVar)
	if u == "" {
		if InCI() {
			t.Fatalf("CI is set but %s is not: the PostgreSQL half of the tests must run in CI (e.g. %s=%s)", PostgresVar, PostgresVar, PostgresExample)
		}
		t.Skipf("%s is not set; to run the PostgreSQL half too: %s='%s' go test ./...", PostgresVar, PostgresVar, PostgresExample)
	}
	return u
}

// AnnouncePostgresSkip prints one line saying that the PostgreSQL half of
// pkg's tests is skipped and how to run it, when PostgresVar is not set.
// go test ./... hides what passing tests print, so the line goes to the
// terminal of the go command that started the test binary (its standard
// error, on Linux), where it is seen; elsewhere to this binary's own.
// A cached test run prints nothing: nothing ran.
func AnnouncePostgresSkip(pkg string) {
	if os.Getenv(PostgresVar) != "" || InCI() {
		return
	}
	line := fmt.Sprintf("%s: PostgreSQL half of the tests SKIPPED (%s is not set); run it with %s='%s' go test ./...\n",
		pkg, PostgresVar, PostgresVar, PostgresExample)
	// O_APPEND: when that standard error is a file, write at its end
	// instead of over what is there.
	if f, err := os.OpenFile(fmt.Sprintf("/proc/%d/fd/2", os.Getppid()), os.O_WRONLY|os.O_APPEND, 0); err == nil {
		defer f.Close()
		if _, err := f.WriteString(line); err == nil {
			return
		}
	}
	fmt.Fprint(os.Stderr, line)
}
