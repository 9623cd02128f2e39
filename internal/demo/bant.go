package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

// authorityShares: who answers "do you decide this purchase?" with what,
// by seniority. An influencer means "find the decision-maker" (seed 004).
var authorityShares = map[string][]w[string]{
	senCLevel:   {{lead.DecisionMaker, 85}, {lead.Influencer, 12}, {lead.Unknown, 3}},
	senOwner:    {{lead.DecisionMaker, 88}, {lead.Influencer, 8}, {lead.Unknown, 4}},
	senSVP:      {{lead.DecisionMaker, 70}, {lead.Influencer, 26}, {lead.Unknown, 4}},
	senVP:       {{lead.DecisionMaker, 62}, {lead.Influencer, 33}, {lead.Unknown, 5}},
	senDirector: {{lead.DecisionMaker, 40}, {lead.Influencer, 50}, {lead.Gatekeeper, 5}, {lead.Unknown, 5}},
	senManager:  {{lead.DecisionMaker, 15}, {lead.Influencer, 60}, {lead.Gatekeeper, 15}, {lead.Unknown, 10}},
	senStaff:    {{lead.DecisionMaker, 3}, {lead.Influencer, 40}, {lead.Gatekeeper, 40}, {lead.Unknown, 17}},
	senStudent:  {{lead.Influencer, 10}, {lead.Gatekeeper, 30}, {lead.Unknown, 60}},
}

// timingChoices are answers to "when do you plan to buy?" in months
// (0.1 ≈ three days).
var timingChoices = []float64{0.1, 0.25, 0.5, 1, 2, 3, 4, 6, 9, 12, 18, 24}

// bantNotes are what a BDR writes after the call, by locale.
var bantNotes = [numLocales][]string{
	es: {"Renovación de registradores en 3 plantas.", "Auditoría INVIMA en el próximo trimestre.", "Pidió cotización formal por correo.",
		"Comparando con otro proveedor.", "Solo está investigando por ahora.", "Necesita aprobación del comité de compras."},
	pt: {"Renovação de registradores em 2 fábricas.", "Auditoria da ANVISA no próximo trimestre.", "Pediu proposta formal por e-mail.",
		"Comparando com concorrente.", "Ainda pesquisando."},
	en: {"Replacing loggers in two warehouses.", "FDA audit next quarter.", "Asked for a formal quote.",
		"Evaluating a competitor too.", "Early research only.", "Needs sign-off from procurement."},
	fr: {"Remplacement des enregistreurs de deux entrepôts.", "Demande une soumission officielle.", "Recherche préliminaire seulement."},
}

// qualify is the BANT call of a BDR. q is the hidden propensity (0..1):
// buyers who will buy tend to confirm a need, have a budget and a near
// date, but answers are noisy, as calls are.
func qualify(r *rand.Rand, pr *profile, q float64, first, end time.Time) *lead.Qualification {
	out := &lead.Qualification{
		By:     one(r, bdrs[pr.loc]),
		Role:   "bdr",
		Method: "call",
	}
	delay := time.Duration((0.2 + logNormal(r, 24, 1.3)) * float64(time.Hour))
	out.At = first.Add(delay)
	if out.At.After(end) {
		out.At = first.Add(end.Sub(first) / 2)
	}
	out.At = out.At.Truncate(time.Minute)
	if out.At.Before(first) {
		out.At = first
	}

	out.Authority = pick(r, authorityShares[pr.person.Seniority])
	out.Need = pick(r, []w[string]{{lead.NeedConfirmed, 0.2 + 0.6*q}, {lead.NeedLatent, 0.35}, {lead.NeedNone, 0.45 - 0.4*q}})
	if chance(r, 0.85) {
		// Higher propensity shifts the answer to sooner dates.
		i := int(math.Round((1-q)*8 + r.NormFloat64()*2.5))
		m := timingChoices[max(0, min(i, len(timingChoices)-1))]
		out.TimingMonths = &m
	}
	if chance(r, 0.88) {
		out.Budget = budget(r, pr, q)
	}
	if chance(r, 0.4) {
		out.Notes = one(r, bantNotes[pr.loc])
	}
	return out
}

// budget is what the person says they can spend, in their currency: a
// range ("between 20 and 40 million pesos") or one amount. Bigger
// companies buy more; low-propensity people often have too little.
func budget(r *rand.Rand, pr *profile, q float64) *lead.Budget {
	c := &countries[pr.co.ci]
	size := math.Pow(math.Max(float64(pr.co.employees), 10)/200, 0.3)
	usd := logNormal(r, 4000*size*(0.5+1.5*q), 0.9)
	local := usd * c.perUSD
	b := &lead.Budget{Currency: c.currency}
	if chance(r, 0.6) {
		b.Min, b.Max = roundSig(local*0.75, 2), roundSig(local*1.3, 2)
	} else {
		b.Min = roundSig(local, 2)
		b.Max = b.Min
	}
	return b
}

// bantPoints scores answers like seed 004: 25 per criterion met, with
// the thresholds of examples/definitions/instrumentos.yaml (3,500 USD,
// within 6 months).
func bantPoints(q *lead.Qualification) float64 {
	if q == nil {
		return 0
	}
	pts := 0.0
	if b := q.Budget; b != nil {
		perUSD := 1.0
		for i := range countries {
			if countries[i].currency == b.Currency {
				perUSD = countries[i].perUSD
			}
		}
		if math.Max(b.Min, b.Max)/perUSD >= 3500 {
			pts += 25
		}
	}
	switch q.Authority {
	case lead.DecisionMaker:
		pts += 25
	case lead.Influencer:
		pts += 10
	}
	switch q.Need {
	case lead.NeedConfirmed:
		pts += 25
	case lead.NeedLatent:
		pts += 10
	}
	if q.TimingMonths != nil && *q.TimingMonths <= 6 {
		pts += 25
	}
	return pts
}
