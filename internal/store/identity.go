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
	keys := make([]int64, 0, len(names))
	for _, n := range names {
		h := fnv.New64a()
		h.Write([]byte(n))
		keys = append(keys, int64(h.Sum64()))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	// unnest returns the keys in the array's order, and the aggregate takes
	// each lock as the row arrives.
	_, err := tx.tx.ExecContext(ctx, `SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::int8[]) AS k`, keys)
	return err
}

// inList runs fn with a condition that matches a column against values
// ("IN (?,?,?)" with the values on SQLite, "= ANY(?)" with one array on
// PostgreSQL, one statement text for any number of values), a hundred
// values at a time on SQLite.
func (tx *Tx) inList(values []string, fn func(cond string, args []any) error) error {
	if tx.db.dialect == Postgres {
		return fn(`= ANY(?::text[])`, []any{values})
	}
	return inChunks(values, func(chunk []string, ph string) error {
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
