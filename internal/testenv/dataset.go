package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Path returns the path of a dataset file such as
// "bank-marketing/bank-full.csv", looking in $PISTA_DATASETS first (.ci/run
// sets it), then beside the repository. It reports where it looked when
// the file is not there.
func Path(name string) (string, []string) {
	var dirs []string
	if d := os.Getenv("PISTA_DATASETS"); d != "" {
		dirs = append(dirs, d)
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		// internal/testenv → repository root → its parent's shared/datasets
		dirs = append(dirs, filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "datasets"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", dirs
}

// Require returns the path of a dataset file for a test, or skips the test
// with where it looked when the file is not there.
func Require(t testing.TB, name string) string {
	t.Helper()
	p, looked := Path(name)
	if p == "" {
		t.Skipf("%s not found in %v; set PISTA_DATASETS to the datasets folder", name, looked)
	}
	return p
}
