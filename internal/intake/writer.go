package intake

import (
	"context"
	"sync"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// writer is group commit: writes from many requests share one transaction,
// so the database syncs to disk once for the whole group instead of once
// per request. Every caller is answered only after the commit.
//
// A write that fails with a *problem.Error (bad input, unknown lead) must
// fail before it writes anything: the others in its group go on without
// it. Any other error (the database's) fails the whole group.
type writer struct {
	db       *store.DB
	jobs     chan *job
	maxBatch int
	wg       sync.WaitGroup
}

type job struct {
	ctx  context.Context
	fn   func(context.Context, *store.Tx) error
	done chan error
}

func newWriter(db *store.DB, maxBatch int) *writer {
	w := &writer{db: db, jobs: make(chan *job, 4096), maxBatch: maxBatch}
	w.wg.Add(1)
	go w.loop()
	return w
}

func (w *writer) close() {
	close(w.jobs)
	w.wg.Wait()
}

// do runs fn in the next group and waits for its commit. fn gets a context
// that is not cancelled when the client goes away.
func (w *writer) do(ctx context.Context, fn func(context.Context, *store.Tx) error) error {
	j := &job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case w.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued the job will run; wait for the outcome even if the
	// client goes away, so that "not acknowledged" never hides a commit.
	return <-j.done
}

func (w *writer) loop() {
	defer w.wg.Done()
	batch := make([]*job, 0, w.maxBatch)
	for first := range w.jobs {
		batch = append(batch[:0], first)
	collect: // take whatever queued up while the last group committed
		for len(batch) < w.maxBatch {
			select {
			case j, ok := <-w.jobs:
				if !ok {
					break collect
				}
				batch = append(batch, j)
			default:
				break collect
			}
		}
		w.run(batch)
	}
}

func (w *writer) run(batch []*job) {
	results := make([]error, len(batch))
	err := w.db.InTx(context.Background(), func(tx *store.Tx) error {
		for i, j := range batch {
			results[i] = nil
			if j.ctx.Err() != nil {
				results[i] = j.ctx.Err()
				continue
			}
			// Once started, a write does not depend on the client staying.
			err := j.fn(context.WithoutCancel(j.ctx), tx)
			if _, isProblem := problem.As(err); err != nil && !isProblem {
				return err
			}
			results[i] = err
		}
		return nil
	})
	for i, j := range batch {
		if err != nil {
			j.done <- err
		} else {
			j.done <- results[i]
		}
	}
}
