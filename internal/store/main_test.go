package store_test

import (
	"os"
	"testing"

	"github.com/pistahq/pista/internal/testenv"
)

// TestMain says, in go test ./...'s output, when the PostgreSQL half of
// the store tests does not run (testenv.AnnouncePostgresSkip).
func TestMain(m *testing.M) {
	code := m.Run()
	testenv.AnnouncePostgresSkip("internal/store")
	os.Exit(code)
}
