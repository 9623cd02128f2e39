package webform

import (
	"strings"

	"github.com/pistahq/pista/internal/vocab"
)

// countryCode reads a country typed into a form: an alpha-2 or alpha-3
// code ("co", "COL"), "UK", or a name in Spanish, Portuguese or English
// ("México", "Estados Unidos", "EE. UU."; every ISO 3166 country, see
// package vocab). It returns the alpha-2 code and whether it recognised one.
func countryCode(s string) (string, bool) {
	return vocab.Default().Code("country", s)
}

// CountryCode returns the ISO 3166-1 alpha-2 code for a country written as a
// code ("co", "COL", "UK") or a common es/pt/en name ("México").
func CountryCode(s string) (string, bool) { return countryCode(s) }

// isAlpha2 reports whether s is an upper-case ISO 3166-1 alpha-2 country.
func isAlpha2(s string) bool {
	code, ok := countryCode(s)
	return ok && len(s) == 2 && code == s
}

// fold lower-cases s, drops accents from Latin letters and dots, and
// collapses spaces, so that "EE. UU." and "eeuu" compare equal.
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch r {
		case 'á', 'à', 'â', 'ã', 'ä':
			r = 'a'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'í', 'ì', 'î', 'ï':
			r = 'i'
		case 'ó', 'ò', 'ô', 'õ', 'ö':
			r = 'o'
		case 'ú', 'ù', 'û', 'ü':
			r = 'u'
		case 'ç':
			r = 'c'
		case 'ñ':
			r = 'n'
		case '.':
			continue
		}
		if r == ' ' || r == '\t' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
