package store

import (
	"context"
	"fmt"
	"strings"
	"time"
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

// where is the scope as one SQL condition ("" when not limited).
func (sc LeadScope) where() (string, []any) {
	if !sc.Limited {
		return "", nil
	}
	or := []string{"owner_id = ?"}
	args := []any{sc.User}
	in := func(teams []string) string {
		for _, t := range teams {
			args = append(args, t)
		}
		return "team IN (?" + strings.Repeat(",?", len(teams)-1) + ")"
	}
	if len(sc.Teams) > 0 {
		or = append(or, "(owner_id IS NULL AND "+in(sc.Teams)+")")
	}
	if len(sc.Whole) > 0 {
		or = append(or, in(sc.Whole))
	}
	return "(" + strings.Join(or, " OR ") + ")", args
}

// EffectiveStageSQL is stage.Effective in SQL, so that the list can filter
// by the stage a lead shows and still page in the database. A test runs
// it against stage.Effective for every pair of stages.
const EffectiveStageSQL = `(CASE
	WHEN human_stage = '' THEN stage
	WHEN human_stage IN ('opportunity', 'won', 'lost', 'disqualified', 'nurture') THEN human_stage
	WHEN human_stage = 'sal' THEN (CASE WHEN stage = 'sql' THEN 'sql' ELSE 'sal' END)
	WHEN human_stage = 'recycled' THEN (CASE WHEN stage IN ('mql', 'sql', 'disqualified') THEN stage ELSE 'inquiry' END)
	ELSE stage END)`

// SearchLeads lists live leads for a LeadQuery. Their evaluation holds
// only its stage, band, action, team, quality and total (see listColumns).
func (db *DB) SearchLeads(ctx context.Context, f LeadQuery) ([]*Lead, error) {
	where := []string{"merged_into IS NULL"}
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if f.Stage != "" {
		add(EffectiveStageSQL+" = ?", f.Stage)
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
		// The campaign lives in the lead's JSON; matched as written there.
		esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(fmt.Sprintf(`"campaign":%q`, f.Campaign))
		add(`data LIKE ? ESCAPE '\'`, "%"+esc+"%")
	}
	if f.Text != "" {
		esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(f.Text))
		add(`search LIKE ? ESCAPE '\'`, "%"+esc+"%")
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
	if cond, a := f.Scope.where(); cond != "" {
		add(cond, a...)
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
	rows, err := db.sql.QueryContext(ctx, db.q(`SELECT `+listColumns("")+` FROM leads WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+order+fmt.Sprintf(` LIMIT %d`, limit)), args...)
	return collect(rows, err, scanListed)
}
