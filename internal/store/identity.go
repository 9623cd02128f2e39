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
	_, err = tx.tx.ExecContext(ctx, tx.db.q(lockAllQuery), lockOrder(keys))
	return err
}

// lockAllQuery takes the advisory locks on its keys, waiting for each:
// unnest returns the keys in the array's order (see lockOrder), and the
// aggregate takes each lock as the row arrives.
const lockAllQuery = `SELECT count(pg_advisory_xact_lock(k)) FROM unnest(?::int8[]) AS k`

// tryLockQuery takes the advisory locks on its keys that no other
// transaction holds and returns the others.
const tryLockQuery = `SELECT k FROM unnest(?::int8[]) AS k WHERE NOT pg_try_advisory_xact_lock(k)`

// lockOrder sorts keys, without repeats, for lockAllQuery.
func lockOrder(keys []int64) []int64 {
	slices.Sort(keys)
	return slices.Compact(keys)
}

// busyNames are the names whose keys another transaction holds (taken);
// nil if none.
func busyNames(names []string, keys, taken []int64) map[string]bool {
	if len(taken) == 0 {
		return nil
	}
	busy := map[string]bool{}
	for i, k := range keys {
		if slices.Contains(taken, k) {
			busy[names[i]] = true
		}
	}
	return busy
}

// LockGroup takes a group's identity locks, as LockIdentities does if wait
// is set; if not, it takes those no other transaction holds, without
// waiting (so in any order), and returns the names whose lock another
// holds (busy). Then it reads which of the tokens still work, as
// ValidTokens does. On PostgreSQL the two go to the server together, one
// round trip instead of two; the tokens are read in a statement of their
// own, after the locks are held. SQLite takes no lock (see LockIdentities).
func (tx *Tx) LockGroup(ctx context.Context, names []string, tokens []int64, wait bool) (busy map[string]bool, valid map[int64]bool, err error) {
	if tx.db.dialect != Postgres {
		if len(tokens) > 0 {
			valid, err = tx.ValidTokens(ctx, tokens)
		}
		return nil, valid, err
	}
	var reads []pgRead
	if len(names) > 0 {
		keys, err := tx.lockKeys(ctx, names)
		if err != nil {
			return nil, nil, err
		}
		if wait {
			reads = append(reads, pgRead{lockAllQuery, []any{lockOrder(slices.Clone(keys))}, drain})
		} else {
			reads = append(reads, pgRead{tryLockQuery, []any{keys}, func(rows rowReader) error {
				taken, err := scanColumn[int64](rows)
				busy = busyNames(names, keys, taken)
				return err
			}})
		}
	}
	if len(tokens) > 0 {
		valid = map[int64]bool{}
		reads = append(reads, pgRead{validTokensQuery + `= ANY(?::int8[])`, []any{tokens}, func(rows rowReader) error {
			ids, err := scanColumn[int64](rows)
			for _, id := range ids {
				valid[id] = true
			}
			return err
		}})
	}
	return busy, valid, tx.pipeline(ctx, reads)
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
