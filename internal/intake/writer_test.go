package intake

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestWriterForgetsWrittenGroups: once a group is written and answered,
// the writers keep none of its inquiries in memory. Their slice of jobs
// is reused for the next group; when it kept the last group's jobs, a
// server's live heap under load doubled with the inquiries (leads,
// evaluations, answers) of groups long answered, and the collector's
// work with it (docs/PERFORMANCE.md, issue 18).
func TestWriterForgetsWrittenGroups(t *testing.T) {
	db := storetest.OpenSQLite(t)
	var written atomic.Int64
	group := func(_ context.Context, _ *store.Tx, subs []*submission, _ bool) error {
		written.Add(int64(len(subs)))
		return nil
	}
	alone := func(context.Context, *store.Tx, []*submission) error { return nil }
	w := newWriter(db, 64, 1, group, alone, func(context.Context, []*submission) {})
	defer w.close()

	var freed atomic.Int64
	submitGroup := func() {
		sub := &submission{}
		runtime.SetFinalizer(sub, func(*submission) { freed.Add(1) })
		if err := w.submit(context.Background(), []*submission{sub}); err != nil {
			t.Fatal(err)
		}
	}
	submitGroup()
	if written.Load() != 1 {
		t.Fatalf("%d inquiries written, want 1", written.Load())
	}
	// The writer now waits for the next group.
	deadline := time.Now().Add(5 * time.Second)
	for freed.Load() == 0 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if freed.Load() == 0 {
		t.Fatal("the writer still holds the inquiry of a group it answered")
	}
}
