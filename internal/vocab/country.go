package vocab

import (
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// countrySynonyms are names people write that CLDR does not give, by
// ISO 3166-1 alpha-2 code.
var countrySynonyms = map[string][]string{
	"US": {"USA", "EE. UU.", "EE.UU.", "EEUU", "EUA", "Estados Unidos de América", "United States of America", "U.S.", "U.S.A."},
	"GB": {"UK", "U.K.", "England", "Inglaterra", "Great Britain", "Gran Bretaña", "Grã-Bretanha", "Scotland", "Escocia", "Escócia", "Wales"},
	"NL": {"Holland", "Holanda"},
	"MX": {"Méjico", "Estados Unidos Mexicanos"},
	"BR": {"Brazil", "República Federativa do Brasil"},
	"KR": {"Korea", "Corea", "Coreia"},
	"AE": {"UAE", "EAU", "Emiratos", "Emirados"},
	"DO": {"Rep. Dominicana", "RD"},
	"CZ": {"Czech Republic", "República Checa", "República Tcheca"},
	"RU": {"Russian Federation"},
	"VE": {"República Bolivariana de Venezuela"},
	"BO": {"Estado Plurinacional de Bolivia"},
}

// countries is the country vocabulary: every ISO 3166-1 country, its
// alpha-2 code as the code, its names in Spanish, Portuguese and English
// from CLDR (golang.org/x/text/language/display) as labels, its alpha-3
// code and common names as synonyms.
func countries() []Code {
	es, pt, en := display.Spanish.Regions(), display.Portuguese.Regions(), display.English.Regions()
	var out []Code
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() || r.String() != string([]rune{a, b}) || r.Canonicalize() != r {
				continue
			}
			name := en.Name(r)
			if name == "" || name == "Unknown Region" {
				continue
			}
			c := Code{Code: r.String(), Labels: l(es.Name(r), pt.Name(r), name), Synonyms: countrySynonyms[r.String()]}
			if iso3 := r.ISO3(); iso3 != "" && iso3 != "ZZZ" {
				c.Synonyms = append(c.Synonyms, iso3)
			}
			out = append(out, c)
		}
	}
	return out
}
