package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"
)

// Searching leads by text. A lead's search column holds its names, e-mail,
// company name and domain in lower case (leadValues); a search keeps the
// leads whose search text contains the searched text, lower-cased, as it
// is (% and _ are not wildcards). Reading every lead's search text takes
// seconds at a million leads, so a trigram index answers instead: FTS5
// with the trigram tokenizer on SQLite (migration 063), pg_trgm's GIN
// index on PostgreSQL (trigramIndex). A trigram is three characters, so a
// shorter text is still matched by reading the search texts.

// ftsCap is how many leads a text may match on SQLite for the trigram
// index to answer (DB.ftsCap, which tests lower): their leads are looked
// up one by one to be sorted (about 7 µs each), so a text more leads hold
// (say "gmail") is found sooner by walking the list's order index, which
// holds the search text (leads_priority), until a page is full.
const ftsCap = 20000

// textFilter is how a page of leads keeps those whose search text holds
// a text: the table its IDs are read from (From, with FromArgs), and a
// condition on it (Cond, with Args; "" when From keeps only matches).
type textFilter struct {
	From     string
	FromArgs []any
	Cond     string
	Args     []any
}

// textMatch is the filter of the leads whose search text holds text. The
// table is leads, or on SQLite the trigram index's matches (and the
// newest leads', which wait outside the index, see searchTail) joined to
// leads. CROSS JOIN makes SQLite read the matches first and look their
// leads up by ID; left to itself it walked a scope's index (a team's
// leads in score order) and asked each lead whether it was a match,
// seconds for a rep.
//
// On PostgreSQL the planner, for a limited scope (LeadScope.branches),
// chose to walk a team's index in the list's order, expecting the
// trigram index's estimate of matches (1% for a last name) to fill a page
// soon; when none of the team's leads match it read the whole team (1.8 s
// to 10 s at a million leads for a rep's search). There, a text fewer
// than ftsCap leads hold is matched as a list of IDs the trigram index
// finds once (id = ANY (ARRAY(...))), which the planner reads by ID and
// sorts; a commoner text keeps the walk, which soon fills a page.
func (db *DB) textMatch(ctx context.Context, text string, scoped bool) (textFilter, error) {
	text = strings.ToLower(text)
	like := likeText(text)
	if db.dialect == SQLite && utf8.RuneCountInString(text) >= 3 {
		// A phrase of trigrams matches where they follow each other: the
		// text as a substring. Inside double quotes only " is special.
		phrase := `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
		var n int
		err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT rowid FROM leads_search WHERE leads_search MATCH ? LIMIT ?)`,
			phrase, db.ftsCap).Scan(&n)
		if err != nil {
			return textFilter{}, fmt.Errorf("search leads: %w", err)
		}
		if n < db.ftsCap {
			// Each match's lead is looked up in leads_by_id (migration 064),
			// which holds what the list sorts and filters by most: in the
			// lead's row those columns come after its JSON, on overflow
			// pages, several reads a match (a company thousands of leads
			// share: 8,000 matches). The leads the index does not hold yet
			// are the newest (above leads_search_upto), read by ID range.
			return textFilter{From: `(SELECT rowid AS match_id FROM leads_search WHERE leads_search MATCH ?
				UNION ALL SELECT id FROM leads WHERE id > (SELECT id FROM leads_search_upto) AND search LIKE ? ESCAPE '\')
				AS matches CROSS JOIN leads INDEXED BY leads_by_id ON leads.id = matches.match_id`,
				FromArgs: []any{phrase, like}}, nil
		}
	}
	if db.dialect == Postgres && scoped && utf8.RuneCountInString(text) >= 3 && db.TextIndexProblem() == nil {
		var n int
		err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM leads WHERE search LIKE $1 ESCAPE '\' LIMIT $2) m`,
			like, db.ftsCap).Scan(&n)
		if err != nil {
			return textFilter{}, fmt.Errorf("search leads: %w", err)
		}
		if n < db.ftsCap {
			return textFilter{From: "leads", Cond: `id = ANY (ARRAY(SELECT id FROM leads WHERE search LIKE ? ESCAPE '\'))`, Args: []any{like}}, nil
		}
	}
	return textFilter{From: "leads", Cond: `search LIKE ? ESCAPE '\'`, Args: []any{like}}, nil
}

// likeText is the LIKE pattern (with ESCAPE '\') of the leads whose
// search text holds text as it is.
func likeText(text string) string { return "%" + likeEscapes.Replace(text) + "%" }

var likeEscapes = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// TextIndexProblem says why searching leads by text reads every lead's
// search text instead of a trigram index, or nil when it does not. Only
// PostgreSQL can be without one: pg_trgm is an extension, and creating it
// takes a privilege (see trigramIndex). The server logs it once at start.
func (db *DB) TextIndexProblem() error {
	s, _ := db.textIndex.Load().(textIndexState)
	return s.err
}

// errNoTextIndex marks TextIndexProblem's answer.
var errNoTextIndex = errors.New("searching leads by name, e-mail or company reads every lead (no pg_trgm index)")

// trigramIndex makes sure PostgreSQL searches by text with a GIN index of
// pg_trgm on leads.search (LIKE '%text%' of three characters or more uses
// it). It runs after the migrations on every start, so an extension an
// administrator installs later is used from the next start. It creates
// the extension if missing (in public, shared by every schema, when it
// may; else in the current one). When it cannot, searches go on reading
// every lead, as before 063, and TextIndexProblem says why.
func (db *DB) trigramIndex(ctx context.Context) {
	var exists bool
	if err := db.sql.QueryRowContext(ctx, `SELECT to_regclass('leads_search_trgm') IS NOT NULL`).Scan(&exists); err == nil && exists {
		db.textIndex.Store(textIndexState{})
		return
	}
	schema, err := db.trigramSchema(ctx)
	if err == nil && schema == "" {
		if _, err = db.sql.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`); err != nil {
			_, err = db.sql.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm`)
		}
		if err == nil {
			schema, err = db.trigramSchema(ctx)
		}
	}
	if err == nil {
		err = db.InTx(ctx, func(tx *Tx) error {
			if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(7261746)`); err != nil {
				return err
			}
			_, err := tx.exec(ctx, `CREATE INDEX IF NOT EXISTS leads_search_trgm ON leads USING gin (search `+quoteIdent(schema)+`.gin_trgm_ops)`)
			return err
		})
	}
	if err != nil {
		db.textIndex.Store(textIndexState{fmt.Errorf("%w: %v", errNoTextIndex, err)})
		return
	}
	db.textIndex.Store(textIndexState{})
}

// trigramSchema is the schema pg_trgm is installed in, "" when it is not.
func (db *DB) trigramSchema(ctx context.Context) (string, error) {
	var schema string
	err := db.sql.QueryRowContext(ctx, `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
		WHERE e.extname = 'pg_trgm'`).Scan(&schema)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	return schema, nil
}

// textIndexState is what DB.textIndex holds (one type, as atomic.Value
// needs): why searches read every lead, nil when they use an index.
type textIndexState struct{ err error }

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// searchTail is how many of the newest leads may wait outside SQLite's
// trigram index (DB.searchTail, which tests change). Searches read them
// from the leads table (textMatch), so they are found from their commit
// on; the index takes them together once there are more, one segment for
// all. Indexing each group's few new leads at its commit took 1.08 s of
// the single writer's 6.75 s in a profile of single requests (FTS5
// writes a segment per transaction and merges them again later);
// together, 0.37 s (docs/PERFORMANCE.md).
const searchTail = 1000

// indexNewLeads puts the leads not yet in SQLite's trigram index into it,
// with the search text they have now, in one statement just before the
// commit, once there are more than DB.searchTail of them (see searchTail;
// migration 068), and merges the index's segments as they need (see
// mergeSearchIndex). FTS5 then writes them as one segment when the
// transaction commits; from a trigger, each statement and savepoint after
// an insert wrote a small segment of its own, to be merged again later (a
// ninth of a large import's time).
//
// While RunSearchIndex keeps the index (pista serve), a commit leaves the
// new leads to it, unless searchTailBehind times DB.searchTail wait: the
// commit is then intake's, which every inquiry of its group waits for.
func (tx *Tx) indexNewLeads(ctx context.Context) error {
	if tx.db.dialect != SQLite || tx.newLeads == 0 {
		return nil
	}
	tail := int64(tx.db.searchTail)
	if tx.db.searchInBackground.Load() {
		tail *= searchTailBehind
	}
	if tx.newLeads <= tail {
		waiting, err := tx.searchWaiting(ctx)
		if err != nil || waiting <= tail {
			return err
		}
	}
	if err := tx.indexSearchTail(ctx, 0); err != nil {
		return err
	}
	_, err := tx.mergeSearchIndex(ctx, mergeAll)
	return err
}

// searchTailBehind: see indexNewLeads.
const searchTailBehind = 8

// searchWaiting counts the leads not yet in the trigram index.
func (tx *Tx) searchWaiting(ctx context.Context) (int64, error) {
	var waiting int64
	err := tx.row(ctx, `SELECT coalesce(max(id), 0) - (SELECT id FROM leads_search_upto) FROM leads`).Scan(&waiting)
	if err != nil {
		return 0, fmt.Errorf("index new leads for search: %w", err)
	}
	return waiting, nil
}

// mergeAll and mergeStep are how many pages mergeSearchIndex may write:
// as many as it takes, or a background step's worth (5 ms on average on 2
// cores, 38 ms at worst: docs/PERFORMANCE.md).
const (
	mergeAll  = 1 << 30
	mergeStep = 64
)

// mergeSearchIndex merges the trigram index's segments, sixteen of a level
// at a time (usermerge, migrations 067 and 071), writing at most about
// pages pages; more says it wrote some, so there may be more to merge.
// FTS5 no longer merges by itself (automerge 0, migration 071): it did so
// all at once in whichever transaction filled a level.
func (tx *Tx) mergeSearchIndex(ctx context.Context, pages int) (more bool, err error) {
	var before, after int64
	if err := tx.row(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
		return false, fmt.Errorf("merge the search index: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO leads_search (leads_search, rank) VALUES ('merge', ?)`, pages); err != nil {
		return false, fmt.Errorf("merge the search index: %w", err)
	}
	if err := tx.row(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
		return false, fmt.Errorf("merge the search index: %w", err)
	}
	// FTS5 counts one change when there was nothing to merge.
	return after-before >= 2, nil
}

// searchIndexEvery is how often RunSearchIndex looks for leads to index.
const searchIndexEvery = 200 * time.Millisecond

// RunSearchIndex keeps SQLite's trigram index until ctx ends (pista
// serve): every searchIndexEvery it puts the leads waiting outside it in,
// a quarter of DB.searchTail at a time, and merges the index's segments
// in steps of mergeStep pages. Each of these is a transaction of its own
// that gives way to intake's group commits (yield.go) and holds the write
// lock a few milliseconds (a tail of 1,000 leads took 25–35 ms while
// single requests waited). Commits leave the new leads to it meanwhile
// (indexNewLeads). On PostgreSQL, whose trigram index is its own, it
// moves that index's pending entries instead (cleanSearchPending).
func (db *DB) RunSearchIndex(ctx context.Context, log *slog.Logger) {
	if db.dialect != SQLite {
		db.cleanSearchPending(ctx, log)
		return
	}
	db.searchInBackground.Store(true)
	defer db.searchInBackground.Store(false)
	t := time.NewTicker(searchIndexEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := db.searchIndexTurn(ctx); err != nil && ctx.Err() == nil {
			log.Error("search index", "err", err)
		}
	}
}

// pendingCleanEvery is how often cleanSearchPending looks for new leads.
const pendingCleanEvery = 500 * time.Millisecond

// cleanSearchPending is RunSearchIndex on PostgreSQL. Its trigram index
// (leads_search_trgm, GIN) takes a new lead's entries into a pending list,
// cheap to add to, and moves the list into the index proper in bulk once
// it passes gin_pending_list_limit (4 MB): the insert that fills it does
// that work for everyone's entries, about 100 ms every 4,000 new leads,
// while its group and every request in it wait; single requests' p99
// followed those stalls (docs/PERFORMANCE.md). So every pendingCleanEvery,
// if leads were inserted meanwhile, a connection of its own moves the
// list (gin_clean_pending_list) before it fills; inserts go on adding to
// the list while it does. Only the index's owner may: if the database
// refuses, PostgreSQL goes on doing it as before; without the index
// (pg_trgm missing) there is nothing to move.
func (db *DB) cleanSearchPending(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(pendingCleanEvery)
	defer t.Stop()
	seen := db.inserted.Load()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n := db.inserted.Load()
		if n == seen {
			continue
		}
		seen = n
		_, err := db.sql.ExecContext(ctx, `SELECT gin_clean_pending_list('leads_search_trgm'::regclass)`)
		switch {
		case err == nil || ctx.Err() != nil:
		case strings.Contains(err.Error(), "SQLSTATE 42P01"):
			return // no trigram index: the server said so at start (see docs/operations.md)
		case strings.Contains(err.Error(), "SQLSTATE 42501"): // insufficient privilege
			log.Warn("the search index's new entries are left to PostgreSQL, which moves them while intake waits", "err", err)
			return
		default:
			log.Error("search index: pending entries", "err", err)
		}
	}
}

// searchIndexTurn is one turn of RunSearchIndex: the waiting leads in
// chunks, each followed by the merges it calls for.
func (db *DB) searchIndexTurn(ctx context.Context) error {
	chunk := max(int64(db.searchTail)/4, 1)
	for ctx.Err() == nil {
		var waiting int64
		err := db.sql.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) - (SELECT id FROM leads_search_upto) FROM leads`).Scan(&waiting)
		if err != nil || waiting < chunk {
			return err
		}
		indexed := false
		err = db.InTx(ctx, func(tx *Tx) error {
			// Counted again: a commit may have indexed them meanwhile.
			waiting, err := tx.searchWaiting(ctx)
			if err != nil || waiting < chunk {
				return err
			}
			indexed = true
			return tx.indexSearchTail(ctx, chunk)
		})
		if err != nil || !indexed {
			return err
		}
		for more := true; more && ctx.Err() == nil; {
			err := db.InTx(ctx, func(tx *Tx) error {
				var err error
				more, err = tx.mergeSearchIndex(ctx, mergeStep)
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// indexSearchTail puts the leads the trigram index does not hold yet into
// it, the oldest first and at most limit of them (0: all), with the search
// text they have now, and moves leads_search_upto to the last one.
func (tx *Tx) indexSearchTail(ctx context.Context, limit int64) error {
	var last int64
	var err error
	if limit > 0 {
		err = tx.row(ctx, `SELECT coalesce(max(id), 0) FROM
			(SELECT id FROM leads WHERE id > (SELECT id FROM leads_search_upto) ORDER BY id LIMIT ?)`, limit).Scan(&last)
	} else {
		err = tx.row(ctx, `SELECT coalesce(max(id), 0) FROM leads`).Scan(&last)
	}
	if err != nil {
		return fmt.Errorf("index new leads for search: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO leads_search (rowid, search)
		SELECT id, search FROM leads WHERE id > (SELECT id FROM leads_search_upto) AND id <= ? ORDER BY id`, last); err != nil {
		return fmt.Errorf("index new leads for search: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE leads_search_upto SET id = ? WHERE id < ?`, last, last); err != nil {
		return fmt.Errorf("index new leads for search: %w", err)
	}
	return nil
}
