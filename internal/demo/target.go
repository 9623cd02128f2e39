package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

// targetProfile is a person of the ideal customer profile arriving in
// format: a VP or more senior at a large (3,300 M USD or more)
// life-sciences company in the United States or Canada. These are the
// people the bundled definition's lead gate describes (seed 002); most
// leave the web behaviour that completes it. What they do first depends
// on how they arrived (targetActions), and not every first action is one
// the gate accepts (a contact form, a webinar registration, a newsletter
// from a bought list, an untrusted referral), so sources convert
// differently even among these people.
func targetProfile(r *rand.Rand, at time.Time, format string) profile {
	ci := countryIndex("US")
	if chance(r, 0.25) {
		ci = countryIndex("CA")
	}
	loc := countries[ci].loc
	ind := industryIndex("life_sciences")
	var co company
	for range 400 { // large companies are a few percent of them
		co = buildCompany(ci, loc, ind, r.IntN(len(companyRoots[loc])), r.IntN(len(industries[ind].words[loc])))
		if co.revenueUSD >= 3.3e9 {
			break
		}
	}
	pr := profile{co: co}
	for range 60 {
		pr.person = newPerson(r, &pr.co, ci)
		if slices.Contains([]string{senVP, senSVP, senCLevel}, pr.person.Seniority) {
			break
		}
	}
	pr.loc = pr.person.loc
	// Marketing's campaigns aim at them: paid channels more than others.
	src := sourceOf(r, pr.loc, format, []w[string]{{"paid_social", 35}, {"paid_search", 30}, {"organic", 15}, {"email", 15}, {"direct", 5}})
	if format == "referral" {
		src.Referrer = referrer(r, ci)
		src.Trusted = chance(r, 0.85) // customers and partners who know them
	}
	typ := pick(r, targetActions[format])
	var props map[string]any
	if typ == actDownload {
		props = download(r, pr.loc, 0.9)
	} else {
		props = actionProps(r, pr.loc, typ, &src)
	}
	co2 := pr.co.lead // the campaign's form asks for revenue
	if chance(r, 0.2) {
		co2.Employees = 0
	}
	pr.lead = lead.Lead{Person: pr.person.Person, Company: co2, Source: src,
		Actions: []lead.Action{{Type: typ, At: at, Props: props}}}
	pr.fit, pr.interest = fitOf(r, &pr, typ)
	pr.interest += 2 // they came for the product: long product sessions
	return pr
}

// targetActions is what people of the ideal customer profile do first,
// by format.
var targetActions = map[string][]w[string]{
	"web_form":       {{actPriceRequest, 55}, {actDownload, 45}},
	"api":            {{actPriceRequest, 40}, {actDownload, 35}, {actContactForm, 25}},
	"webinar_list":   {{actWebinarAtt, 100}},
	"business_cards": {{actPriceRequest, 55}, {actContactForm, 45}},
	"referral":       {{actReferral, 100}},
	"import":         {{actDownload, 60}, {actWebinarReg, 40}},
	"purchased_list": {{actDownload, 65}, {actNewsletter, 35}},
}

// targetShares is how much likelier than average a regular person
// arriving in each format is of the ideal customer profile: referrals
// and webinar attendees most, bought lists least.
var targetShares = func() map[string]float64 {
	rel := map[string]float64{"referral": 2.9, "webinar_list": 1.8, "business_cards": 1.6, "web_form": 0.8, "api": 0.7,
		"import": 0.8, "purchased_list": 1.1}
	var mean float64
	for _, f := range formatShares {
		mean += f.weight * rel[f.v]
	}
	var total float64
	for _, f := range formatShares {
		total += f.weight
	}
	mean /= total
	for k := range rel {
		rel[k] /= mean
	}
	return rel
}()

func countryIndex(code string) int {
	for i := range countries {
		if countries[i].code == code {
			return i
		}
	}
	return 0
}

func industryIndex(code string) int {
	for i := range industries {
		if industries[i].code == code {
			return i
		}
	}
	return 0
}
