package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
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
		m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{sizeHints(c.PgConn().Frontend())}, m.TryWrapEncodePlanFuncs...)
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
// needed. The parameters are then copied into the connection's message
// buffer, which pgx shrinks to 1 KB after every message it sends: the
// hint grows that one too (see roomFor).
type sizeHint struct {
	value any
	size  int
}

// sizeHints is the pgx encode plan of a sizeHint on a connection whose
// messages are written by f (pgtype.TryWrapEncodePlanFunc): its value's,
// after making room.
func sizeHints(f *pgproto3.Frontend) pgtype.TryWrapEncodePlanFunc {
	return func(value any) (pgtype.WrappedEncodePlanNextSetter, any, bool) {
		if h, ok := value.(sizeHint); ok {
			return &sizeHintPlan{frontend: f}, h.value, true
		}
		return nil, nil, false
	}
}

type sizeHintPlan struct {
	next     pgtype.EncodePlan
	frontend *pgproto3.Frontend // nil: only the parameters' buffer is grown
}

func (p *sizeHintPlan) SetNext(next pgtype.EncodePlan) { p.next = next }

func (p *sizeHintPlan) Encode(value any, buf []byte) ([]byte, error) {
	h := value.(sizeHint)
	if cap(buf)-len(buf) < h.size {
		grown := make([]byte, len(buf), len(buf)+h.size)
		copy(grown, buf)
		buf = grown
	}
	if p.frontend != nil {
		p.frontend.Send(roomFor{h.size + 1024})
	}
	return p.next.Encode(h.value, buf)
}

// roomFor is a message of no bytes that grows the buffer it is written to,
// so that the statement's Bind message, which pgx writes into the same
// buffer after encoding its parameters, is copied into it once instead of
// into a buffer grown a quarter at a time: a group's statement allocated
// 4.7 times its size (TestRoomFor), 14 % of the CPU of a pista import on
// PostgreSQL with the garbage collection after it. Should pgx ever send
// the buffer between the two, the room is merely unused.
type roomFor struct{ bytes int }

func (roomFor) Frontend()                {}
func (roomFor) Decode(data []byte) error { return errors.New("roomFor is never read") }
func (r roomFor) Encode(dst []byte) ([]byte, error) {
	return slices.Grow(dst, r.bytes), nil
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
