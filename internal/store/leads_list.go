package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/jsonappend"
	"github.com/pistahq/pista/internal/jsonpack"
)

// LeadQuery selects leads for the web app's list: filters, a sort, the
// scope of what the user may see, and a keyset position.
type LeadQuery struct {
	Stage, Band, Source, Country, Team, Text string
	Campaign                                 string
	Owner                                    string // owner's e-mail; "-" for none
	// Suspicious keeps only the leads held out of the queues as
	// suspicious (Lead.Suspicious).
	Suspicious         bool
	MinScore, MaxScore *float64
	From, To           time.Time // created in [From, To)
	// Sort is "score" (highest first, the default), "newest" or "oldest".
	Sort string
	// Scope is what the user may see.
	Scope LeadScope
	// After continues a listing: the sort value and ID of the last lead.
	AfterValue float64
	AfterID    int64
	Limit      int
}

// LeadScope limits a list to what a user may see (access.LeadScope says
// who sees what): when Limited, only leads held by User, unheld leads
// routed to Teams, and every lead routed to Whole.
type LeadScope struct {
	Limited bool
	User    int64
	Teams   []string // teams whose unheld leads are visible
	Whole   []string // teams all of whose leads are visible
}

// branches are the scope's parts, each one SQL condition that an index
// serves with the list's order (leads_owner, leads_team): the leads held
// by User, each team's unheld leads, each whole team's leads. nil when not
// limited. A lead may be in two parts (held by User in a whole team).
func (sc LeadScope) branches() []branch {
	if !sc.Limited {
		return nil
	}
	out := []branch{{"owner_id = ?", []any{sc.User}}}
	for _, t := range sc.Teams {
		out = append(out, branch{"owner_id IS NULL AND team = ?", []any{t}})
	}
	for _, t := range sc.Whole {
		out = append(out, branch{"team = ?", []any{t}})
	}
	return out
}

type branch struct {
	cond string
	args []any
}

// SearchLeads lists live leads for a LeadQuery. Their evaluation holds
// only its stage, band, action, team, quality and total (see listColumns).
func (db *DB) SearchLeads(ctx context.Context, f LeadQuery) ([]*Lead, error) {
	where := []string{"merged_into IS NULL"}
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if f.Stage != "" {
		// The stage column is the stage the lead shows (stage.Effective of
		// the evaluation's and the last human act's), as every write stores
		// it, so the filter walks leads_stage in the list's order.
		add("stage = ?", f.Stage)
	}
	if f.Band != "" {
		add("band = ?", f.Band)
	}
	if f.Source != "" {
		add("source_format = ?", f.Source)
	}
	if f.Country != "" {
		add("country = ?", f.Country)
	}
	if f.Team != "" {
		add("team = ?", f.Team)
	}
	switch f.Owner {
	case "":
	case "-":
		add("owner_id IS NULL")
	default:
		add("owner = ?", f.Owner)
	}
	if f.Suspicious {
		add("suspicious IS NOT NULL")
	}
	if f.Campaign != "" {
		// The campaign lives in the lead's JSON; matched as written there
		// (case and all, on both databases), packed (jsonpack) or, as older
		// versions stored it, not.
		member := jsonappend.String([]byte(`"campaign":`), f.Campaign)
		contains := "instr(data, ?) > 0"
		if db.dialect == Postgres {
			contains = "strpos(data, ?) > 0"
		}
		add("("+contains+" OR "+contains+")", string(jsonpack.PackMembers(member)), string(member))
	}
	text := textFilter{From: "leads"}
	if f.Text != "" {
		var err error
		if text, err = db.textMatch(ctx, f.Text, f.Scope.Limited); err != nil {
			return nil, err
		}
		if text.Cond != "" {
			add(text.Cond, text.Args...)
		}
	}
	if f.MinScore != nil {
		add("score >= ?", *f.MinScore)
	}
	if f.MaxScore != nil {
		add("score <= ?", *f.MaxScore)
	}
	if !f.From.IsZero() {
		add("created_at >= ?", millis(f.From))
	}
	if !f.To.IsZero() {
		add("created_at < ?", millis(f.To))
	}
	order := "score DESC, id DESC"
	switch f.Sort {
	case "newest":
		order = "created_at DESC, id DESC"
		if f.AfterID != 0 {
			add("(created_at < ? OR (created_at = ? AND id < ?))", int64(f.AfterValue), int64(f.AfterValue), f.AfterID)
		}
	case "oldest":
		order = "created_at, id"
		if f.AfterID != 0 {
			add("(created_at > ? OR (created_at = ? AND id > ?))", int64(f.AfterValue), int64(f.AfterValue), f.AfterID)
		}
	default:
		if f.AfterID != 0 {
			add("(score < ? OR (score = ? AND id < ?))", f.AfterValue, f.AfterValue, f.AfterID)
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	query, all := scopedSelect(listColumns, text.From, text.FromArgs, strings.Join(where, " AND "), args, order, limit, f.Scope)
	rows, err := db.sql.QueryContext(ctx, db.q(query), all...)
	return collect(rows, err, scanListed)
}

// scopedSelect is the query for a page of leads: columns (given a table
// alias), the table the IDs are read from and its arguments (leads, or
// leads joined to matches, see textMatch), a condition and its arguments, an order and a
// limit, within a scope. The page's IDs are found first, from the sort columns and the
// condition alone, which SQLite answers from an index that holds them
// (leads_priority holds the search text), then their leads are read.
//
// A limited scope is one such query per part (LeadScope.branches), each
// walking its own index in the list's order and stopping at the page's
// end, then the first of all: one condition with the parts joined by OR
// walked the whole list's index instead, reading every lead outside the
// scope on its way (most of a million for a rep).
func scopedSelect(columns func(alias string) string, from string, fromArgs []any, cond string, args []any, order string, limit int, sc LeadScope) (string, []any) {
	keys := "id, score"
	if strings.HasPrefix(order, "created_at") {
		keys = "id, created_at"
	}
	parts := sc.branches()
	if parts == nil {
		parts = []branch{{cond: "1 = 1"}}
	}
	var union []string
	var all []any
	for i, b := range parts {
		union = append(union, fmt.Sprintf(`SELECT * FROM (SELECT %s FROM %s WHERE %s AND %s ORDER BY %s LIMIT %d) AS b%d`,
			keys, from, cond, b.cond, order, limit, i))
		all = append(append(append(all, fromArgs...), args...), b.args...)
	}
	return `SELECT ` + columns("l.") + ` FROM (` + strings.Join(union, " UNION ") + `) AS s JOIN leads l ON l.id = s.id ORDER BY ` +
		prefixed("s.", order) + fmt.Sprintf(` LIMIT %d`, limit), all
}
