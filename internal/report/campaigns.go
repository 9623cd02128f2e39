package report

import (
	"context"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// Campaigns is what each campaign brought in a period (its cohort:
// inquiries in the period) and what it cost: cost per MQL and per won
// lead.
type Campaigns struct {
	From      time.Time      `json:"from"`
	To        time.Time      `json:"to"`
	Campaigns []CampaignLine `json:"campaigns"`
}

// CampaignLine is one campaign ("" for inquiries without one).
type CampaignLine struct {
	Campaign string           `json:"campaign"`
	Counts   map[string]int64 `json:"counts"`
	// Conversion from the inquiry to the MQL and to won.
	MQLRate *float64 `json:"mql_rate"`
	WonRate *float64 `json:"won_rate"`
	// Cost in the period, per currency: each month's cost entered times the
	// share of the month the period covers, in the organisation's time
	// zone. Cost per MQL and per won lead are given when the cost is in one
	// currency and there is something to divide by (else null).
	Cost       map[string]float64 `json:"cost"`
	Currency   string             `json:"currency,omitempty"`
	CostPerMQL *float64           `json:"cost_per_mql"`
	CostPerWon *float64           `json:"cost_per_won"`
	WonAmount  map[string]float64 `json:"won_amount"`
}

// Campaigns answers GET /api/v1/reports/campaigns: the funnel grouped by
// campaign, with the costs entered for the months the period touches.
func (r *Reports) Campaigns(ctx context.Context, q Query) (*Campaigns, error) {
	q.GroupBy, q.Flow = []string{"campaign"}, false
	fun, err := r.Funnel(ctx, q)
	if err != nil {
		return nil, err
	}
	loc, err := r.Location(ctx)
	if err != nil {
		return nil, err
	}
	costs, err := r.db.CampaignCosts(ctx, month(q.From, loc), month(q.To.Add(-time.Millisecond), loc))
	if err != nil {
		return nil, err
	}
	lines := map[string]*CampaignLine{}
	line := func(name string) *CampaignLine {
		l := lines[name]
		if l == nil {
			l = &CampaignLine{Campaign: name, Counts: map[string]int64{}, Cost: map[string]float64{}, WonAmount: map[string]float64{}}
			for _, s := range Stages {
				l.Counts[s] = 0
			}
			lines[name] = l
		}
		return l
	}
	for _, g := range fun.Groups {
		l := line(g.Key)
		l.Counts, l.WonAmount = g.Counts, g.WonAmount
	}
	filtered := len(q.Filters["campaign"]) > 0
	if q.Scope.Limited {
		// A campaign's cost is not split between teams: a cost per MQL
		// over some teams' leads would be wrong, so none is shown.
		costs = nil
	}
	for _, c := range costs {
		if filtered && !contains(q.Filters["campaign"], c.Campaign) {
			continue
		}
		share := monthShare(c.Month, loc, q.From, q.To)
		if share == 0 {
			continue
		}
		line(c.Campaign).Cost[c.Currency] += c.Amount * share
	}
	out := &Campaigns{From: q.From, To: q.To, Campaigns: []CampaignLine{}}
	for _, l := range lines {
		l.MQLRate = rate(l.Counts[Stages[1]], l.Counts[Stages[0]])
		l.WonRate = rate(l.Counts[Stages[5]], l.Counts[Stages[0]])
		for cur, v := range l.Cost {
			l.Cost[cur] = round2(v)
		}
		if len(l.Cost) == 1 {
			for cur, v := range l.Cost {
				l.Currency = cur
				l.CostPerMQL = per(v, l.Counts[Stages[1]])
				l.CostPerWon = per(v, l.Counts[Stages[5]])
			}
		}
		out.Campaigns = append(out.Campaigns, *l)
	}
	sort.Slice(out.Campaigns, func(i, j int) bool { return out.Campaigns[i].Campaign < out.Campaigns[j].Campaign })
	return out, nil
}

// monthShare is how much of the month ("2026-11", in loc) the period
// [from, to) covers, 0 to 1.
func monthShare(m string, loc *time.Location, from, to time.Time) float64 {
	start, err := time.ParseInLocation("2006-01", m, loc)
	if err != nil {
		return 0
	}
	end := start.AddDate(0, 1, 0)
	lo, hi := maxTime(start, from), minTime(end, to)
	if !hi.After(lo) {
		return 0
	}
	return float64(hi.Sub(lo)) / float64(end.Sub(start))
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// per is cost / n rounded to cents; nil when n is zero.
func per(cost float64, n int64) *float64 {
	if n == 0 {
		return nil
	}
	v := round2(cost / float64(n))
	return &v
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Table flattens the campaigns: one row per campaign and currency of cost.
func (c *Campaigns) Table() *Table {
	t := &Table{Header: []string{"campaign", "inquiry", "mql", "won", "mql_rate", "won_rate", "cost", "currency", "cost_per_mql", "cost_per_won"}}
	for _, l := range c.Campaigns {
		row := []string{text(l.Campaign), num(l.Counts[Stages[0]]), num(l.Counts[Stages[1]]), num(l.Counts[Stages[5]]), opt(l.MQLRate), opt(l.WonRate)}
		if len(l.Cost) == 0 {
			t.Rows = append(t.Rows, append(row, "", "", "", ""))
			continue
		}
		curs := make([]string, 0, len(l.Cost))
		for cur := range l.Cost {
			curs = append(curs, cur)
		}
		sort.Strings(curs)
		for _, cur := range curs {
			t.Rows = append(t.Rows, append(append([]string{}, row...), flt(l.Cost[cur]), text(cur), opt(l.CostPerMQL), opt(l.CostPerWon)))
		}
	}
	return t
}

// CheckCampaignCost checks a cost before it is stored: the campaign named
// (at most 200 characters), the month as 2026-11, an amount of zero or
// more, a three-letter ISO 4217 currency (upper-cased here).
func CheckCampaignCost(c *store.CampaignCost) error {
	var bad []problem.Field
	c.Campaign, c.Currency = strings.TrimSpace(c.Campaign), strings.ToUpper(strings.TrimSpace(c.Currency))
	if c.Campaign == "" || len(c.Campaign) > 200 {
		bad = append(bad, problem.Field{Name: "campaign", Reason: "name the campaign (1 to 200 characters), as leads carry it in source.campaign", Code: "campaign_name"})
	}
	if t, err := time.Parse("2006-01", c.Month); err != nil || t.Format("2006-01") != c.Month {
		bad = append(bad, problem.Field{Name: "month", Reason: "want a month as 2026-11", Code: "campaign_month"})
	}
	if math.IsNaN(c.Amount) || math.IsInf(c.Amount, 0) || c.Amount < 0 || c.Amount > 1e12 {
		bad = append(bad, problem.Field{Name: "amount", Reason: "want an amount of zero or more", Code: "campaign_amount"})
	}
	if len(c.Currency) != 3 || strings.Trim(c.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		bad = append(bad, problem.Field{Name: "currency", Reason: "want a three-letter ISO 4217 code such as USD", Code: "campaign_currency"})
	}
	if len(bad) > 0 {
		return problem.Fields("bad campaign cost", bad...)
	}
	return nil
}
