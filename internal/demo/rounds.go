package demo

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/webform"
)

// What sales does with a lead that comes back from nurture, the discovery
// call a rep makes, the forms people used and what marketing spent: the
// parts of the demo's months that PlanSales does not draw. Like PlanSales
// they are pure functions of an item (and a round), so a run is the same
// however it is scheduled.

// PlanRound is the plan for the round-th time a lead is routed to sales:
// round 0 is PlanSales; later rounds are a lead back from nurture. A buyer
// (an item with an outcome) often converts then; most others are given
// back again, for good (not a fit, wrong contact) or to nurture once more.
func PlanRound(it Item, round int) SalesPlan {
	if round <= 0 {
		return PlanSales(it)
	}
	email := strings.ToLower(strings.TrimSpace(it.Lead.Person.Email))
	salt := fmt.Sprintf("round-%d-", round)
	u := func(s string) float64 { return float64(hash64(salt+s, email)>>11) / (1 << 53) }
	var p SalesPlan
	switch x := u("touch"); {
	case x < 0.76:
		p.Touch, p.TouchAt = TouchInTime, 0.05+0.85*u("touch-at")
	case x < 0.95:
		p.Touch, p.TouchAt = TouchLate, math.Round(1+29*u("touch-at"))
	default:
		p.Touch = TouchNever
		return p
	}
	kind := pickU(u("touch-kind"), touchKinds)
	p.TouchKind, p.TouchOut = kind[0], kind[1]
	buyer := it.Outcome != ""
	switch {
	case buyer && u("convert") < 0.6:
		p.Deal = deal(it, u("amount"))
		switch it.Outcome {
		case Won, Lost:
			p.Close = slip(it.Outcome, u("slip"))
		}
		if p.Close == Lost {
			p.LostReason = pickU(u("lost"), lostReasons)
		}
	case u("reject") < 0.85:
		p.Reject = pickU(u("reason"), recycledRejects)
		if p.Reject == "other" {
			p.RejectText = "Sigue sin proyecto; volver a intentar más adelante."
		}
	}
	return p
}

// recycledRejects: a lead back from nurture is more often out of the
// segment for good than the first time.
var recycledRejects = []w[string]{
	{"not_a_fit", 34}, {"no_budget", 22}, {"bad_timing", 18}, {"wrong_contact", 14}, {"duplicate", 4}, {"other", 8},
}

// RepCall is the discovery call a rep makes on a lead they work: a buyer
// (deal != nil) confirms budget, authority, need and a near date, which
// reaches the bundled definition's SQL gate; anyone else falls short (not
// the person who decides, a small budget, no date). by is the rep's e-mail.
func RepCall(it Item, deal *Deal, by string, at time.Time) lead.Qualification {
	q := lead.Qualification{By: by, Role: "rep", Method: "call", At: at}
	email := strings.ToLower(strings.TrimSpace(it.Lead.Person.Email))
	u := func(s string) float64 { return float64(hash64("call-"+s, email)>>11) / (1 << 53) }
	if deal != nil {
		months := timingChoices[int(u("timing")*5)] // within four months
		q.Authority, q.Need, q.TimingMonths = lead.DecisionMaker, lead.NeedConfirmed, &months
		q.Budget = &lead.Budget{Min: roundSig(deal.Amount*0.8, 2), Max: roundSig(deal.Amount*1.2, 2), Currency: deal.Currency}
		return q
	}
	months := timingChoices[8+int(u("timing")*4)] // nine months or later
	q.Authority = pickU(u("authority"), []w[string]{{lead.Gatekeeper, 60}, {lead.Unknown, 40}})
	q.Need, q.TimingMonths = pickU(u("need"), []w[string]{{lead.NeedLatent, 60}, {lead.NeedNone, 40}}), &months
	q.Budget = &lead.Budget{Min: roundSig(800+2000*u("budget"), 2), Max: roundSig(800+2000*u("budget"), 2), Currency: "USD"}
	return q
}

// FormOf is the name of the web form an inquiry of this action came
// through, for inquiries that arrived by web form ("" otherwise): the
// reports group conversion by form.
func FormOf(source, action string) string {
	if source != "web_form" {
		return ""
	}
	switch action {
	case actPriceRequest:
		return "cotizacion"
	case actDemoRequest:
		return "demo"
	case actContactForm:
		return "contacto"
	case actDownload:
		return "descargas"
	case actNewsletter:
		return "boletin"
	case actWebinarReg, actWebinarAtt:
		return "webinar"
	}
	return ""
}

// Forms are the demo's web forms, the ones FormOf names, with their
// titles in Spanish, Portuguese and English: the web app lists them and
// its reports name each form by its title.
func Forms() []*webform.Config {
	form := func(name, action, es, pt, en string) *webform.Config {
		return &webform.Config{Name: name, Action: action, Title: map[string]string{"es": es, "pt": pt, "en": en},
			Fields: map[string]string{"name": "person.name", "email": "person.email", "company": "company.name", "country": "company.country"}}
	}
	return []*webform.Config{
		form("cotizacion", actPriceRequest, "Solicitud de cotización", "Pedido de cotação", "Quote request"),
		form("demo", actDemoRequest, "Solicitud de demostración", "Pedido de demonstração", "Demo request"),
		form("contacto", actContactForm, "Contacto", "Contato", "Contact us"),
		form("descargas", actDownload, "Descargas", "Downloads", "Downloads"),
		form("boletin", actNewsletter, "Boletín", "Newsletter", "Newsletter"),
		form("webinar", actWebinarReg, "Inscripción al webinar", "Inscrição no webinar", "Webinar registration"),
	}
}

// Cost is what marketing spent on a campaign in a month.
type Cost struct {
	Campaign string
	Month    string // "2026-11"
	Amount   float64
	Currency string
}

// paidCampaigns are the campaigns marketing enters costs for (paid search,
// social, events and bought lists), with a typical monthly spend in USD.
var paidCampaigns = []w[string]{
	{"sem-dataloggers", 1800}, {"sem-precios-2026", 1200}, {"google-ads-humedad", 900}, {"linkedin-ciencias-vida", 2400},
	{"sem-data-loggers", 2600}, {"sem-pricing-2026", 1500}, {"linkedin-life-sciences", 3200}, {"interphex-2026", 9000},
	{"sem-dataloggers-br", 1100}, {"expo-farma-2026", 6000}, {"base-asociacion-farma", 1500}, {"ispe-members-2025", 2000},
}

// CampaignCosts are the monthly costs of the paid campaigns over the
// months [from, to], the same for the same months.
func CampaignCosts(from, to time.Time) []Cost {
	var out []Cost
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(to); m = m.AddDate(0, 1, 0) {
		month := m.Format("2006-01")
		for _, c := range paidCampaigns {
			x := float64(hash64("cost-"+month, c.v)>>11) / (1 << 53)
			out = append(out, Cost{Campaign: c.v, Month: month, Amount: roundSig(c.weight*(0.7+0.6*x), 2), Currency: "USD"})
		}
	}
	return out
}
