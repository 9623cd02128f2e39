package quality

import (
	_ "embed"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

// disposableList is data/disposable_domains.txt: lower-case punycode
// domains, one per line. See data/README.md for source, licence and refresh.
//
//go:embed data/disposable_domains.txt
var disposableList string

// disposableSet is built on first use rather than at start-up: the CLI's
// other subcommands never look at emails and should not pay for indexing
// 120,000 lines (BenchmarkDisposableSet).
var disposableSet = sync.OnceValue(buildDisposableSet)

// domainSet is a set of domains held as the text they were read from and,
// sorted by domain, where each one is in it. It holds no pointers for the
// garbage collector to follow: as a map of 120,000 strings the disposable
// list was about 7 MB that every collection scanned, a sixth of a large
// import's live heap (docs/PERFORMANCE.md).
type domainSet struct {
	text  string
	spans []span
}

// span is where one domain is in domainSet.text.
type span struct{ start, end uint32 }

// buildDisposableSet indexes disposableList.
func buildDisposableSet() domainSet { return newDomainSet(disposableList) }

// newDomainSet indexes text: one domain per line, blank lines skipped.
func newDomainSet(text string) domainSet {
	s := domainSet{text: text, spans: make([]span, 0, strings.Count(text, "\n")+1)}
	start := 0 // of the line in text
	for line := range strings.Lines(text) {
		if d := strings.TrimSpace(line); d != "" {
			from := start + strings.Index(line, d)
			s.spans = append(s.spans, span{uint32(from), uint32(from + len(d))})
		}
		start += len(line)
	}
	// The file comes sorted (data/refresh.go); sort it anyway if not.
	byDomain := func(a, b span) int { return strings.Compare(s.at(a), s.at(b)) }
	if !slices.IsSortedFunc(s.spans, byDomain) {
		slices.SortFunc(s.spans, byDomain)
	}
	return s
}

func (s domainSet) at(sp span) string { return s.text[sp.start:sp.end] }

// has reports whether d is in the set.
func (s domainSet) has(d string) bool {
	_, ok := slices.BinarySearchFunc(s.spans, d, func(sp span, d string) int { return strings.Compare(s.at(sp), d) })
	return ok
}

// IsDisposableDomain reports whether mail to domain goes to a throw-away
// mailbox service. A subdomain of a listed domain counts too, because these
// services hand out unlimited subdomains (anything.33mail.com). The domain
// may be in any case or in Unicode; something that is not a domain is not
// disposable.
func IsDisposableDomain(domain string) bool {
	d, ok := lookupDomain(domain)
	return ok && isDisposable(d)
}

// isDisposable expects a normalised domain. It stops before the top-level
// domain: no listed entry is a bare TLD, and the refresh drops public
// suffixes.
func isDisposable(d string) bool {
	set := disposableSet()
	for {
		dot := strings.IndexByte(d, '.')
		if dot < 0 {
			return false
		}
		if set.has(d) {
			return true
		}
		d = d[dot+1:]
	}
}

// lookupDomain accepts a domain as callers hold it (maybe upper-case,
// Unicode or with a trailing dot from DNS tools) and returns the form the
// tables use.
func lookupDomain(domain string) (string, bool) {
	d := strings.TrimSuffix(trimSpace(domain), ".")
	if d == "" || len(d) > maxDomainLen*4 {
		return "", false
	}
	n, p, _ := normalizeDomain(d)
	return n, p == emailOK
}

// freeDomains are consumer mailbox providers: an address there says nothing
// about the person's employer. The list is small on purpose, the big
// international providers plus the ones common in the countries pista's
// users sell to (Brazil, Colombia, Mexico, Argentina, Chile, Peru, Spain,
// Portugal, Venezuela). A missing provider only costs a B2B fit point; a
// wrongly listed company domain would cost a real lead, so when in doubt a
// domain stays out. Keys are normalised domains.
var freeDomains = newSet(
	// Global.
	"gmail.com", "googlemail.com", "icloud.com", "me.com", "mac.com",
	"msn.com", "passport.com", "ymail.com", "rocketmail.com",
	"aim.com", "protonmail.com", "protonmail.ch", "proton.me", "pm.me",
	"tutanota.com", "tutanota.de", "tuta.io", "tuta.com",
	"mail.com", "email.com", "usa.com", "zoho.com", "zohomail.com",
	"fastmail.com", "fastmail.fm", "hushmail.com", "inbox.com",
	"web.de", "t-online.de", "mail.ru", "bk.ru", "list.ru", "inbox.ru",
	"rambler.ru", "qq.com", "163.com", "126.com", "yeah.net", "sina.com",
	"naver.com", "daum.net", "hanmail.net", "rediffmail.com",
	"comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net",
	"cox.net", "charter.net", "earthlink.net", "btinternet.com", "orange.fr",
	"wanadoo.fr", "free.fr", "laposte.net", "libero.it", "virgilio.it",
	// Brazil.
	"uol.com.br", "bol.com.br", "terra.com.br", "ig.com.br", "globo.com",
	"globomail.com", "r7.com", "oi.com.br", "zipmail.com.br", "pop.com.br",
	"superig.com.br", "velox.com.br",
	// Spanish-speaking America and Spain.
	"terra.com.co", "terra.com.mx", "terra.com.pe", "terra.com.ar", "terra.cl",
	"terra.es", "prodigy.net.mx", "infinitummail.com", "latinmail.com",
	"starmedia.com", "une.net.co", "etb.net.co", "emcali.net.co",
	"cantv.net", "speedy.com.ar", "fibertel.com.ar", "arnet.com.ar",
	"ciudad.com.ar", "vtr.net", "telefonica.net", "movistar.es",
	// Portugal.
	"sapo.pt", "clix.pt", "netcabo.pt", "iol.pt",
)

// freeBrands are providers that register their brand under many country
// domains (hotmail.com.mx, outlook.com.br, yahoo.es), written as the label
// in front of the public suffix. A slice, not a map: eight short compares
// beat hashing the label.
var freeBrands = []string{"hotmail", "outlook", "live", "windowslive", "yahoo", "gmx", "yandex", "aol"}

// IsFreeDomain reports whether domain belongs to a consumer mailbox
// provider (see freeDomains and freeBrands). Subdomains do not count:
// "hotmail.example.com" is example.com's business.
func IsFreeDomain(domain string) bool {
	d, ok := lookupDomain(domain)
	return ok && isFree(d)
}

func isFree(d string) bool {
	if _, ok := freeDomains[d]; ok {
		return true
	}
	brand, suffix, ok := strings.Cut(d, ".")
	if !ok {
		return false
	}
	if !slices.Contains(freeBrands, brand) {
		return false
	}
	// hotmail.com.mx qualifies, hotmail.empresa.com does not: the rest must
	// be exactly a public suffix.
	ps, icann := publicsuffix.PublicSuffix(d)
	return icann && ps == suffix
}
