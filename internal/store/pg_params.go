package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// openPostgres opens a pool of pgx connections whose parameter encoding
// knows sizeHint (below).
func openPostgres(target string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(target)
	if err != nil {
		return nil, err
	}
	return stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(func(_ context.Context, c *pgx.Conn) error {
		m := c.TypeMap()
		m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{trySizeHint}, m.TryWrapEncodePlanFuncs...)
		return nil
	})), nil
}

// sizeHint is a statement's first parameter with the encoded size of all
// its parameters. pgx encodes a statement's parameters one after the other
// into one buffer, which it shrinks to 256 bytes after every statement;
// for a group's multi-row INSERT (hundreds of kilobytes of JSON in unnest
// arrays) the buffer then grew by a quarter at a time, each time copied:
// 17.6 % of all the bytes the server allocated during intake, and the
// garbage collection after them. The hint grows it once, to the size
// needed.
type sizeHint struct {
	value any
	size  int
}

// trySizeHint is the pgx encode plan of a sizeHint: its value's, after
// making room (pgtype.TryWrapEncodePlanFunc).
func trySizeHint(value any) (pgtype.WrappedEncodePlanNextSetter, any, bool) {
	if h, ok := value.(sizeHint); ok {
		return &sizeHintPlan{}, h.value, true
	}
	return nil, nil, false
}

type sizeHintPlan struct{ next pgtype.EncodePlan }

func (p *sizeHintPlan) SetNext(next pgtype.EncodePlan) { p.next = next }

func (p *sizeHintPlan) Encode(value any, buf []byte) ([]byte, error) {
	h := value.(sizeHint)
	if cap(buf)-len(buf) < h.size {
		grown := make([]byte, len(buf), len(buf)+h.size)
		copy(grown, buf)
		buf = grown
	}
	return p.next.Encode(h.value, buf)
}

// encodedSize is about how many bytes pgx writes for a column pgArray
// made, in PostgreSQL's binary array format: a header, then each
// element's length and bytes.
func encodedSize(col any) (int, error) {
	const header, perElement = 20, 4
	switch c := col.(type) {
	case []*int64:
		return header + len(c)*(perElement+8), nil
	case []*float64:
		return header + len(c)*(perElement+8), nil
	case []*string:
		n := header
		for _, s := range c {
			n += perElement
			if s != nil {
				n += len(*s)
			}
		}
		return n, nil
	case [][]byte:
		n := header
		for _, b := range c {
			n += perElement + len(b)
		}
		return n, nil
	}
	return 0, fmt.Errorf("no encoded size for %T", col)
}

// Warm opens n connections of a PostgreSQL pool at once, before the first
// requests, and keeps them idle in the pool, so that the first seconds of
// load after a start do not wait for connections to be set up one by one
// (see docs/PERFORMANCE.md). SQLite needs none. A connection that fails to
// open is left for later, and its error returned (joined with the
// others').
func (db *DB) Warm(ctx context.Context, n int) error {
	if db.dialect != Postgres || n <= 0 {
		return nil
	}
	conns := make([]*sql.Conn, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c, err := db.sql.Conn(ctx)
			if err == nil {
				err = c.PingContext(ctx)
			}
			conns[i], errs[i] = c, err
		})
	}
	wg.Wait()
	for _, c := range conns {
		if c != nil {
			c.Close() // back to the pool, open
		}
	}
	return errors.Join(errs...)
}
