package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
)

// ErrTxBroken is returned by Savepoint when the transaction could not be
// rolled back to the savepoint: the transaction as a whole has failed.
var ErrTxBroken = errors.New("the transaction could not be rolled back to its savepoint")

// Savepoint runs fn within a savepoint of the transaction, with the rows
// it buffers written before the savepoint ends. If fn or those writes
// fail, everything fn did is undone, in the database and in the
// transaction's buffers, and the transaction goes on as if fn had never
// run: the error is fn's alone. Group commit uses it to write each member
// of a failed group alone (see intake's writeEachAlone).
func (tx *Tx) Savepoint(ctx context.Context, fn func() error) error {
	if err := tx.flush(ctx); err != nil {
		return err
	}
	idem, imported := maps.Clone(tx.idem), maps.Clone(tx.imported)
	companies, newCompanies := maps.Clone(tx.companyIDs), len(tx.newCompanies)
	evals, marks := maps.Clone(tx.evalWritten), maps.Clone(tx.marks)
	evaluated := len(tx.evaluated)
	if _, err := tx.tx.ExecContext(ctx, `SAVEPOINT member`); err != nil {
		return err
	}
	err := fn()
	if err == nil {
		err = tx.flush(ctx)
	}
	if err == nil {
		if _, err = tx.tx.ExecContext(ctx, `RELEASE SAVEPOINT member`); err == nil {
			return nil
		}
	}
	if _, rerr := tx.tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT member`); rerr != nil {
		return fmt.Errorf("%w: %v (after %v)", ErrTxBroken, rerr, err)
	}
	if _, rerr := tx.tx.ExecContext(ctx, `RELEASE SAVEPOINT member`); rerr != nil {
		return fmt.Errorf("%w: %v (after %v)", ErrTxBroken, rerr, err)
	}
	tx.dropPending()
	tx.timeline, tx.idemRows, tx.timers, tx.importedRows, tx.kept = nil, nil, nil, nil, nil
	tx.answered, tx.evalWritten, tx.marks, tx.unmark = nil, evals, marks, nil
	tx.evaluated = tx.evaluated[:evaluated]
	tx.idem, tx.imported = idem, imported
	tx.companyIDs, tx.newCompanies = companies, tx.newCompanies[:newCompanies]
	return err
}
