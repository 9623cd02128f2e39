package vocab

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold reduces a value to the key vocabularies compare: lower case,
// without accents, dots and apostrophes dropped ("EE. UU." is "ee uu"),
// every other run of punctuation or white space one space, trimmed. So
// "Ciências da Vida", "ciencias-da-vida" and "CIENCIAS DA VIDA" meet.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r >= utf8.RuneSelf {
			r = unaccent(r)
		}
		switch {
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case r == '.' || r == '\'' || r == '’':
			continue
		case r == '&' || r == '+' || r == '$' || r == '#':
			// kept: "R&D", "C++", "R$" mean something
		case r < utf8.RuneSelf || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r):
			space = true
			continue
		default:
			r = unicode.ToLower(r)
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// unaccent returns a Latin letter without its accent ("é" is "e", "Ç" is
// "C"); other runes unchanged.
func unaccent(r rune) rune {
	if r >= 0xC0 && r <= 0xFF {
		return latin1[r-0xC0]
	}
	if !unicode.Is(unicode.Latin, r) {
		return r
	}
	d := norm.NFD.String(string(r))
	first, _ := utf8.DecodeRuneInString(d)
	return first
}

// Snake writes a value as a code: "Google Ads" is "google_ads", "Olark
// Chat" is "olark_chat", "Recomendação" is "recomendacao".
func Snake(s string) string {
	return strings.ReplaceAll(Fold(s), " ", "_")
}

// latin1 holds the letters À to ÿ without accents (× and ÷ kept).
var latin1 = [64]rune([]rune("AAAAAAACEEEEIIIIDNOOOOO×OUUUUYÞsaaaaaaaceeeeiiiidnooooo÷ouuuuyþy"))
