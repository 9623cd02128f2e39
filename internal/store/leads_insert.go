package store

import (
	"context"
	"database/sql"
	"fmt"
)

// NextLeadIDs reserves IDs for n new leads, for InsertLeads. SQLite has
// one writer at a time, so the next IDs follow the highest; PostgreSQL
// takes them from the leads' identity sequence, safe with several servers.
func (tx *Tx) NextLeadIDs(ctx context.Context, n int) ([]int64, error) {
	if n == 0 {
		return []int64{}, nil
	}
	if tx.db.dialect == Postgres {
		return tx.nextIDs(ctx, "leads", n)
	}
	var last sql.NullInt64
	if err := tx.row(ctx, `SELECT max(id) FROM leads`).Scan(&last); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, n)
	for i := range n {
		ids = append(ids, last.Int64+1+int64(i))
	}
	return ids, nil
}

// nextIDs takes n IDs from a PostgreSQL table's identity sequence. The
// sequence's name is looked up once: pg_get_serial_sequence in the query
// ran once per ID, 2.5 µs each against 0.6 for nextval itself.
func (tx *Tx) nextIDs(ctx context.Context, table string, n int) ([]int64, error) {
	seq, ok := tx.db.sequences.Load(table)
	if !ok {
		var name string
		if err := tx.row(ctx, `SELECT pg_get_serial_sequence(?, 'id')`, table).Scan(&name); err != nil {
			return nil, fmt.Errorf("the sequence of %s: %w", table, err)
		}
		seq, _ = tx.db.sequences.LoadOrStore(table, name)
	}
	return column[int64](tx.rows(ctx, `SELECT nextval(?::regclass) FROM generate_series(1, ?)`, seq, n))
}

// leadRows are the columns InsertLeads writes, in leadValues' order.
var leadRows = manyRows{
	head: `INSERT INTO leads (email, phone, company_id, data, qualification, evaluation,
		stage, band, action, team, quality, score, country, source_format, owner, search,
		definition_id, merged_into, external_id, updated_at, created_at, id)`,
	types: []string{"text", "text", "int8", "text", "text", "text",
		"text", "text", "text", "text", "text", "float8", "text", "text", "text", "text",
		"int8", "int8", "text", "int8", "int8", "int8"},
}

// leadUpdates is UpdateLead's statement for many leads at once, on
// PostgreSQL: leadValues, the human stage and the ID of each.
var leadUpdates = manyRows{
	head: `UPDATE leads`,
	statement: `UPDATE leads SET email = u.email, phone = u.phone, company_id = u.company_id, data = u.data,
		qualification = u.qualification, evaluation = u.evaluation, stage = u.stage, band = u.band, action = u.action,
		team = u.team, quality = u.quality, score = u.score, country = u.country, source_format = u.source_format,
		owner = u.owner, search = u.search, definition_id = u.definition_id, merged_into = u.merged_into,
		external_id = u.external_id,
		updated_at = CASE WHEN leads.updated_at < u.updated_at THEN u.updated_at ELSE leads.updated_at + 1 END, human_stage = u.human_stage, needs_eval = 0
		FROM {rows} AS u(email, phone, company_id, data, qualification, evaluation, stage, band, action, team, quality,
			score, country, source_format, owner, search, definition_id, merged_into, external_id, updated_at, human_stage, id)
		WHERE leads.id = u.id`,
	types: []string{"text", "text", "int8", "text", "text", "text",
		"text", "text", "text", "text", "text", "float8", "text", "text", "text", "text",
		"int8", "int8", "text", "int8", "text", "int8"},
}

// InsertLeads stores new leads whose IDs were reserved with NextLeadIDs,
// in a few statements for all (see insertMany): a group of new people is
// written at once instead of one statement per row. On PostgreSQL they
// are written with the transaction's next statement, or at its end in
// the statement that writes its other buffered rows (see Tx.flush).
func (tx *Tx) InsertLeads(ctx context.Context, leads []*Lead) error {
	args := make([]any, 0, len(leads)*len(leadRows.types))
	for _, l := range leads {
		vals, err := leadValues(l)
		if err != nil {
			return err
		}
		args = append(append(args, vals...), millis(l.CreatedAt), l.ID)
		tx.prefetchWrote(l)
		tx.evaluatedWith(l.ID, l.DefinitionID)
	}
	tx.newLeads += int64(len(leads))
	if tx.db.dialect == Postgres {
		// Written before the next statement, or with the rows buffered
		// for the commit (see flush).
		tx.leads = append(tx.leads, args...)
		return nil
	}
	if err := tx.insertMany(ctx, leadRows, args); err != nil {
		return fmt.Errorf("insert leads: %w", err)
	}
	return nil
}
