package webform

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pistahq/pista/internal/lead"
)

// Length limits, in characters. A lead field longer than a thousand
// characters is not a name or a company, whatever was typed; free text
// (a "message" textarea kept in action.props) gets ten times that, since
// people do describe their needs at length. Longer values are cut and the
// cut is recorded in Submission.Notes, not silently.
const (
	maxLeadChars = 1_000
	maxPropChars = 10_000
)

// blankWords are answers that mean "nothing" (folded, see fold): a form
// that requires a company gets "N/A" from people who have none, and a
// missing value is more honest than a company called "N/A".
var blankWords = map[string]bool{
	"n/a": true, "na": true, "-": true, "--": true, "---": true, "none": true, "null": true,
	"undefined": true, "not applicable": true, "ninguno": true, "ninguna": true, "no tengo": true,
	"no aplica": true, "nada": true, "sin": true, "nao tenho": true, "nenhum": true,
	"nenhuma": true, "nao se aplica": true, "nao aplica": true,
	// Placeholders of selects and what exports and spreadsheets write for
	// nothing (the importer reads its cells with the same rules).
	"select": true, "seleccione": true, "selecciona": true, "selecione": true, "unknown": true,
	"desconocido": true, "desconhecido": true, "no informado": true, "nao informado": true,
	"sin dato": true, "sin datos": true, "sem dados": true, "sin informacion": true, "sem informacao": true,
	"#n/a": true, "#ref!": true, "#value!": true, "#div/0!": true, "#name?": true, "#null!": true, "#num!": true,
}

// unknownWords are blank words that are a value when they describe a
// source: a CRM export's lead source "unknown" says that nobody knows how
// the lead came, which marketing counts, so source fields keep it (the
// vocabulary reads it as the code unknown) instead of blanking it.
var unknownWords = map[string]bool{"unknown": true, "desconocido": true, "desconhecido": true, "desconocida": true, "desconhecida": true}

// unknownWord returns s trimmed when it is one of unknownWords, else "".
func unknownWord(s string) string {
	v := strings.TrimSpace(s)
	if len(v) > 20 || !unknownWords[fold(v)] {
		return ""
	}
	return v
}

// Blank reports whether a value means "nothing": empty, white space or a
// blank word such as "N/A", "-", "none", "Select", "unknown", "ninguno",
// "não informado", "sin dato" or an Excel error like "#N/A".
func Blank(s string) bool {
	v := strings.TrimSpace(s)
	return v == "" || isBlankWord(v)
}

func isBlankWord(v string) bool {
	if len(v) > 20 {
		return false
	}
	// Most values cannot fold to a blank word: their first character
	// starts none of them. Telling so costs no folding.
	if t := strings.TrimSpace(v); t != "" && t[0] < utf8.RuneSelf && !blankStart[t[0]] {
		return false
	}
	return blankWords[fold(v)]
}

// blankStart holds the ASCII characters a value folding to a blank word
// may start with: the words' first letters in either case, and the
// characters fold drops.
var blankStart = func() (t [utf8.RuneSelf]bool) {
	for w := range blankWords {
		t[w[0]] = true
		t[unicode.ToUpper(rune(w[0]))] = true
	}
	t['.'] = true
	return t
}()

// Clean reads one value the way Map reads a lead field: valid UTF-8,
// without control characters, on one line, trimmed, at most 1,000
// characters, and "" for a blank word (see Blank).
func Clean(s string) string {
	v, _ := clean(s, false, maxLeadChars)
	return v
}

// clean makes one submitted value safe to store: valid UTF-8, no control
// characters, trimmed, blank words removed, at most limit characters. A
// one-line value has every run of white space turned into one space. It
// returns the original length in characters when it had to cut.
func clean(s string, multiline bool, limit int) (v string, cutFrom int) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(min(len(s), limit*4))
	space, full, n := false, false, 0
	for _, r := range s {
		switch {
		case r == '\r':
			continue
		case unicode.IsSpace(r) && !(multiline && r == '\n'):
			space = true
			continue
		case r == '\u200b' || r == '\ufeff':
			continue
		case unicode.IsControl(r) && r != '\n':
			continue
		}
		// Both caps hold: limit characters, and intake's lead.MaxText
		// bytes (free text in Portuguese or Spanish reaches the byte cap
		// first: an accented letter is two bytes).
		if space && b.Len() > 0 {
			if n < limit && b.Len()+1 <= lead.MaxText {
				b.WriteByte(' ')
			} else {
				full = true
			}
			n++
		}
		space = false
		if n < limit && b.Len()+utf8.RuneLen(r) <= lead.MaxText && !full {
			b.WriteRune(r)
		} else {
			full = true
		}
		n++
	}
	v = strings.TrimRightFunc(b.String(), unicode.IsSpace)
	if isBlankWord(v) {
		return "", 0
	}
	if full {
		return v, n
	}
	return v, 0
}

// splitName splits a full name the way Spanish and Portuguese names are
// usually written: one given name and the rest as surnames, except that
// with four or more words the first two are given names ("María José
// García López"). "García López, María José" puts the surnames first.
func splitName(s string) (first, last string) {
	if l, f, ok := strings.Cut(s, ","); ok && !strings.Contains(f, ",") {
		return strings.Join(strings.Fields(f), " "), strings.Join(strings.Fields(l), " ")
	}
	words := strings.Fields(s)
	switch len(words) {
	case 0:
		return "", ""
	case 1:
		return words[0], ""
	case 2, 3:
		return words[0], strings.Join(words[1:], " ")
	default:
		return strings.Join(words[:2], " "), strings.Join(words[2:], " ")
	}
}

// cleanDomain reduces what people paste into a website field
// ("https://www.Acme.com/contacto", "ana@acme.com") to the host, "acme.com".
func cleanDomain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if _, after, ok := strings.Cut(s, "://"); ok {
		s = after
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimPrefix(s, "www.")
	return strings.Trim(s, ". ")
}
