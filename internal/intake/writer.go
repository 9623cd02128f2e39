package intake

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/metrics"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// writer is group commit: writes from many requests share one transaction,
// so the database syncs to disk once for the whole group instead of once
// per request. Every caller is answered only after the commit.
//
// A write that fails with a *problem.Error (bad input, unknown lead) must
// fail before it writes anything: the others in its group go on without
// it. Any other error (the database's) fails the group's transaction; the
// group is then written again with each member in a savepoint of its own
// (see runJobs), so that only the member that fails is answered with the
// error and the others are stored.
type writer struct {
	metrics  *metrics.Metrics // group sizes and times; nil records nothing
	db       *store.Writer
	jobs     chan *job
	maxBatch int
	wg       sync.WaitGroup
	// deferred takes the inquiries a group left out because another
	// transaction held their people (see run); one goroutine writes them.
	deferred     chan *job
	deferredDone chan struct{}
	// group writes consecutive submissions together (Service.writeSubmissions);
	// alone writes them each in a savepoint (Service.writeEachAlone).
	group func(ctx context.Context, tx *store.Tx, subs []*submission, wait bool) error
	alone func(context.Context, *store.Tx, []*submission) error
	// before runs ahead of a group's transaction (Service.beforeGroup).
	before func(context.Context, []*submission)
}

type job struct {
	ctx  context.Context
	fn   func(context.Context, *store.Tx) error
	subs []*submission // instead of fn: inquiries, written as a group
	done chan error
	// queued is when the job entered the queue, for the wait metric.
	queued time.Time
}

// newWriter starts writers goroutines taking groups from one queue: one
// on SQLite, which has one writer at a time; on PostgreSQL several, so
// that one group's transaction is built and committed while another waits
// for the database's answer (groups lock what they share, see writeGroup).
func newWriter(db *store.DB, maxBatch, writers int, group func(context.Context, *store.Tx, []*submission, bool) error,
	alone func(context.Context, *store.Tx, []*submission) error, before func(context.Context, []*submission)) *writer {
	w := &writer{db: db.Writer(), jobs: make(chan *job, 4096), maxBatch: maxBatch, group: group, alone: alone, before: before,
		deferred: make(chan *job, 4096), deferredDone: make(chan struct{})}
	for range max(writers, 1) {
		w.wg.Add(1)
		go w.loop()
	}
	go w.deferredLoop()
	return w
}

func (w *writer) close() {
	close(w.jobs)
	w.wg.Wait()
	close(w.deferred)
	<-w.deferredDone
	w.db.Close()
}

// do runs fn in the next group and waits for its commit. fn gets a context
// that is not cancelled when the client goes away.
func (w *writer) do(ctx context.Context, fn func(context.Context, *store.Tx) error) error {
	return w.enqueue(&job{ctx: ctx, fn: fn, done: make(chan error, 1)})
}

// submit writes inquiries in the next group; their own outcomes, and
// errors that concern one of them only, are in the submissions.
func (w *writer) submit(ctx context.Context, subs []*submission) error {
	if len(subs) == 0 {
		return nil
	}
	return w.enqueue(&job{ctx: ctx, subs: subs, done: make(chan error, 1)})
}

func (w *writer) enqueue(j *job) error {
	ctx := j.ctx
	if w.metrics != nil {
		j.queued = time.Now()
	}
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
		// The next group reuses the slice: forget this one's jobs, whose
		// inquiries (leads, evaluations, answers) it would otherwise keep
		// in memory until a group as large overwrote them. Under load
		// that doubled the live heap, and the collector's work with it.
		clear(batch)
	}
}

func (w *writer) run(batch []*job) {
	start := time.Now()
	var subs []*submission
	for _, j := range batch {
		subs = append(subs, j.subs...)
	}
	if len(subs) > 0 {
		w.before(context.Background(), subs)
	}
	results := w.write(batch, false)
	if w.metrics != nil {
		// Before anyone is answered: who reads the metrics once answered
		// finds the group there.
		w.metrics.Group(members(batch), start.Sub(batch[0].queued), time.Since(start))
	}
	// Inquiries whose people another transaction was writing were left
	// out (see Service.writeGroup). The jobs without such inquiries are
	// answered now; the others once their left-out inquiries are written,
	// by deferredLoop, so that this writer goes on with the next group
	// instead of waiting for the other transactions.
	for i, j := range batch {
		var deferred []*submission
		for _, sub := range j.subs {
			if sub.deferred {
				deferred = append(deferred, sub)
			}
		}
		if results[i] == nil && len(deferred) > 0 {
			w.deferred <- &job{ctx: j.ctx, subs: deferred, done: j.done}
			continue
		}
		j.done <- results[i]
	}
}

// deferredLoop writes the inquiries groups left out, together, in
// transactions that wait for the people they name (Tx.LockIdentities in
// sorted order). A person many inquiries name at once (a test address)
// thus goes through here, one transaction after another, while the
// writers' groups go on without waiting for it.
func (w *writer) deferredLoop() {
	defer close(w.deferredDone)
	var batch []*job
	for first := range w.deferred {
		batch = append(batch[:0], first)
	collect:
		for len(batch) < w.maxBatch {
			select {
			case j, ok := <-w.deferred:
				if !ok {
					break collect
				}
				batch = append(batch, j)
			default:
				break collect
			}
		}
		for i, err := range w.write(batch, true) {
			batch[i].done <- err
		}
		clear(batch) // as in loop
	}
}

// write writes the jobs in one transaction and returns each one's
// outcome. If the transaction fails, they are written again each alone.
func (w *writer) write(batch []*job, wait bool) []error {
	results := make([]error, len(batch))
	err := w.db.InTx(context.Background(), func(tx *store.Tx) error { return w.runJobs(tx, batch, results, wait, false) })
	if err != nil && members(batch) > 1 {
		err = w.db.InTx(context.Background(), func(tx *store.Tx) error { return w.runJobs(tx, batch, results, true, true) })
	}
	if err != nil {
		for i := range results {
			results[i] = err
		}
	}
	return results
}

// members counts the writes in a group: each function, each submission.
func members(batch []*job) int {
	n := 0
	for _, j := range batch {
		n += max(len(j.subs), 1)
	}
	return n
}

// runJobs writes the group's jobs in tx; alone, each in a savepoint, a
// failure then being its job's or submission's own. Unless wait is set,
// submissions whose people are busy are deferred (Service.writeGroup).
func (w *writer) runJobs(tx *store.Tx, batch []*job, results []error, wait, alone bool) error {
	for i := 0; i < len(batch); i++ {
		j := batch[i]
		results[i] = nil
		if j.ctx.Err() != nil {
			results[i] = j.ctx.Err()
			continue
		}
		// Once started, a write does not depend on the client staying.
		ctx := context.WithoutCancel(j.ctx)
		if j.subs != nil {
			// Consecutive inquiries are written together. Those sent with
			// a token that stopped working are refused there (writeGroup):
			// their requests are answered ErrTokenRevoked.
			end := i
			for end < len(batch) && batch[end].subs != nil {
				end++
			}
			var subs []*submission
			for k := i; k < end; k++ {
				results[k] = batch[k].ctx.Err()
				if results[k] == nil {
					subs = append(subs, batch[k].subs...)
				}
			}
			write := w.group
			if alone {
				write = func(ctx context.Context, tx *store.Tx, subs []*submission, _ bool) error {
					return w.alone(ctx, tx, subs)
				}
			}
			if len(subs) > 0 {
				if err := write(ctx, tx, subs, wait); err != nil {
					return err
				}
			}
			for k := i; k < end; k++ {
				if results[k] == nil && refusedToken(batch[k]) {
					results[k] = ErrTokenRevoked
				}
			}
			i = end - 1
			continue
		}
		var err error
		if alone {
			err = tx.Savepoint(ctx, func() error { return j.fn(ctx, tx) })
			if store.IsConflict(err) || errors.Is(err, store.ErrTxBroken) {
				return err
			}
		} else {
			err = j.fn(ctx, tx)
			if _, isProblem := problem.As(err); err != nil && !isProblem {
				return err
			}
		}
		results[i] = err
	}
	return nil
}

// refusedToken says whether the job's inquiries were refused because the
// token they were sent with no longer works.
func refusedToken(j *job) bool {
	for _, sub := range j.subs {
		if errors.Is(sub.err, ErrTokenRevoked) {
			return true
		}
	}
	return false
}

// token is the ID of the API token the submission was sent with (0: none,
// or not an inquiry).
func (sub *submission) token() int64 {
	if sub.in == nil {
		return 0
	}
	return sub.in.Token
}
