package store

import (
	"context"
	"slices"
	"time"
)

// UpsertCompany returns the company with a domain, creating it if needed
// (see Companies).
func (tx *Tx) UpsertCompany(ctx context.Context, domain, name string, now time.Time) (int64, error) {
	ids, err := tx.Companies(ctx, []string{domain}, []string{name}, now)
	return ids[domain], err
}

// Companies returns the IDs of the companies with these domains, creating
// the missing ones, named names[i] for domains[i] (the first name given
// for a domain). Every new company is inserted by one statement, in the
// order of the domains, and one that another server inserts at the same
// time is taken, not an error (ON CONFLICT DO NOTHING): two servers
// creating the same companies wait for each other in the same order and
// neither fails.
//
// Companies are never deleted, so an ID once committed stays right and
// is remembered: one read from the database at once, one inserted here
// after the transaction commits.
func (tx *Tx) Companies(ctx context.Context, domains, names []string, now time.Time) (map[string]int64, error) {
	out := make(map[string]int64, len(domains))
	nameOf := map[string]string{}
	var missing []string
	for i, d := range domains {
		if d == "" {
			continue
		}
		if id, ok := tx.companyIDs[d]; ok {
			out[d] = id
			continue
		}
		if id, ok := tx.db.companies.Load(d); ok {
			out[d] = id.(int64)
			continue
		}
		if _, seen := nameOf[d]; !seen {
			nameOf[d] = names[i]
			missing = append(missing, d)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	slices.Sort(missing)
	inserted, err := tx.insertCompanies(ctx, missing, nameOf, now)
	if err != nil {
		return nil, err
	}
	var existing []string
	for _, d := range missing {
		if id, ok := inserted[d]; ok {
			out[d] = id
			tx.rememberCompany(d, id)
		} else {
			existing = append(existing, d)
		}
	}
	found, err := tx.companiesByDomain(ctx, existing)
	if err != nil {
		return nil, err
	}
	for d, id := range found {
		out[d] = id
		tx.db.cacheCompany(d, id)
		tx.rememberCompany(d, id)
	}
	return out, nil
}

// insertCompanies inserts the companies not there yet, domains sorted,
// and returns the IDs of those it inserted.
func (tx *Tx) insertCompanies(ctx context.Context, domains []string, nameOf map[string]string, now time.Time) (map[string]int64, error) {
	out := map[string]int64{}
	read := func(query string, args ...any) error {
		rows, err := tx.rows(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				d  string
				id int64
			)
			if err := rows.Scan(&d, &id); err != nil {
				return err
			}
			out[d] = id
			tx.newCompanies = append(tx.newCompanies, d, id)
		}
		return rows.Err()
	}
	if tx.db.dialect == Postgres {
		names := make([]string, len(domains))
		for i, d := range domains {
			names[i] = nameOf[d]
		}
		return out, read(`INSERT INTO companies (domain, name, created_at)
			SELECT d, n, ? FROM unnest(?::text[], ?::text[]) AS u(d, n) ORDER BY d
			ON CONFLICT (domain) DO NOTHING RETURNING domain, id`, millis(now), domains, names)
	}
	err := inChunks(domains, func(chunk []string, _ string) error {
		var args []any
		values := ""
		for i, d := range chunk {
			if i > 0 {
				values += ","
			}
			values += "(?,?,?)"
			args = append(args, d, nameOf[d], millis(now))
		}
		return read(`INSERT INTO companies (domain, name, created_at) VALUES `+values+
			` ON CONFLICT (domain) DO NOTHING RETURNING domain, id`, args...)
	})
	return out, err
}

// companiesByDomain reads the IDs of existing companies.
func (tx *Tx) companiesByDomain(ctx context.Context, domains []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(domains) == 0 {
		return out, nil
	}
	err := tx.inList(domains, func(list string, args []any) error {
		rows, err := tx.rows(ctx, `SELECT domain, id FROM companies WHERE domain `+list, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				d  string
				id int64
			)
			if err := rows.Scan(&d, &id); err != nil {
				return err
			}
			out[d] = id
		}
		return rows.Err()
	})
	return out, err
}

func (tx *Tx) rememberCompany(domain string, id int64) {
	if tx.companyIDs == nil {
		tx.companyIDs = map[string]int64{}
	}
	tx.companyIDs[domain] = id
}

// cacheCompany remembers a committed company's ID, within a bound on
// memory: past 200,000 the cache starts again and refills as it is used.
func (db *DB) cacheCompany(domain string, id int64) {
	if db.companyCount.Add(1) > 200_000 {
		db.companies.Clear()
		db.companyCount.Store(0)
	}
	db.companies.Store(domain, id)
}

// CountCompanies counts the companies.
func (db *DB) CountCompanies(ctx context.Context) (int64, error) {
	var n int64
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM companies`).Scan(&n)
	return n, err
}

// EnsureCompanies creates the companies with these domains that do not
// exist yet, in a short transaction of its own, so that a caller's longer
// transaction then finds them all (Companies reads them from the cache).
// A transaction that creates a company holds the new row until it ends,
// and another inserting the same domain waits for it: created within a
// group commit of hundreds of inquiries, one new company would make every
// other server's group naming it wait for the whole group. A company
// created here whose inquiry then fails stays, unused, as a company
// another inquiry might have named. tokens[i] is the API token the
// inquiry naming domains[i] was sent with (0: none): a company named only
// with a token that no longer works (ValidTokens) is not created, so a
// revoked token creates nothing here either.
func (db *DB) EnsureCompanies(ctx context.Context, domains, names []string, tokens []int64, now time.Time) error {
	var missing, missingNames []string
	var missingTokens []int64
	seen := map[string]bool{}
	for i, d := range domains {
		if _, ok := db.companies.Load(d); !ok && d != "" && !seen[d] {
			seen[d] = true
			missing, missingNames, missingTokens = append(missing, d), append(missingNames, names[i]), append(missingTokens, tokens[i])
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if db.dialect == Postgres {
		return db.ensureCompaniesPG(ctx, missing, missingNames, missingTokens, now)
	}
	return db.InTx(ctx, func(tx *Tx) error {
		valid, err := tx.ValidTokens(ctx, missingTokens)
		if err != nil {
			return err
		}
		var domains, names []string
		for i, tok := range missingTokens {
			if tok == 0 || valid[tok] {
				domains, names = append(domains, missing[i]), append(names, missingNames[i])
			}
		}
		_, err = tx.Companies(ctx, domains, names, now)
		return err
	})
}

// ensureCompaniesPG is EnsureCompanies in one statement, its own
// transaction: one round trip instead of four. It inserts the missing
// companies in domain order and reads back the IDs of those it inserted
// and of those committed before it began; a company another server
// inserted meanwhile is not in its answer, and the group's own Companies
// finds it.
func (db *DB) ensureCompaniesPG(ctx context.Context, domains, names []string, tokens []int64, now time.Time) error {
	rows, err := db.sql.QueryContext(ctx, `WITH ins AS (INSERT INTO companies (domain, name, created_at)
			SELECT d, n, $1 FROM unnest($2::text[], $3::text[], $4::int8[]) AS x(d, n, tok)
			WHERE x.tok = 0 OR EXISTS (SELECT 1 FROM tokens t LEFT JOIN users u ON u.id = t.user_id
				WHERE t.id = x.tok AND `+tokenWorks+`)
			ORDER BY d
			ON CONFLICT (domain) DO NOTHING RETURNING domain, id)
		SELECT domain, id FROM ins UNION ALL SELECT domain, id FROM companies WHERE domain = ANY($2::text[])`,
		millis(now), domains, names, tokens)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			d  string
			id int64
		)
		if err := rows.Scan(&d, &id); err != nil {
			return err
		}
		db.cacheCompany(d, id)
	}
	return rows.Err()
}
