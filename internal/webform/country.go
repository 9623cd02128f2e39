package webform

import (
	"strings"

	"golang.org/x/text/language"
)

// countryNames maps country names as people type them in Spanish,
// Portuguese and English (folded: lower case, no accents, no dots) to ISO
// 3166-1 alpha-2 codes. It covers the Americas and the countries Pista's
// customers most often sell to; anything else can be typed as a code.
var countryNames = map[string]string{
	"colombia": "CO", "mexico": "MX", "mejico": "MX", "brasil": "BR", "brazil": "BR",
	"estados unidos": "US", "estados unidos de america": "US", "eeuu": "US", "ee uu": "US", "eua": "US",
	"united states": "US", "united states of america": "US", "usa": "US", "canada": "CA",
	"argentina": "AR", "chile": "CL", "peru": "PE", "ecuador": "EC", "equador": "EC",
	"venezuela": "VE", "bolivia": "BO", "paraguay": "PY", "paraguai": "PY",
	"uruguay": "UY", "uruguai": "UY", "panama": "PA", "costa rica": "CR",
	"guatemala": "GT", "honduras": "HN", "el salvador": "SV", "nicaragua": "NI",
	"republica dominicana": "DO", "dominican republic": "DO", "puerto rico": "PR", "cuba": "CU",
	"espana": "ES", "espanha": "ES", "spain": "ES", "portugal": "PT",
	"reino unido": "GB", "united kingdom": "GB", "england": "GB", "inglaterra": "GB",
	"alemania": "DE", "alemanha": "DE", "germany": "DE",
	"francia": "FR", "franca": "FR", "france": "FR", "italia": "IT", "italy": "IT",
	"paises bajos": "NL", "holanda": "NL", "netherlands": "NL",
	"china": "CN", "japon": "JP", "japao": "JP", "japan": "JP", "india": "IN",
}

// countryCode reads a country typed into a form: an alpha-2 or alpha-3 code
// ("co", "COL"), "UK", or a name from countryNames ("México", "Estados
// Unidos"). It returns the alpha-2 code and whether it recognised one.
func countryCode(s string) (string, bool) {
	key := fold(s)
	if key == "" {
		return "", false
	}
	if code, ok := countryNames[key]; ok {
		return code, true
	}
	if key == "uk" {
		return "GB", true
	}
	if len(key) == 2 || len(key) == 3 {
		if r, err := language.ParseRegion(key); err == nil && r.IsCountry() {
			return r.String(), true
		}
	}
	return "", false
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
