package testenv

import (
	"io"
	"log/slog"
	"os"
	"testing"
)

// Logger returns a logger for the services a test starts: silent, so that
// expected errors do not bury the test's own output, unless the test runs
// with -v.
func Logger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
