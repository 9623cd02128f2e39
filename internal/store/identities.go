package store

import (
	"context"
	"database/sql"
	"errors"
)

// LeadIDsByEmail maps the normalised e-mail addresses that belong to live
// leads to their IDs, with one query (per hundred addresses on SQLite).
func (tx *Tx) LeadIDsByEmail(ctx context.Context, emails []string) (map[string]int64, error) {
	out := make(map[string]int64, len(emails))
	err := tx.inList(emails, func(cond string, args []any) error {
		rows, err := tx.rows(ctx, `SELECT email, id FROM leads WHERE merged_into IS NULL AND email `+cond+tx.forUpdate(), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				email string
				id    int64
			)
			if err := rows.Scan(&email, &id); err != nil {
				return err
			}
			out[email] = id
		}
		return rows.Err()
	})
	return out, err
}

// ExistingLeads reports which of the IDs are leads.
func (tx *Tx) ExistingLeads(ctx context.Context, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	err := tx.inIDs(ids, func(cond string, args []any) error {
		rows, err := tx.rows(ctx, `SELECT id FROM leads WHERE id `+cond, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out[id] = true
		}
		return rows.Err()
	})
	return out, err
}

// FindLead looks a person up by e-mail, then phone, then external ID, the
// order intake de-duplicates in, without locking (for previews). It
// returns 0 when none matches.
func (db *DB) FindLead(ctx context.Context, email, phone, externalID string) (id int64, by string, err error) {
	for _, k := range []struct{ col, val string }{{"email", email}, {"phone", phone}, {"external_id", externalID}} {
		if k.val == "" {
			continue
		}
		err := db.sql.QueryRowContext(ctx, db.q(`SELECT id FROM leads WHERE `+k.col+` = ? AND merged_into IS NULL ORDER BY id LIMIT 1`), k.val).Scan(&id)
		if err == nil {
			return id, k.col, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, "", err
		}
	}
	return 0, "", nil
}

// KnownIdentities returns which of the e-mails, phones and external IDs
// belong to live leads, and to which: for a phone several leads share, the
// oldest, the one intake merges an inquiry with that phone into. On
// PostgreSQL the leads found are locked, in the order of their IDs, in
// one statement: two servers' groups that share leads then lock them in
// the same order, one waits for the other, and neither waits for a lead
// the other holds while holding one it needs (no deadlock).
func (tx *Tx) KnownIdentities(ctx context.Context, emails, phones, externalIDs []string) (map[string]int64, error) {
	out := map[string]int64{}
	if tx.db.dialect == Postgres {
		if len(emails)+len(phones)+len(externalIDs) == 0 {
			return out, nil
		}
		rows, err := tx.rows(ctx, knownIdentitiesPG, emails, phones, externalIDs)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return out, scanKnownIdentities(rows, out, emails, phones, externalIDs)
	}
	for _, q := range []struct {
		col    string
		values []string
	}{{"email", emails}, {"phone", phones}, {"external_id", externalIDs}} {
		err := inChunks(q.values, func(chunk []string, ph string) error {
			rows, err := tx.rows(ctx, `SELECT `+q.col+`, id FROM leads WHERE merged_into IS NULL AND `+q.col+` IN (`+ph+`)`, anySlice(chunk)...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var (
					v  string
					id int64
				)
				if err := rows.Scan(&v, &id); err != nil {
					return err
				}
				if old, seen := out[v]; !seen || id < old {
					out[v] = id
				}
			}
			return rows.Err()
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// knownIdentitiesPG is KnownIdentities' statement on PostgreSQL.
const knownIdentitiesPG = `SELECT id, coalesce(email, ''), coalesce(phone, ''), coalesce(external_id, '') FROM leads
	WHERE id IN (SELECT id FROM leads WHERE email = ANY(?::text[])
		UNION SELECT id FROM leads WHERE phone = ANY(?::text[])
		UNION SELECT id FROM leads WHERE external_id = ANY(?::text[]))
	AND merged_into IS NULL ORDER BY id FOR NO KEY UPDATE`

// scanKnownIdentities reads knownIdentitiesPG's rows into out: each identity asked
// for, to the oldest live lead that has it.
func scanKnownIdentities(rows rowReader, out map[string]int64, emails, phones, externalIDs []string) error {
	asked := map[string]bool{}
	for _, list := range [][]string{emails, phones, externalIDs} {
		for _, v := range list {
			asked[v] = true
		}
	}
	for rows.Next() {
		var (
			id  int64
			ids [3]string
		)
		if err := rows.Scan(&id, &ids[0], &ids[1], &ids[2]); err != nil {
			return err
		}
		for _, v := range ids {
			if v == "" || !asked[v] {
				continue
			}
			if old, seen := out[v]; !seen || id < old {
				out[v] = id
			}
		}
	}
	return rows.Err()
}
