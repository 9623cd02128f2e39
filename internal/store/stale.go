package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// A server learns that another activated a definition only when it next
// asks (every few seconds), and a group being written when the activation
// commits was evaluated with the definition before. The re-evaluation that
// follows an activation covers the leads committed before it; a lead
// committed after it with another definition, new or merged into, is
// flagged (needs_eval) in the transaction that stores it, which any
// server's background work then evaluates again. The flag is written with
// the lead, so a server stopped right after leaves no lead behind.

// leadDefinition is a lead a transaction stored and the definition its
// evaluation came from (0: none).
type leadDefinition struct{ lead, definition int64 }

// evaluatedWith notes that the transaction stored lead with an evaluation
// by definition def (see flagStale).
func (tx *Tx) evaluatedWith(lead, def int64) {
	tx.evaluated = append(tx.evaluated, leadDefinition{lead, def})
}

// definitionLock is the advisory lock that orders activations with the
// transactions storing evaluated leads on PostgreSQL: those take it shared
// to read the active definition and hold it until they commit; an
// activation takes it alone, so that it commits either before such a
// transaction reads (which then sees it) or after the transaction commits
// (whose leads the re-evaluation then reads). SQLite writes one
// transaction at a time and needs none.
const definitionLock = 7261748

// lockDefinitions takes definitionLock alone for an activation.
func (tx *Tx) lockDefinitions(ctx context.Context) error { return tx.lockAlone(ctx, definitionLock) }

// activeDefinitionQuery reads the active definition's ID from the index
// on activated_at alone (migration 073).
const activeDefinitionQuery = `SELECT id FROM definitions WHERE activated_at IS NOT NULL ORDER BY activated_at DESC, id DESC LIMIT 1`

// beforeCommit writes the rows the transaction still holds and then
// flags the live leads it stored with a definition other than the active
// one for evaluation again. On PostgreSQL the rows and the reading of the
// active definition go to the server in one round trip.
func (tx *Tx) beforeCommit(ctx context.Context) error {
	var active sql.NullInt64
	var reads []pgRead
	if len(tx.evaluated) > 0 && tx.db.dialect == Postgres && tx.conn != nil {
		reads = activeReads(&active)
	}
	if err := tx.flushWith(ctx, reads); err != nil {
		return err
	}
	if err := tx.indexNewLeads(ctx); err != nil {
		return err
	}
	if len(tx.evaluated) == 0 {
		return nil
	}
	if reads == nil {
		if err := tx.activeForCommit(ctx, &active); err != nil {
			return err
		}
	}
	return tx.flagStale(ctx, active.Int64)
}

// flagStale flags the live leads the transaction stored with a definition
// other than active (0: none) for evaluation again. (A lead merged away is
// not evaluated again: its flag would stay.)
func (tx *Tx) flagStale(ctx context.Context, active int64) error {
	if active == 0 {
		return nil
	}
	var stale []int64
	for _, e := range tx.evaluated {
		if e.definition != active {
			stale = append(stale, e.lead)
		}
	}
	tx.evaluated = nil
	return tx.inIDs(stale, func(cond string, args []any) error {
		res, err := tx.exec(ctx, `UPDATE leads SET needs_eval = needs_eval + 1 WHERE merged_into IS NULL AND id `+cond, args...)
		if err != nil {
			return fmt.Errorf("flag leads stored with a definition no longer active: %w", err)
		}
		n, err := res.RowsAffected()
		tx.staleLeads += n
		return err
	})
}

// activeReads read the active definition's ID into id on PostgreSQL,
// after taking definitionLock shared: in a statement of its own, whose
// snapshot is taken once the lock is held.
func activeReads(id *sql.NullInt64) []pgRead {
	return []pgRead{
		{`SELECT pg_advisory_xact_lock_shared(?)`, []any{int64(definitionLock)}, drain},
		{activeDefinitionQuery, nil, func(rows rowReader) error {
			for rows.Next() {
				if err := rows.Scan(id); err != nil {
					return err
				}
			}
			return rows.Err()
		}},
	}
}

// activeForCommit reads the active definition's ID into id, on
// PostgreSQL as activeReads do.
func (tx *Tx) activeForCommit(ctx context.Context, id *sql.NullInt64) error {
	if tx.db.dialect == Postgres {
		return tx.pipeline(ctx, activeReads(id))
	}
	err := tx.row(ctx, activeDefinitionQuery).Scan(id)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return err
}

// TakeStale reports how many leads this process stored with a definition
// that was no longer active when they committed, since it was last asked:
// a sign that another server activated one.
func (db *DB) TakeStale() int64 { return db.stale.Swap(0) }
