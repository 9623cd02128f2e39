package ui

import (
	"net/http"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/ui/view"
)

// campaignsPage lists the campaign costs marketing entered (what the
// campaigns report divides by MQLs and won leads) and takes a CSV of
// more, as `pista campaign-costs import` does.
func (u *UI) campaignsPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.showCampaigns(w, r, rq, http.StatusOK, &view.Campaigns{})
}

// showCampaigns renders the page with its costs, and p's errors.
func (u *UI) showCampaigns(w http.ResponseWriter, r *http.Request, rq *request, status int, p *view.Campaigns) error {
	costs, err := u.db.CampaignCosts(r.Context(), "0000-01", "9999-12")
	if err != nil {
		return err
	}
	p.Base = u.base(r, rq, "camp.title")
	for _, c := range costs {
		p.Rows = append(p.Rows, view.CostRow{Campaign: c.Campaign, Month: c.Month, Amount: rq.P.Money(c.Amount, c.Currency), Updated: c.UpdatedAt})
	}
	return u.render(w, status, "campaigns", p)
}

// campaignCostsUpload imports a CSV of campaign costs: all of its lines,
// or none when one is bad, each bad line and field named on the page.
func (u *UI) campaignCostsUpload(w http.ResponseWriter, r *http.Request, rq *request) error {
	file, _, err := r.FormFile("file")
	if err != nil {
		return u.showCampaigns(w, r, rq, http.StatusUnprocessableEntity, &view.Campaigns{
			FileError: rq.P.Problem(problem.Coded(problem.Invalid, "costs_no_file", nil, "attach the CSV file of costs"))})
	}
	defer file.Close()
	costs, bad, err := report.ParseCampaignCosts(file)
	if err != nil {
		if _, ok := problem.As(err); !ok {
			return err
		}
		return u.showCampaigns(w, r, rq, http.StatusUnprocessableEntity, &view.Campaigns{FileError: rq.P.Problem(err)})
	}
	if len(bad) > 0 {
		p := &view.Campaigns{FileError: rq.P.T("camp.bad_lines", len(bad))}
		for _, b := range bad {
			for _, f := range b.Fields {
				p.BadLines = append(p.BadLines, view.CostLine{Line: b.Line, Field: rq.P.Maybe("camp.field."+f.Name, f.Name), Reason: rq.P.Field(f)})
			}
		}
		return u.showCampaigns(w, r, rq, http.StatusUnprocessableEntity, p)
	}
	now := u.now()
	for i := range costs {
		costs[i].UpdatedAt = now
	}
	if err := u.db.PutCampaignCosts(r.Context(), costs); err != nil {
		return err
	}
	http.Redirect(w, r, "/app/campaigns?done=costs_imported", http.StatusSeeOther)
	return nil
}
