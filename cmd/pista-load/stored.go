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
	ins  leadsInserter
	cur  *store.CeilingCursor
	jobs chan storedJob
	done chan struct{}
}

// leadsInserter writes a ceiling's rows in one durable transaction:
// store.CeilingInserter on SQLite, pgInserter on PostgreSQL.
type leadsInserter interface {
	Insert(ctx context.Context, parts [][]store.SetSpan, leads int) error
	Close()
}

type storedJob struct {
	n    int
	done chan error
}

// openStored opens the migrated database at into (a SQLite file or a
// PostgreSQL URL) and reads the leads of the Pista database at from,
// which the stored bound writes again: on SQLite as the storage ceiling
// does, on PostgreSQL as multi-row INSERTs, as Pista writes them there.
func openStored(ctx context.Context, into, from string) (*storedBound, error) {
	set, err := ceilingRows(ctx, from, false, 1_000_000)
	if err != nil {
		return nil, fmt.Errorf("--store-from: %w", err)
	}
	if set.Leads == 0 {
		return nil, fmt.Errorf("--store-from %s: no leads to store again", from)
	}
	var ins leadsInserter
	if store.IsPostgresURL(into) {
		ins, err = newPGInserter(ctx, into, pgInsert)
	} else {
		ins, err = newSQLiteInserter(ctx, into, set)
	}
	if err != nil {
		return nil, fmt.Errorf("--store: %w", err)
	}
	s := &storedBound{ins: ins, cur: set.Cursor(),
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
}

// sqliteInserter is store.CeilingInserter with its database.
type sqliteInserter struct {
	*store.CeilingInserter
	db *store.DB
}

func newSQLiteInserter(ctx context.Context, path string, set *store.CeilingSet) (*sqliteInserter, error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	return &sqliteInserter{db.CeilingInserter(set), db}, nil
}

func (s *sqliteInserter) Close() {
	s.CeilingInserter.Close()
	s.db.Close()
}
