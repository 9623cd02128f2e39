// Package webform turns web-to-lead form posts into leads. A company pastes
// a plain HTML form (see Snippet and SNIPPET.md) on any site; the browser
// posts it to https://pista.example.com/f/{form}, urlencoded or multipart.
// This package is the pure part: configuration, mapping, spam signals, rate
// limiting and the snippet. The HTTP handler owns I/O and storage.
//
// # Endpoints the handler serves
//
// POST /f/{name}: cap the body (64 KiB is plenty; multipart files are
// ignored), parse it into r.PostForm, then
//
//	sub := webform.Map(cfg, r.PostForm, now, key)
//	if !limiter.Allow(clientIP, now) {
//		sub.Flag(webform.RateLimited) // stored and marked, not dropped
//	}
//	if len(sub.Missing) > 0 {
//		// store nothing; 303 to webform.ErrorLocation(cfg, sub.Missing),
//		// or, if that is "", 422 with a problem listing sub.Missing
//	}
//	// hand sub.Lead to intake, then 303 to cfg.ThankYouURL (or the
//	// hosted thank-you page)
//
// A form post is a navigation, not a fetch, so it needs no CORS headers.
//
// GET /f/{name}/stamp: 200, text/plain, the body Stamp(key, now), with
// Cache-Control: no-store and Access-Control-Allow-Origin: * because the
// snippet's script fetches it from the customer's site. 404 for an
// unknown form, so that the endpoint does not mint stamps for nothing.
//
// GET /f/{name}: a hosted page around Hosted(cfg, base, printer,
// Stamp(key, now), query, nil), which works without JavaScript; its
// LangField tells the POST handler to answer with pages in that language.
//
// key is a server secret of at least MinKeyBytes, the same on every
// instance. Changing it makes open forms' stamps "timestamp forged", which
// only marks those submissions.
//
// # Lead fields a form field can fill
//
// person.email, person.name (split into first and last), person.first_name,
// person.last_name, person.phone, person.title, person.seniority,
// person.department, person.country, person.region, person.city,
// person.language, company.name, company.domain, company.industry,
// company.employees, company.revenue, company.country, source.campaign,
// source.channel, source.referrer, and person.attributes.<key>,
// company.attributes.<key>, action.props.<key> with a snake_case key.
//
// # How values are read
//
// Values are trimmed and made valid UTF-8 without control characters; lead
// fields become one line. "N/A", "-", "none", "ninguno", "não tenho" and
// similar mean missing. E-mail is kept as typed (intake normalises it).
// A phone becomes E.164 using the person's country or DefaultCountry, or
// stays as typed with a note. Countries accept codes (co, COL, UK) and
// common names in es/pt/en. person.name "María José García López" gives
// first "María José", last "García López": one given name, or two when
// there are four or more words; "García, Ana" is surname first. Employees
// read "1.200", "1,200", "1000+", "50-200" (lower bound); revenue uses
// lead.ParseMoney. Seniority accepts the levels and common titles ("CEO",
// "Gerente", "Diretora"). A value that cannot be read is kept in
// action.props under its HTML name, listed in Unmapped, and explained in
// Notes; it never silently disappears. DefaultCountry fills person.country
// only when the person gave none.
//
// Lead fields are cut at 1,000 characters and free text (props,
// attributes, unmapped fields) at 10,000, with a note: longer is not a
// name, and a long message is not spam. A field sent several times uses
// its first non-empty value; the rest go to action.props.extra_values.
// At most 50 unmapped fields are kept, with a note counting the others.
//
// With UTM on (the default), utm_source (else utm_medium) fills
// source.channel, lower-cased, and utm_campaign fills source.campaign,
// unless the form maps those fields itself; the raw utm_* values are kept
// in action.props.
//
// action.props also holds spam_signals (Suspicious) and form_notes
// (Notes), so a stored lead explains itself; those names and extra_values
// are reserved. An unmapped field whose name is taken is kept as
// unmapped_<name>.
//
// # Spam
//
// Map never drops a submission; it lists reasons in Suspicious: "honeypot
// filled", "no timestamp", "timestamp forged", "timestamp in the future",
// "timestamp too old (...)", "filled in 1s (minimum 3s)", and, from the
// handler, RateLimited. A stamp can be replayed for up to a day; the
// Limiter bounds how fast one address can do that.
package webform
