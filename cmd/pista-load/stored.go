package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/pistahq/pista/internal/store"
)

// storedGroup is the most leads one transaction of the stored bound
// writes, as Pista's intake writer takes at most that many inquiries.
const storedGroup = 1000

// storedBound writes leads rows for `pista-load bare-http --store`: requests
// queue their count of inquiries, and one goroutine writes whatever
// queued up while the last group committed, in one durable transaction,
// then answers every request of the group.
type storedBound struct {
	db   *store.DB
	ins  *store.CeilingInserter
	cur  *store.CeilingCursor
	jobs chan storedJob
	done chan struct{}
}

type storedJob struct {
	n    int
	done chan error
}

// openStored opens the migrated database at into and reads the leads of
// the Pista database at from, which the stored bound writes again.
func openStored(ctx context.Context, into, from string) (*storedBound, error) {
	set, err := ceilingRows(ctx, from, false, 1_000_000)
	if err != nil {
		return nil, fmt.Errorf("--store-from: %w", err)
	}
	if set.Leads == 0 {
		return nil, fmt.Errorf("--store-from %s: no leads to store again", from)
	}
	db, err := store.Open(ctx, into)
	if err != nil {
		return nil, fmt.Errorf("--store: %w", err)
	}
	s := &storedBound{db: db, ins: db.CeilingInserter(set), cur: set.Cursor(),
		jobs: make(chan storedJob, 4*storedGroup), done: make(chan struct{})}
	go s.write(ctx)
	return s, nil
}

// store queues n leads and returns once they are committed.
func (s *storedBound) store(n int) error {
	if n == 0 {
		return nil
	}
	j := storedJob{n: n, done: make(chan error, 1)}
	select {
	case s.jobs <- j:
	case <-s.done:
		return errors.New("stored: closed")
	}
	select {
	case err := <-j.done:
		return err
	case <-s.done:
		select {
		case err := <-j.done: // answered just before the writer stopped
			return err
		default:
			return errors.New("stored: closed")
		}
	}
}

func (s *storedBound) write(ctx context.Context) {
	defer close(s.done)
	var group []storedJob
	for {
		select {
		case first := <-s.jobs:
			group = append(group[:0], first)
		case <-ctx.Done():
			return
		}
		n := group[0].n
	collect:
		for n < storedGroup {
			select {
			case j := <-s.jobs:
				group = append(group, j)
				n += j.n
			default:
				break collect
			}
		}
		parts, _ := s.cur.Take(n)
		err := s.ins.Insert(ctx, parts, n)
		for _, j := range group {
			j.done <- err
		}
	}
}

// close stops writing (once the server's context is done) and closes the
// database.
func (s *storedBound) close() {
	<-s.done
	s.ins.Close()
	s.db.Close()
}
