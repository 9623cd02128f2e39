package store

import "context"

// ExecForTest runs a statement in the transaction, for tests that must put a
// database in a state no Pista function writes (a future schema version).
func (tx *Tx) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := tx.exec(ctx, query, args...)
	return err
}
