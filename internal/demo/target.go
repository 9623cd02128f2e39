package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

// targetProfile is a person of the ideal customer profile, as an
// account-based campaign brings them: a VP or more senior at a large
// (3,300 M USD or more) life-sciences company in the United States or
// Canada, arriving by a webinar, a price request or a high-value download
// from a campaign aimed at them. These are the people the bundled
// definition's lead gate describes (seed 002); most leave the web
// behaviour that completes it.
func targetProfile(r *rand.Rand, at time.Time) profile {
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
	src := lead.Source{Format: "web_form", Channel: "paid_social"}
	typ := pick(r, []w[string]{{actWebinarAtt, 40}, {actPriceRequest, 35}, {actDownload, 25}})
	if typ == actWebinarAtt {
		src.Format, src.Channel = "webinar_list", "webinar"
	}
	if camps := campaigns[pr.loc][src.Channel]; len(camps) > 0 {
		src.Campaign = camps[0]
	}
	var props map[string]any
	if typ == actDownload {
		props = download(r, pr.loc, 1)
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
