package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
)

type campaignCostInput struct {
	Amount   *float64 `json:"amount"`
	Currency string   `json:"currency"`
}

// putCampaignCost sets what a campaign cost in a month: PUT
// /api/v1/campaigns/{campaign}/costs/{month} {"amount": 1200, "currency": "USD"}.
// Setting it again replaces it.
func (s *Server) putCampaignCost(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	var in campaignCostInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c := &store.CampaignCost{Campaign: r.PathValue("campaign"), Month: r.PathValue("month"), Currency: in.Currency, UpdatedAt: s.now()}
	if in.Amount == nil {
		return problem.Fields("bad campaign cost", problem.Field{Name: "amount", Reason: "required: what the campaign cost that month"})
	}
	c.Amount = *in.Amount
	if err := report.CheckCampaignCost(c); err != nil {
		return err
	}
	if err := s.db.PutCampaignCost(r.Context(), c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// deleteCampaignCost removes a month's cost of a campaign.
func (s *Server) deleteCampaignCost(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	err := s.db.DeleteCampaignCost(r.Context(), r.PathValue("campaign"), r.PathValue("month"))
	if errors.Is(err, store.ErrNotFound) {
		return problem.New(problem.NotFound, "no cost of campaign %q for %s", r.PathValue("campaign"), r.PathValue("month"))
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type campaignCosts struct {
	Costs []store.CampaignCost `json:"costs"`
}

// listCampaignCosts lists the costs entered for the months from..to
// (2026-01; default: all).
func (s *Server) listCampaignCosts(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	var bad []problem.Field
	for name, v := range map[string]string{"from": from, "to": to} {
		if _, err := time.Parse("2006-01", v); v != "" && err != nil {
			bad = append(bad, problem.Field{Name: name, Reason: "want a month as 2026-11"})
		}
	}
	if len(bad) > 0 {
		return problem.Fields("bad months", bad...)
	}
	if to == "" {
		to = "9999-12"
	}
	costs, err := s.db.CampaignCosts(r.Context(), from, to)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, campaignCosts{Costs: costs})
}

// campaignReport: per campaign, the period's inquiries, MQLs and won
// leads, and cost per MQL and per won lead where costs were entered.
func (s *Server) campaignReport(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	q, err := s.reportQuery(r)
	if err != nil {
		return err
	}
	if err := s.scopeQuery(r, tok, &q); err != nil {
		return err
	}
	c, err := s.reports.Campaigns(r.Context(), q)
	if err != nil {
		return err
	}
	return writeReport(w, r, "campaigns", c, c.Table)
}

type settingsBody struct {
	// Timezone is the organisation's IANA time zone: the days, ISO weeks
	// and months reports group by and read dates in.
	Timezone string `json:"timezone"`
}

// getSettings shows the organisation's settings; the time zone shown is
// the one in force (set, or the active definition's, or UTC).
func (s *Server) getSettings(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	loc, err := s.reports.Location(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, settingsBody{Timezone: loc.String()})
}

// putSettings changes the organisation's settings (admins).
func (s *Server) putSettings(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	var in settingsBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	in.Timezone = strings.TrimSpace(in.Timezone)
	if f, ok := access.CheckTimezone("timezone", in.Timezone); !ok || in.Timezone == "" {
		if in.Timezone == "" {
			f = problem.Field{Name: "timezone", Reason: "required: an IANA time zone name such as America/Bogota"}
		}
		return problem.Fields("bad settings", f)
	}
	if err := s.db.PutSetting(r.Context(), report.TimezoneSetting, in.Timezone, s.now()); err != nil {
		return err
	}
	return s.getSettings(w, r, nil)
}
