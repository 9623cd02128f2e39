package lab

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
)

// Stages are the waterfall outcomes a database backtest can use as its
// label: a lead converted when it reached the stage.
var Stages = []string{"sal", "sql", "opportunity", "won"}

// BacktestDB backtests on the leads of a database whose first inquiry is
// in [from, to): the label is whether the lead reached the outcome stage
// (sal: accepted by sales, sql, opportunity or won) as the waterfall
// recorded it, or has an imported outcome of that name (ImportOutcomes). Each lead is scored as of its first inquiry with the
// events, actions and BANT answers known by then.
func BacktestDB(ctx context.Context, db *store.DB, from, to time.Time, cfg BacktestConfig) (*BacktestReport, error) {
	start := time.Now()
	if cfg.Candidate == nil {
		return nil, errors.New("--definition is required")
	}
	stage := strings.ToLower(strings.TrimSpace(cfg.Outcome))
	if stage == "" {
		return nil, fmt.Errorf("--outcome is required: with --db, the stage a lead reached (%s) or the name of imported outcomes (won, converted, ...)", strings.Join(Stages, ", "))
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if to.IsZero() {
		to = time.Now().Add(24 * time.Hour)
	}
	// Outcomes come from report_leads, which the server keeps current;
	// bring it up to date first, as a server would, for a database no
	// server is running on.
	if err := report.New(db, func() *definition.Definition { return nil }).Refresh(ctx); err != nil {
		return nil, fmt.Errorf("bringing the waterfall's outcomes up to date: %w", err)
	}
	rep := &BacktestReport{File: "database", Split: fmt.Sprintf("leads whose first inquiry is from %s to before %s", from.Format("2006-01-02"), to.Format("2006-01-02"))}
	var firstAt, lastAt time.Time
	n := 0
	rows, rules, err := scorePool(cfg, false, func(emit func(*Record, bool, time.Time)) error {
		return db.LabLeads(ctx, from, to, func(l *store.LabLead) error {
			n++
			rep.Rows++
			// The waterfall's stage, or an outcome imported under that name.
			converted := slices.Contains(l.Outcomes, stage)
			if slices.Contains(Stages, stage) {
				reached := map[string]*time.Time{"sal": l.SAL, "sql": l.SQL, "opportunity": l.Opportunity, "won": l.Won}[stage]
				converted = converted || reached != nil
			}
			// The decision moment is the first inquiry: the earliest of the
			// funnel's inquiry time and the lead's dated actions (an import
			// dates its actions with the list's date, not the import's).
			now := l.InquiryAt
			for _, a := range l.Data.Actions {
				if !a.At.IsZero() && a.At.Before(now) {
					now = a.At
				}
			}
			if firstAt.IsZero() || now.Before(firstAt) {
				firstAt = now
			}
			if now.After(lastAt) {
				lastAt = now
			}
			rec := Record{Row: n, ID: firstNonEmpty(l.ExternalID, l.Email), Lead: l.Data, Events: l.Events}
			rec.Lead.Actions = actionsBy(l.Data.Actions, now)
			if q := l.Qualification; q != nil && !q.At.IsZero() && !q.At.After(now) {
				rec.Qualification = q
			}
			emit(&rec, converted, now)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	rep.TimeNote = "Each lead was scored as of its first inquiry: events, actions and BANT answers recorded later were left out (the person and company are as stored now). " +
		"Outcomes are the waterfall's; leads that arrived lately may not have reached " + stage + " yet."
	if err := analyse(cfg, rep, rows, rules, firstAt, lastAt); err != nil {
		return nil, err
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// actionsBy keeps the actions known at now (undated ones too).
func actionsBy(actions []lead.Action, now time.Time) []lead.Action {
	var out []lead.Action
	for _, a := range actions {
		if a.At.IsZero() || !a.At.After(now) {
			out = append(out, a)
		}
	}
	return out
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
