// Package report measures the waterfall: the funnel by cohort or flow,
// follow-up and SLA compliance, and how the definition's bands convert.
//
// The work is split between the store and this package. A lead's history
// (its timeline) is turned here, in pure Go, into one report row: when it
// first reached each stage, the business hours between stages, its
// rejection and recycling. The refresher keeps those rows current as the
// timeline grows, so a report is a few GROUP BY queries over one narrow
// table (SQL rollups), never a walk through millions of timeline entries.
// Rates, percentiles and lift are computed here from what the queries
// return, so SQLite and PostgreSQL cannot disagree.
package report

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
)

// Stages are the funnel's stages, inquiry first.
var Stages = []string{stage.Inquiry, stage.MQL, stage.SAL, stage.SQL, stage.Opportunity, stage.Won}

// rank is a stage's place in the funnel; stages off the funnel (nurture,
// lost, disqualified) have none.
func rank(s string) (int, bool) {
	for i, st := range Stages {
		if st == s {
			return i, true
		}
	}
	return 0, false
}

// entryData is the part of a timeline entry the funnel reads.
type entryData struct {
	Stage      string `json:"stage"` // inquiry entries
	From       string `json:"from"`  // stage_changed, recycled
	To         string `json:"to"`
	Reason     string `json:"reason"` // rejected
	Definition *struct {
		Version string `json:"version"`
		Hash    string `json:"hash"`
	} `json:"definition"`
	Source struct {
		Format   string `json:"format"`
		Campaign string `json:"campaign"`
	} `json:"source"`
	Action struct {
		Props map[string]any `json:"props"`
	} `json:"action"`
}

// flowData is the part of the waterfall's flow JSON the funnel reads.
type flowData struct {
	Opportunity *struct {
		Amount   float64 `json:"amount"`
		Currency string  `json:"currency"`
	} `json:"opportunity"`
}

// Fact turns a lead's history into its report row. cal gives the business
// calendar of a team (nil: hours are counted on the clock).
//
// A lead reaches a stage when it first shows that stage or a later one, so
// a lead that went from inquiry straight to SQL reached MQL and SAL then
// too, and the counts never grow along the funnel. Going back (to nurture,
// recycled to an inquiry) does not undo what was reached. An inquiry
// merged into a known lead is an entry on that lead's timeline, so the
// person counts once, in the cohort of their first inquiry.
func Fact(src *store.ReportSource, cal func(team string) *calendar.Calendar) *store.ReportLead {
	f := &store.ReportLead{LeadID: src.LeadID, InquiryAt: src.CreatedAt, Source: src.SourceFormat,
		Country: src.Country, Team: src.Team, Owner: src.Owner, Band: src.Band, Score: src.Score, DefinitionID: src.DefinitionID}
	var reached [6]*time.Time // by rank
	reached[0] = &f.InquiryAt
	reach := func(to string, at time.Time, d *entryData) {
		r, ok := rank(to)
		if !ok {
			return
		}
		for i := 1; i <= r; i++ {
			if reached[i] == nil {
				t := at
				reached[i] = &t
				if i == 1 && d.Definition != nil {
					f.Version = versionKey(d.Definition.Version, d.Definition.Hash)
				}
			}
		}
	}
	var (
		firstInquiry = true
		inNurture    bool // nurtured after reaching MQL, not back yet
		backAt       *time.Time
	)
	for _, e := range src.Entries {
		var d entryData
		if err := json.Unmarshal(e.Data, &d); err != nil {
			continue // written by Pista: an entry it cannot read is skipped, not fatal
		}
		to := d.To
		switch e.Kind {
		case "inquiry":
			if firstInquiry {
				firstInquiry = false
				if e.At.Before(f.InquiryAt) {
					f.InquiryAt = e.At
				}
				if d.Source.Format != "" {
					f.Source = d.Source.Format
				}
				f.Campaign = d.Source.Campaign
				if form, ok := d.Action.Props["form"].(string); ok {
					f.Form = form
				}
			}
			to = d.Stage
		case "rejected":
			if f.Rejected == "" {
				f.Rejected = d.Reason
			}
			continue
		}
		if to == stage.Nurture && reached[1] != nil && !inNurture {
			f.Recycled, inNurture = true, true
			continue
		}
		if inNurture && to != stage.Nurture && to != "" {
			if _, open := rank(to); open || to == stage.Recycled {
				inNurture, f.CameBack = false, true
				backAt = ptr(e.At)
			}
		}
		reach(to, e.At, &d)
		if r, ok := rank(to); ok && r >= 2 && backAt != nil && !e.At.Before(*backAt) {
			f.Converted = true
		}
	}
	c := cal(src.Team)
	for i := 1; i < len(Stages); i++ {
		if reached[i] == nil {
			continue
		}
		f.Reached[i-1] = reached[i]
		f.Hours[i-1] = businessHours(c, *reached[i-1], *reached[i])
	}
	var fl flowData
	if reached[5] != nil && len(src.Flow) > 0 && json.Unmarshal(src.Flow, &fl) == nil && fl.Opportunity != nil {
		f.WonAmount, f.WonCurrency = fl.Opportunity.Amount, fl.Opportunity.Currency
	}
	return f
}

// versionKey names a definition in reports: its version, or the start of
// its hash when the file has no version.
func versionKey(version, hash string) string {
	if version != "" {
		return version
	}
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

// businessHours between two instants on a calendar (the clock without
// one), rounded to 0.1 hour: reports show no more, and the store keeps
// exact percentiles of rounded values.
func businessHours(c *calendar.Calendar, from, to time.Time) float64 {
	var d time.Duration
	if c != nil {
		d = c.BusinessTime(from, to)
	} else if to.After(from) {
		d = to.Sub(from)
	}
	return math.Round(d.Hours()*10) / 10
}

// isoWeek is the ISO 8601 week of t in loc, "2026-W47": weeks start on
// Monday and the first week of a year holds its first Thursday.
func isoWeek(t time.Time, loc *time.Location) string {
	y, w := t.In(loc).ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// month is the calendar month of t in loc, "2026-11".
func month(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }

func ptr(t time.Time) *time.Time { return &t }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
