package quality

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxTableInput bounds the input that table lookups (fake names, test
// values) look at. No table entry is anywhere near this long, so longer
// input cannot match, and a 1 MB form field costs nothing.
const maxTableInput = 256

// foldRune lower-cases r and strips the diacritics of Latin letters, so that
// "José", "JOSE" and "jose" meet the same table entry. Letters without a
// canonical decomposition that people still type as accented variants of an
// ASCII letter (ł, ø, đ, ı) are mapped by hand. Other scripts are only
// lower-cased.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if 0xC0 <= r && r <= 0xFF {
		if f := latin1Fold[r-0xC0]; f != '.' {
			return rune(f)
		}
	}
	return foldRuneSlow(r)
}

// latin1Fold is foldRune for U+00C0..U+00FF, the accented letters of
// Spanish and Portuguese, which are most of the non-ASCII letters pista
// sees; looking them up in the normalisation tables was a fifth of
// Compute's time. '.' sends a character to foldRuneSlow. TestLatin1Fold
// checks the table against foldRuneSlow.
const latin1Fold = "aaaaaaaceeeeiiiidnooooo.ouuuuy.saaaaaaaceeeeiiiidnooooo.ouuuuy.y"

func foldRuneSlow(r rune) rune {
	l := unicode.ToLower(r)
	// Latin-1 Supplement, Latin Extended-A/B and Latin Extended Additional
	// (Vietnamese) are the only ranges whose letters decompose to ASCII.
	if l < 0x250 || 0x1E00 <= l && l < 0x1F00 {
		var b [utf8.UTFMax]byte
		n := utf8.EncodeRune(b[:], l)
		if d := norm.NFD.Properties(b[:n]).Decomposition(); len(d) > 0 && d[0] < utf8.RuneSelf {
			return rune(d[0])
		}
		switch l {
		case 'ł', 'ŀ':
			return 'l'
		case 'ø':
			return 'o'
		case 'đ', 'ð':
			return 'd'
		case 'ı':
			return 'i'
		case 'ħ':
			return 'h'
		case 'ŧ':
			return 't'
		case 'ß':
			return 's'
		case 'æ':
			return 'a'
		case 'œ':
			return 'o'
		}
	}
	return l
}

// appendFolded appends s in the form the tables are written in: folded
// (see foldRune), with every run of characters that are not letters or
// digits turned into one space and no space at either end. "  Fulano-de
// TAL. " becomes "fulano de tal", "N/A" becomes "n a". Combining marks are
// dropped so that decomposed input ("Jose\u0301") folds like composed input.
// Invalid UTF-8 counts as a separator.
func appendFolded(dst []byte, s string) []byte {
	start := len(dst)
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				space = true
				continue
			}
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			dst = append(dst, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r == utf8.RuneError || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space = true
			continue
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		dst = utf8.AppendRune(dst, foldRune(r))
	}
	return dst
}

// cutToken returns the first space-separated token of folded text and the
// rest after it.
func cutToken(s []byte) (tok, rest []byte) {
	for i, c := range s {
		if c == ' ' {
			return s[:i], s[i+1:]
		}
	}
	return s, nil
}

// trimSpace is strings.TrimSpace plus the invisible characters that
// spreadsheets and copy-paste leave around form values: the byte order mark
// (first cell of a UTF-8 CSV) and zero-width spaces and joiners.
func trimSpace(s string) string {
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if !isTrimmable(r) {
			break
		}
		s = s[n:]
	}
	for len(s) > 0 {
		r, n := utf8.DecodeLastRuneInString(s)
		if !isTrimmable(r) {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

func isTrimmable(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, '\ufeff', '\u200b', '\u200c', '\u200d', '\u2060':
		return true
	}
	return r > 0xFF && unicode.IsSpace(r)
}

// clip shortens s for an error message: a pasted 1 MB field must not end up
// in a log line or an API response.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
