package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

// profile is one generated submission with the hidden facts behind it.
type profile struct {
	lead   lead.Lead
	loc    locale
	co     company
	person person
	junk   string
	// fit is the hidden truth outcomes are drawn from: industry,
	// seniority, revenue, country, intent, plus noise no feature explains.
	fit float64
	// interest drives how much web behaviour the person leaves.
	interest float64
}

// Inquiry returns one random realistic inquiry with a single action at
// at: a person, their company and how they arrived. About 5% are junk
// (fake names, test values, disposable addresses). It keeps no state, so
// it never repeats a person on purpose; callers that want re-submissions
// re-send an earlier email (the load tool does).
func Inquiry(rng *rand.Rand, at time.Time) lead.Lead {
	pr := newProfile(rng, at)
	return pr.lead
}

// newProfile draws a submission with its first action at at.
func newProfile(r *rand.Rand, at time.Time) profile {
	ci := pick(r, countryShares)
	if chance(r, inquiryJunk) {
		return junkProfile(r, ci, at)
	}
	pr := profile{co: newCompany(r, ci)}
	pc := ci
	if chance(r, 0.04) {
		pc = pick(r, countryShares) // works remotely for a foreign company
	}
	pr.person = newPerson(r, &pr.co, pc)
	pr.loc = pr.person.loc
	src := newSource(r, pr.loc)
	if src.Format == "referral" {
		src.Referrer = referrer(r, ci)
	}
	l := lead.Lead{Person: pr.person.Person, Company: pr.co.submitted(r, src.Format), Source: src}
	typ := pick(r, firstActions[src.Format])
	l.Actions = []lead.Action{{Type: typ, At: at, Props: actionProps(r, pr.loc, typ, &src)}}
	pr.lead = l
	pr.fit, pr.interest = fitOf(r, &pr, typ)
	return pr
}

// fitOf computes the hidden fit and interest of a regular profile.
func fitOf(r *rand.Rand, pr *profile, action string) (fit, interest float64) {
	intent := intentOf[action]
	f := industries[pr.co.ind].fit + fitOfSeniority[pr.person.Seniority] + intent
	switch rev := pr.co.revenueUSD; {
	case rev >= 3.3e9:
		f += 0.9
	case rev >= 3e8:
		f += 0.5
	case rev >= 5e7:
		f += 0.2
	case rev > 0 && rev < 5e6:
		f -= 0.3
	}
	switch countries[pr.co.ci].code {
	case "US", "CA":
		f += 0.6
	case "ES":
		f += 0.1
	}
	switch src := pr.lead.Source; {
	case src.Format == "referral" && src.Trusted:
		f += 0.4
	case src.Format == "purchased_list":
		f -= 0.5
	}
	interest = intent + 0.35*f + r.NormFloat64()*0.7
	fit = f + r.NormFloat64()*0.6
	return fit, interest
}

// referrer names who referred the person: a customer or partner company.
func referrer(r *rand.Rand, ci int) string {
	co := newCompany(r, ci)
	return co.name
}

// junkProfile is a junk submission from country ci.
func junkProfile(r *rand.Rand, ci int, at time.Time) profile {
	p, co, loc, kind := junkLead(r, ci)
	typ := pick(r, []w[string]{{actNewsletter, 40}, {actDownload, 35}, {actContactForm, 15}, {actPriceRequest, 5}, {actDemoRequest, 5}})
	l := lead.Lead{Person: p, Company: co, Source: lead.Source{Format: "web_form", Channel: pick(r, webChannels)}}
	l.Actions = []lead.Action{{Type: typ, At: at, Props: actionProps(r, loc, typ, nil)}}
	return profile{lead: l, loc: loc, junk: kind, fit: -3, interest: -1.5,
		co: company{ci: ci, ind: -1}, person: person{Person: p, loc: loc}}
}

// moreActions appends the later actions of people who come back (a third
// of them, more often the interested ones), before end.
func moreActions(r *rand.Rand, pr *profile, end time.Time) {
	n := 1
	if chance(r, 0.22+0.08*math.Max(-1, math.Min(pr.interest, 2))) {
		n++
		if chance(r, 0.3) {
			n++
		}
	}
	for len(pr.lead.Actions) < n {
		prev := pr.lead.Actions[len(pr.lead.Actions)-1].At
		at := prev.Add(time.Duration(logNormal(r, 5*24, 1) * float64(time.Hour))).Truncate(time.Second)
		if at.After(end) {
			return
		}
		typ := pick(r, nextActions)
		pr.lead.Actions = append(pr.lead.Actions, lead.Action{Type: typ, At: at, Props: actionProps(r, pr.loc, typ, &pr.lead.Source)})
	}
}
