package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestPostgresURLSkipsOrFails runs a test that needs PostgreSQL in a child
// process without PISTA_TEST_POSTGRES_URL: on a developer's machine it is
// skipped, saying how to run it; with CI=true it fails.
func TestPostgresURLSkipsOrFails(t *testing.T) {
	if os.Getenv("PISTA_TESTENV_CHILD") == "1" {
		PostgresURL(t)
		t.Fatal("PostgresURL returned without a database")
	}
	for _, c := range []struct {
		ci       string
		fails    bool
		expected string
	}{
		{"", false, "--- SKIP"},
		{"false", false, "run the PostgreSQL half too: PISTA_TEST_POSTGRES_URL='postgres://"},
		{"true", true, "CI is set but PISTA_TEST_POSTGRES_URL is not"},
		{"1", true, "--- FAIL"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPostgresURLSkipsOrFails$", "-test.v")
		cmd.Env = append(withoutVars(os.Environ(), PostgresVar, "CI"), "PISTA_TESTENV_CHILD=1", "CI="+c.ci)
		out, err := cmd.CombinedOutput()
		if (err != nil) != c.fails || !strings.Contains(string(out), c.expected) {
			t.Errorf("CI=%q: err %v, want failure %v and %q in:\n%s", c.ci, err, c.fails, c.expected, out)
		}
	}
}

func withoutVars(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, n := range names {
			keep = keep && name != n
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}
