package quality

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Limits from RFC 5321 §4.5.3.1: an address that exceeds them cannot be
// delivered, so accepting it would only store an unusable contact.
const (
	maxEmailLen  = 254
	maxLocalLen  = 64
	maxDomainLen = 253
	maxLabelLen  = 63
)

// emailProblem says what is wrong with an address. Compute only needs to
// know whether there is a problem, so parsing returns this code instead of
// an error, which would allocate on every lead evaluation; NormalizeEmail
// turns it into a sentence.
type emailProblem uint8

const (
	emailOK emailProblem = iota
	emailEmpty
	emailBadUTF8
	emailTooLong
	emailNoAt
	emailManyAt
	emailNoLocal
	emailLocalTooLong
	emailLocalChar
	emailLocalDots
	emailNoDomain
	emailDomainLiteral
	emailDomainIDNA
	emailDomainChar
	emailDomainHyphen
	emailDomainLabel
	emailDomainNoDot
	emailDomainTooLong
	emailTLD
)

// emailParts is a parsed address. domain is filled whenever the part after
// the last @ is a plausible domain, even if the local part is broken, because
// "juan perez@empresa.com.co" still tells us the company's domain.
type emailParts struct {
	trimmed  string // input without surrounding space
	rawLocal string // before the last @, as typed
	local    string // lower-cased; only set when the whole address is valid
	domain   string // lower-case ASCII (punycode), "" if not plausible
	problem  emailProblem
	bad      rune // the offending character for *Char problems
}

func parseEmail(s string) emailParts {
	e := emailParts{trimmed: trimSpace(s)}
	s = e.trimmed
	switch {
	case s == "":
		e.problem = emailEmpty
		return e
	case !utf8.ValidString(s):
		e.problem = emailBadUTF8
		return e
	case len(s) > maxEmailLen:
		e.problem = emailTooLong
		return e
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		e.problem = emailNoAt
		return e
	}
	e.rawLocal = s[:at]
	var domainProblem emailProblem
	var domainBad rune
	e.domain, domainProblem, domainBad = normalizeDomain(s[at+1:])
	// Report the local part's problems first: they are what the person
	// typed wrong first, reading left to right.
	if strings.IndexByte(e.rawLocal, '@') >= 0 {
		e.problem = emailManyAt
		return e
	}
	local, p, bad := normalizeLocal(e.rawLocal)
	if p != emailOK {
		e.problem, e.bad = p, bad
		return e
	}
	if domainProblem != emailOK {
		e.problem, e.bad = domainProblem, domainBad
		return e
	}
	if len(local)+1+len(e.domain) > maxEmailLen {
		e.problem = emailTooLong
		return e
	}
	e.local = local
	return e
}

// normalizeLocal checks the part before the @ against RFC 5322 dot-atom
// text, plus Unicode letters and digits (RFC 6531), and lower-cases it.
// Quoted local parts ("john doe"@x) are valid RFC 5322 but never come from a
// real lead form, so they are rejected rather than half-supported.
func normalizeLocal(s string) (string, emailProblem, rune) {
	if s == "" {
		return "", emailNoLocal, 0
	}
	if len(s) > maxLocalLen {
		return "", emailLocalTooLong, 0
	}
	if s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return "", emailLocalDots, 0
	}
	lower := true
	for _, r := range s {
		if r < utf8.RuneSelf {
			if !isAtext(byte(r)) && r != '.' {
				return "", emailLocalChar, r
			}
			if 'A' <= r && r <= 'Z' {
				lower = false
			}
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
			return "", emailLocalChar, r
		}
		lower = false
	}
	if lower {
		return s, emailOK, 0
	}
	// Lower-casing makes "Juan.Perez@" and "juan.perez@" one contact for
	// dedup. RFC 5321 lets a server treat them as different mailboxes, but
	// no mainstream provider does, and two leads for one person cost more
	// than a theoretical misdelivery.
	l := strings.ToLower(s)
	if len(l) > maxLocalLen {
		return "", emailLocalTooLong, 0
	}
	return l, emailOK, 0
}

// isAtext reports whether c may appear in an unquoted local part
// (RFC 5322 §3.2.3 atext).
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// normalizeDomain returns the lower-case ASCII form of a mail domain. Plain
// lower-case ASCII domains, which are nearly all of them, are checked
// without calling idna, whose mapping tables cost far more than the
// evaluation budget allows. Everything else goes through idna.Lookup.
func normalizeDomain(d string) (string, emailProblem, rune) {
	if d == "" {
		return "", emailNoDomain, 0
	}
	if d[0] == '[' {
		return "", emailDomainLiteral, 0
	}
	ascii, upper := true, false
	for i := 0; i < len(d); i++ {
		c := d[i]
		switch {
		case c >= utf8.RuneSelf:
			ascii = false
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '.':
		case 'A' <= c && c <= 'Z':
			upper = true
		default:
			return "", emailDomainChar, rune(c)
		}
	}
	if ascii && !needsIDNA(d) {
		if upper {
			d = strings.ToLower(d)
		}
		p := checkHost(d)
		if p != emailOK {
			return "", p, 0
		}
		return d, emailOK, 0
	}
	a, err := idna.Lookup.ToASCII(d)
	if err != nil {
		return "", emailDomainIDNA, 0
	}
	// Lookup is not guaranteed to be idempotent on every odd input; a
	// domain whose ASCII form does not map to itself would make
	// NormalizeEmail disagree with itself, so it is refused.
	if again, err := idna.Lookup.ToASCII(a); err != nil || again != a {
		return "", emailDomainIDNA, 0
	}
	if p := checkHost(a); p != emailOK {
		return "", p, 0
	}
	return a, emailOK, 0
}

// needsIDNA reports whether an ASCII domain has a label that only the IDNA
// rules can judge: an "xn--" label (is the punycode valid?) or any other
// label with hyphens in positions 3 and 4, which IDNA reserves.
func needsIDNA(d string) bool {
	for {
		label, rest, more := strings.Cut(d, ".")
		if len(label) >= 4 && label[2] == '-' && label[3] == '-' {
			return true
		}
		if !more {
			return false
		}
		d = rest
	}
}

// checkHost applies the DNS shape rules to a lower-case ASCII domain and
// asks for a top-level domain of letters, so that "juan@gmail" and
// "juan@192.168.0.1" are not counted as reachable addresses.
func checkHost(d string) emailProblem {
	if len(d) > maxDomainLen {
		return emailDomainTooLong
	}
	labels := 0
	var label string
	for rest := d; ; {
		var more bool
		label, rest, more = strings.Cut(rest, ".")
		labels++
		if label == "" || len(label) > maxLabelLen {
			return emailDomainLabel
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return emailDomainChar
			}
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return emailDomainHyphen
		}
		if !more {
			break
		}
	}
	if labels < 2 {
		return emailDomainNoDot
	}
	// label is now the top-level domain.
	if strings.HasPrefix(label, "xn--") {
		return emailOK
	}
	if len(label) < 2 {
		return emailTLD
	}
	for i := 0; i < len(label); i++ {
		if label[i] < 'a' || label[i] > 'z' {
			return emailTLD
		}
	}
	return emailOK
}

func (e emailParts) err() error {
	q := clip(e.trimmed)
	switch e.problem {
	case emailOK:
		return nil
	case emailEmpty:
		return fmt.Errorf("email is empty")
	case emailBadUTF8:
		return fmt.Errorf("email %q is not valid UTF-8 text", q)
	case emailTooLong:
		return fmt.Errorf("email %q is longer than %d characters", q, maxEmailLen)
	case emailNoAt:
		return fmt.Errorf("email %q: missing @", q)
	case emailManyAt:
		return fmt.Errorf("email %q: more than one @", q)
	case emailNoLocal:
		return fmt.Errorf("email %q: nothing before the @", q)
	case emailLocalTooLong:
		return fmt.Errorf("email %q: the part before the @ is longer than %d characters", q, maxLocalLen)
	case emailLocalChar:
		return fmt.Errorf("email %q: the part before the @ contains %q, which is not allowed", q, e.bad)
	case emailLocalDots:
		return fmt.Errorf("email %q: the part before the @ starts or ends with a dot or has two dots in a row", q)
	case emailNoDomain:
		return fmt.Errorf("email %q: nothing after the @", q)
	case emailDomainLiteral:
		return fmt.Errorf("email %q: an IP address in brackets is not accepted as a domain", q)
	case emailDomainIDNA:
		return fmt.Errorf("email %q: the domain is not a valid internationalised domain name", q)
	case emailDomainChar:
		if e.bad != 0 {
			return fmt.Errorf("email %q: the domain contains %q, which is not allowed", q, e.bad)
		}
		return fmt.Errorf("email %q: the domain contains a character that is not allowed", q)
	case emailDomainHyphen:
		return fmt.Errorf("email %q: a part of the domain starts or ends with a hyphen", q)
	case emailDomainLabel:
		return fmt.Errorf("email %q: the domain has an empty part (two dots in a row, or a dot at either end) or a part longer than %d characters", q, maxLabelLen)
	case emailDomainNoDot:
		return fmt.Errorf("email %q: the domain has no dot (expected something like empresa.com)", q)
	case emailDomainTooLong:
		return fmt.Errorf("email %q: the domain is longer than %d characters", q, maxDomainLen)
	case emailTLD:
		return fmt.Errorf("email %q: the domain does not end in a top-level domain of two or more letters (.com, .co, .br, ...)", q)
	}
	return fmt.Errorf("email %q is not valid", q)
}

// NormalizeEmail returns the address in the form pista stores and
// deduplicates on: trimmed, local part lower-cased (see normalizeLocal for
// why), domain lower-cased and converted to ASCII with IDNA
// ("josé@café.com.co" → "josé@xn--caf-dma.com.co"). The error is a sentence
// naming the address and the problem, fit to show to whoever typed it.
// Provider-specific aliases (Gmail dots, +tags) are kept: they are a dedup
// decision, not a normalisation.
func NormalizeEmail(s string) (string, error) {
	e := parseEmail(s)
	if e.problem != emailOK {
		return "", e.err()
	}
	t := e.trimmed
	if len(t) == len(e.local)+1+len(e.domain) && t[:len(e.local)] == e.local && t[len(e.local)+1:] == e.domain {
		return t, nil
	}
	return e.local + "@" + e.domain, nil
}

// EmailDomain returns the normalised domain of an address, or "" if it has
// no @ or the part after the last @ is not a plausible domain. It does not
// require the local part to be valid: the domain still identifies the
// company behind a mistyped address.
func EmailDomain(email string) string {
	return parseEmail(email).domain
}
