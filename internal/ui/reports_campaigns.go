package ui

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// campaigns fills conversion and cost per campaign (report.Campaigns) and
// conversion per form, with the page's filters, and the cost form for
// those who may enter costs.
func (u *UI) campaigns(ctx context.Context, rq *request, f reportFilters, p *view.Reports, typed *view.CostForm) error {
	c, err := u.rep.Campaigns(ctx, f.query(f.from, f.to))
	if err != nil {
		return err
	}
	p.CostsHidden = f.scope.Limited
	var known []string
	// The campaigns that brought most leads first, those with a cost
	// before those without; inquiries without a campaign last.
	lines := slices.Clone(c.Campaigns)
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := lines[i], lines[j]
		if (a.Campaign == "") != (b.Campaign == "") {
			return b.Campaign == ""
		}
		if (len(a.Cost) > 0) != (len(b.Cost) > 0) {
			return len(a.Cost) > 0
		}
		return a.Counts[stage.Inquiry] > b.Counts[stage.Inquiry]
	})
	for _, l := range lines {
		label := l.Campaign
		if label == "" {
			label = rq.P.T("reports.no_campaign")
		}
		row := view.CampaignRow{ConvRow: convRow(rq, label, l.Counts[stage.Inquiry], l.Counts[stage.MQL], l.Counts[stage.Won], nil),
			Cost: "—", CostPerMQL: "—", CostPerWon: "—"}
		var costs []string
		for cur, v := range l.Cost {
			costs = append(costs, rq.P.Money(v, cur))
		}
		sort.Strings(costs)
		if len(costs) > 0 {
			row.Cost = strings.Join(costs, " + ")
		}
		if l.CostPerMQL != nil {
			row.CostPerMQL = rq.P.Money(*l.CostPerMQL, l.Currency)
		}
		if l.CostPerWon != nil {
			row.CostPerWon = rq.P.Money(*l.CostPerWon, l.Currency)
		}
		p.Campaigns = append(p.Campaigns, row)
	}
	for _, l := range c.Campaigns {
		if l.Campaign != "" {
			known = append(known, l.Campaign) // alphabetical, for the form's list
		}
	}
	p.CampaignsCSV = "/app/reports/campaigns.csv?" + f.values().Encode()
	q := f.query(f.from, f.to)
	q.GroupBy = []string{"form"}
	fun, err := u.rep.Funnel(ctx, q)
	if err != nil {
		return err
	}
	forms, err := u.svc.Forms(ctx)
	if err != nil {
		return err
	}
	titles := map[string]map[string]string{}
	for _, fm := range forms {
		titles[fm.Name] = fm.Title
	}
	p.Forms.MidLabel = rq.P.Maybe("stage."+stage.MQL, stage.MQL)
	for _, g := range fun.Groups {
		// A form by its title in the user's language (else in another).
		t := titles[g.Key]
		label := cmp.Or(t[rq.P.Lang], t["es"], t["pt"], t["en"], g.Key)
		if label == "" {
			label = rq.P.T("reports.no_form")
		}
		p.Forms.Rows = append(p.Forms.Rows, convRow(rq, label, g.Counts[stage.Inquiry], g.Counts[stage.MQL], g.Counts[stage.Won], nil))
	}
	if !access.Allows(rq.User.Role, access.Define) {
		return nil
	}
	form := typed
	if form == nil {
		form = &view.CostForm{Month: f.from.In(f.loc).Format("2006-01"), Currency: "USD"}
		if d := u.svc.Active(); d != nil && d.Def != nil && d.Def.Currency != "" {
			form.Currency = d.Def.Currency
		}
	}
	form.Known = known
	form.Action = "/app/reports/campaign-costs?" + f.values().Encode()
	p.CostForm = form
	return nil
}

// saveCampaignCost stores what a campaign cost in a month, entered on the
// reports page; the amount is read as the user's language writes numbers.
func (u *UI) saveCampaignCost(w http.ResponseWriter, r *http.Request, rq *request) error {
	typed := &view.CostForm{Campaign: r.PostFormValue("campaign"), Month: r.PostFormValue("month"),
		Amount: r.PostFormValue("amount"), Currency: r.PostFormValue("currency")}
	c := &store.CampaignCost{Campaign: typed.Campaign, Month: typed.Month, Currency: typed.Currency, UpdatedAt: u.now()}
	month, monthOK := rq.P.ParseMonth(typed.Month) // 11/2026 in es and pt, 2026-11 everywhere
	if monthOK {
		c.Month = month
	}
	amount, err := parseAmount(typed.Amount, rq.P.Lang)
	if err != nil || typed.Amount == "" {
		c.Amount = -1 // reported as the amount's problem below, with the others
	} else {
		c.Amount = amount
	}
	if err := report.CheckCampaignCost(c); err != nil {
		// The fields by their labels on the form; a month as the user's
		// language writes it.
		if pe, ok := problem.As(err); ok {
			for i, fl := range pe.Fields {
				if fl.Name == "month" && !monthOK && typed.Month != "" {
					fl = badMonth(rq.P, fl.Name, typed.Month)
				}
				fl.Name = rq.P.Maybe("reports."+fl.Name, fl.Name)
				pe.Fields[i] = fl
			}
		}
		return u.showReports(w, r, rq, http.StatusUnprocessableEntity, err, typed)
	}
	if err := u.db.PutCampaignCost(r.Context(), c); err != nil {
		return err
	}
	back := r.URL.Query()
	back.Set("done", "cost_saved")
	http.Redirect(w, r, "/app/reports?"+back.Encode()+"#campaigns-h", http.StatusSeeOther)
	return nil
}

// reportsCampaignsCSV is the campaigns report's table as CSV.
func (u *UI) reportsCampaignsCSV(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := u.reportFiltersOf(r, rq)
	if err != nil {
		return err
	}
	c, err := u.rep.Campaigns(r.Context(), f.query(f.from, f.to))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="campaigns.csv"`)
	return c.Table().WriteCSV(w)
}
