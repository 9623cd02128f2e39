package store

import (
	"context"
	"hash/fnv"
	"slices"
	"strings"
)

// LockIdentities makes the transaction the only one, among all servers on
// the database, working with these identities until it ends: e-mails,
// phones, external IDs and idempotency keys, each named by kind and value
// (e.g. "email:ana@example.com"). Two servers that receive the same new
// person at once would otherwise both find nobody and both insert; with
// the lock the second one waits, then finds the first one's lead and
// merges into it, as one server would have.
//
// On PostgreSQL they are transaction-level advisory locks on a 64-bit
// hash of each name, taken in one statement in ascending order: every
// transaction takes its locks in the same order, so two that want some of
// the same identities cannot each hold one the other waits for. A hash
// shared by two names only makes unrelated transactions wait for each
// other. SQLite has one writer at a time and needs no lock.
//
// Take them first in the transaction, before any row lock: a transaction
// that held rows while waiting for an identity could wait for one that
// holds the identity and waits for its rows.
func (tx *Tx) LockIdentities(ctx context.Context, names []string) error {
	if tx.db.dialect != Postgres || len(names) == 0 {
		return nil
	}
	keys, err := tx.lockKeys(ctx, names)
	if err != nil {
		return err
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	// unnest returns the keys in the array's order, and the aggregate takes
	// each lock as the row arrives.
	_, err = tx.tx.ExecContext(ctx, `SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::int8[]) AS k`, keys)
	return err
}

// TryLockIdentities is LockIdentities without waiting: it takes the locks
// no other transaction holds and returns the names whose lock another
// holds. It never waits, so the order it takes them in does not matter.
func (tx *Tx) TryLockIdentities(ctx context.Context, names []string) (busy map[string]bool, err error) {
	if tx.db.dialect != Postgres || len(names) == 0 {
		return nil, nil
	}
	keys, err := tx.lockKeys(ctx, names)
	if err != nil {
		return nil, err
	}
	taken, err := column[int64](tx.tx.QueryContext(ctx, `SELECT k FROM unnest($1::int8[]) AS k WHERE NOT pg_try_advisory_xact_lock(k)`, keys))
	if err != nil || len(taken) == 0 {
		return nil, err
	}
	busy = map[string]bool{}
	for i, k := range keys {
		if slices.Contains(taken, k) {
			busy[names[i]] = true
		}
	}
	return busy, nil
}

// lockKeys are the advisory lock keys of names: a 64-bit hash of each,
// within the schema the database works in, so that two Pista databases
// in schemas of one PostgreSQL database do not lock each other's people.
func (tx *Tx) lockKeys(ctx context.Context, names []string) ([]int64, error) {
	space, _ := tx.db.lockSpace.Load().(string)
	if space == "" {
		if err := tx.tx.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&space); err != nil {
			return nil, err
		}
		space += "\x00"
		tx.db.lockSpace.Store(space)
	}
	keys := make([]int64, len(names))
	for i, n := range names {
		h := fnv.New64a()
		h.Write([]byte(space))
		h.Write([]byte(n))
		keys[i] = int64(h.Sum64())
	}
	return keys, nil
}

// inList runs fn with a condition that matches a column against values
// ("IN (?,?,?)" with the values on SQLite, "= ANY(?)" with one array on
// PostgreSQL, one statement text for any number of values), a hundred
// values at a time on SQLite.
func (tx *Tx) inList(values []string, fn func(cond string, args []any) error) error {
	return inListOf(tx, values, "text", fn)
}

// inIDs is inList for IDs.
func (tx *Tx) inIDs(ids []int64, fn func(cond string, args []any) error) error {
	return inListOf(tx, ids, "int8", fn)
}

// inListOf is inList for values of a PostgreSQL type; no values, no
// statement.
func inListOf[T any](tx *Tx, values []T, pgType string, fn func(cond string, args []any) error) error {
	if len(values) == 0 {
		return nil
	}
	if tx.db.dialect == Postgres {
		return fn(`= ANY(?::`+pgType+`[])`, []any{values})
	}
	return inChunks(values, func(chunk []T, ph string) error {
		return fn(`IN (`+ph+`)`, anySlice(chunk))
	})
}

// IdentityName is how LockIdentities names an identity of a kind.
func IdentityName(kind, value string) string {
	var b strings.Builder
	b.WriteString(kind)
	b.WriteByte(':')
	b.WriteString(value)
	return b.String()
}
