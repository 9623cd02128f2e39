package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// rowReader is what the readers of a statement's rows need, from
// database/sql's rows or from pgx's (see pipeline).
type rowReader interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// GroupReads are what a group of inquiries reads once its people are
// locked: the answers stored under its Idempotency-Keys, which of its
// identities belong to leads, and which of its e-mail addresses have
// anonymous events waiting.
type GroupReads struct {
	Keys                        map[int64][]string // Idempotency-Keys by token
	Emails, Phones, ExternalIDs []string           // asked to KnownIdentities
	Waiting                     []string           // asked to AnonymousEmails
}

// GroupFound are the answers to GroupReads.
type GroupFound struct {
	Stored    map[int64]map[string]*Idempotent // by token and key (IdempotentMany)
	Known     map[string]int64                 // KnownIdentities
	Anonymous map[string]bool                  // AnonymousEmails
}

// ReadGroup answers GroupReads as IdempotentMany for each token,
// KnownIdentities and AnonymousEmails would. On PostgreSQL the statements
// go to the server together and their rows come back together: one round
// trip instead of one per statement, each of which waits for the server
// and for the processor on a busy machine.
func (tx *Tx) ReadGroup(ctx context.Context, r GroupReads) (*GroupFound, error) {
	found := &GroupFound{Stored: map[int64]map[string]*Idempotent{}}
	tokens := slices.Sorted(maps.Keys(r.Keys))
	if tx.db.dialect != Postgres || tx.conn == nil {
		for _, token := range tokens {
			stored, err := tx.IdempotentMany(ctx, token, r.Keys[token])
			if err != nil {
				return nil, err
			}
			found.Stored[token] = stored
		}
		var err error
		if found.Known, err = tx.KnownIdentities(ctx, r.Emails, r.Phones, r.ExternalIDs); err != nil {
			return nil, err
		}
		found.Anonymous, err = tx.AnonymousEmails(ctx, r.Waiting)
		return found, err
	}
	var (
		reads []pgRead
		st    storedAnswers
	)
	for _, token := range tokens {
		out := map[string]*Idempotent{}
		found.Stored[token] = out
		var lookup []string
		for _, k := range r.Keys[token] {
			if v, ok := tx.idem[idemKey{token, k}]; ok {
				out[k] = v // stored earlier in this transaction
			} else {
				lookup = append(lookup, k)
			}
		}
		if len(lookup) > 0 {
			reads = append(reads, pgRead{storedAnswersQuery + `= ANY(?::text[])`, []any{token, lookup},
				func(rows rowReader) error { return st.scan(rows, out) }})
		}
	}
	found.Known = map[string]int64{}
	if len(r.Emails)+len(r.Phones)+len(r.ExternalIDs) > 0 {
		reads = append(reads, pgRead{knownIdentitiesPG, []any{r.Emails, r.Phones, r.ExternalIDs}, func(rows rowReader) error {
			return scanKnownIdentities(rows, found.Known, r.Emails, r.Phones, r.ExternalIDs)
		}})
	}
	found.Anonymous = map[string]bool{}
	if len(r.Waiting) > 0 {
		reads = append(reads, pgRead{anonymousEmailsPG, []any{r.Waiting}, func(rows rowReader) error {
			return scanAnonymous(rows, found.Anonymous)
		}})
	}
	if err := tx.pipeline(ctx, reads); err != nil {
		return nil, err
	}
	return found, tx.rebuildAnswers(ctx, st.compact, st.refs)
}

// pgRead is a query for pipeline, with `?` placeholders, and what reads
// its rows.
type pgRead struct {
	query string
	args  []any
	scan  func(rowReader) error
}

// pipeline sends the queries to PostgreSQL at once, in the transaction,
// and reads their rows in order: the server runs them one after the
// other, as if sent one by one, but the client waits once. The held new
// leads, lead updates and merges (see takePending) are written first, in
// the same round trip.
func (tx *Tx) pipeline(ctx context.Context, reads []pgRead) error {
	ms, values := tx.takePending()
	return tx.pipelineAfter(ctx, ms, values, reads)
}

// pipelineAfter is pipeline writing the rows ms and values, as insertAll
// does, ahead of the queries.
func (tx *Tx) pipelineAfter(ctx context.Context, ms []manyRows, values [][]any, reads []pgRead) error {
	if len(reads) == 0 {
		return tx.insertAll(ctx, ms, values)
	}
	prelude := tx.prelude
	tx.prelude = ""
	var held string
	var heldArgs []any
	if len(ms) > 0 {
		var err error
		if held, heldArgs, err = allRows(ms, values); err != nil {
			return err
		}
	}
	return tx.conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return errors.New("pipeline: not a pgx connection")
		}
		b := &pgx.Batch{}
		if prelude != "" {
			b.Queue(prelude)
		}
		if held != "" {
			b.Queue(held, heldArgs...)
		}
		for _, r := range reads {
			b.Queue(tx.db.q(r.query), r.args...)
		}
		res := c.Conn().SendBatch(ctx, b)
		if prelude != "" {
			if _, err := res.Exec(); err != nil {
				res.Close()
				return fmt.Errorf("%s: %w", prelude, err)
			}
		}
		if held != "" {
			if _, err := res.Exec(); err != nil {
				res.Close()
				return insertAllError(ms, err)
			}
		}
		for _, r := range reads {
			rows, err := res.Query()
			if err == nil {
				err = r.scan(rows)
				rows.Close()
			}
			if err != nil {
				res.Close()
				return err
			}
		}
		return res.Close()
	})
}

// execAfter writes held rows (see takePending) and runs an exec
// statement after them, its placeholders already PostgreSQL's, in one
// round trip (a pipeline) when the transaction has its own connection: a
// known person's lead is saved with the merges and updates held before
// it.
func (tx *Tx) execAfter(ctx context.Context, ms []manyRows, values [][]any, query string, args []any) (sql.Result, error) {
	if tx.conn == nil {
		if err := tx.insertAll(ctx, ms, values); err != nil {
			return nil, err
		}
		return tx.tx.ExecContext(ctx, query, args...)
	}
	var n int64
	err := tx.pipelineAfter(ctx, ms, values, []pgRead{{query, args, func(rows rowReader) error {
		err := drain(rows)
		if r, ok := rows.(pgx.Rows); ok {
			r.Close() // its command tag is known once closed
			n = r.CommandTag().RowsAffected()
		}
		return err
	}}})
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(n), nil
}
