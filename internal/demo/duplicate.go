package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

// How a re-submission can be recognised (Truth.Duplicate).
const (
	DupSameEmail = "same_email" // the same address again
	DupEmailCase = "email_case" // the same address typed with other capitals
	DupSamePhone = "same_phone" // the same phone with another (personal) address
)

// recentWindow bounds the people that can re-submit, and so the memory.
const recentWindow = 2048

// recent is what a re-submission needs to know about an earlier item.
type recent struct {
	id       string
	loc      locale
	ci       int
	person   lead.Person
	company  lead.Company
	last     time.Time // the earlier item's last action
	interest float64
	fit      float64
}

// recentPeople is a ring buffer of the latest regular items.
type recentPeople struct {
	buf  [recentWindow]recent
	n    int
	next int
}

func (rp *recentPeople) add(x recent) {
	rp.buf[rp.next] = x
	rp.next = (rp.next + 1) % recentWindow
	rp.n = min(rp.n+1, recentWindow)
}

func (rp *recentPeople) pick(r *rand.Rand) *recent { return &rp.buf[r.IntN(rp.n)] }

// duplicate makes item id a re-submission by someone in the recent window:
// later than their last action, with a new source and action, and the
// small differences of a form filled in again. It fails when the
// re-submission would fall after End.
func (g *generator) duplicate(base time.Time, id string) (Item, bool) {
	r := g.r
	orig := g.recent.pick(r)
	at := g.workingTime(base, countries[orig.ci].utcOffset)
	if earliest := orig.last.Add(time.Hour + time.Duration(logNormal(r, 48, 1.2)*float64(time.Hour))); at.Before(earliest) {
		at = earliest.Truncate(time.Second)
	}
	if at.After(g.cfg.End) {
		return Item{}, false
	}
	p := orig.person
	kind := pick(r, []w[string]{{DupSameEmail, 40}, {DupEmailCase, 30}, {DupSamePhone, 30}})
	if kind == DupSamePhone && p.Phone == "" {
		kind = DupEmailCase
	}
	switch kind {
	case DupEmailCase:
		p.Email = recase(r, p.Email)
	case DupSamePhone:
		p.Email = personalEmail(r, &p, orig.loc, p.Email)
		if chance(r, 0.5) {
			p.Phone = compactPhone(p.Phone)
		}
	}
	if kind != DupSamePhone && chance(r, 0.3) {
		p.Phone = ""
	}
	if chance(r, 0.25) {
		p.Title = ""
	}
	src := newSource(r, orig.loc)
	if src.Format == "referral" {
		src.Referrer = referrer(r, orig.ci)
	}
	typ := pick(r, firstActions[src.Format])
	pr := profile{loc: orig.loc, interest: orig.interest, fit: orig.fit,
		lead: lead.Lead{ID: id, Person: p, Company: orig.company, Source: src,
			Actions: []lead.Action{{Type: typ, At: at, Props: actionProps(r, orig.loc, typ, &src)}}}}
	moreActions(r, &pr, g.cfg.End)
	return Item{Lead: pr.lead, Events: g.events(&pr),
		Truth: Truth{DuplicateOf: orig.id, Duplicate: kind, Fit: orig.fit}}, true
}

// recase writes an address with other capitals, as people retype it.
func recase(r *rand.Rand, addr string) string {
	at := strings.LastIndexByte(addr, '@')
	local, domain := addr[:at], addr[at+1:]
	switch r.IntN(3) {
	case 0:
		return strings.ToUpper(addr)
	case 1:
		return local + "@" + strings.ToUpper(domain)
	}
	b := []byte(addr)
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '.' || c == '_' || c == '@'
		if i == 0 {
			up = false
		}
	}
	out := string(b)
	if out == addr {
		return strings.ToUpper(addr)
	}
	return out
}

// personalEmail is the consumer mailbox the person uses this time.
func personalEmail(r *rand.Rand, p *lead.Person, loc locale, not string) string {
	first := fold(strings.Fields(p.FirstName)[0])
	last := fold(strings.Fields(p.LastName)[0])
	local := first + "." + last + strconv.Itoa(10+r.IntN(90))
	e := local + "@" + pick(r, freeMail[loc])
	if strings.EqualFold(e, not) {
		e = first + last + strconv.Itoa(1960+r.IntN(45)) + "@gmail.com"
	}
	return e
}

// compactPhone drops spaces and punctuation: "(601) 234 5678" → "6012345678".
func compactPhone(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c == '+' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}
