package store

import "context"

// ExecForTest runs a statement in the transaction, for tests that must put a
// database in a state no Pista function writes (a future schema version).
func (tx *Tx) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := tx.exec(ctx, query, args...)
	return err
}

// StoredAnswerForTest is an answer's body as stored, and its evals.
func (db *DB) StoredAnswerForTest(ctx context.Context, tokenID int64, key string) (body []byte, evals string, err error) {
	var e *string
	err = db.sql.QueryRowContext(ctx, db.q(`SELECT body, evals FROM idempotency WHERE token_id = ? AND key = ?`), tokenID, key).Scan(&body, &e)
	if e != nil {
		evals = *e
	}
	return body, evals, err
}

// SetFTSCapForTest sets how many leads a text may match for SQLite's
// trigram index to answer a search (see textMatch).
func (db *DB) SetFTSCapForTest(n int) { db.ftsCap = n }

// SetSearchTailForTest sets how many new leads may wait outside SQLite's
// trigram index (searchTail); 0 indexes them at every commit.
func (db *DB) SetSearchTailForTest(n int) { db.searchTail = n }

// IntForTest reads one number in the transaction.
func (tx *Tx) IntForTest(ctx context.Context, query string, args ...any) (n int64, err error) {
	err = tx.row(ctx, query, args...).Scan(&n)
	return n, err
}

// IndexSearchTailForTest puts the leads waiting outside SQLite's trigram
// index into it now (see searchTail), as the next large enough write would.
func (db *DB) IndexSearchTailForTest(ctx context.Context) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.indexSearchTail(ctx, 0) })
}

// LeadColumnsForTest is a lead's data and evaluation columns as stored.
func (db *DB) LeadColumnsForTest(ctx context.Context, id int64) (data, eval string, err error) {
	err = db.sql.QueryRowContext(ctx, db.q(`SELECT data, evaluation FROM leads WHERE id = ?`), id).Scan(&data, &eval)
	return data, eval, err
}

// SearchInBackgroundForTest says whether RunSearchIndex keeps the trigram
// index (commits then leave it the new leads).
func (db *DB) SearchInBackgroundForTest() bool { return db.searchInBackground.Load() }

// DefinitionLock is the advisory lock that orders activations with the
// transactions storing evaluated leads (PostgreSQL).
const DefinitionLock = definitionLock
