package quality

import (
	"unicode"
	"unicode/utf8"
)

// Keyboard mash detection looks at each word on its own and asks whether
// it is what a hand does to a keyboard rather than what a person is called.
// Every rule below was checked against the real-name table in
// mash_test.go (Polish, Welsh, German, Vietnamese, Chinese, Basque,
// Nahuatl, ... names). A missed mash costs little, because a tele-qualifier
// sees it at once. A real name marked fake costs a lead, so the rules fire
// only on strong evidence.

// maxWordRunes is longer than any real name word (the longest Welsh place
// name has 58 letters), so a longer word is a mash by itself.
const maxWordRunes = 64

// keyboardRows are the letter rows of the QWERTY layouts used in pista's
// markets: US, Latin American and Spanish, Brazilian ABNT2 and Portuguese.
// They differ in letters only right of "l", where Spanish has ñ and
// Portuguese ç (handled in keyPos). AZERTY and QWERTZ are left out on
// purpose: on QWERTZ "wertz" is a run, and Wertz is a surname.
var keyboardRows = [3]string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

const (
	topRow  = 0
	homeRow = 1
	lowRow  = 2
)

// keyTable holds, for 'a'..'z', row<<4 | column+1 from keyboardRows, so
// that keyPos is one index instead of a search on every letter of every
// lead.
var keyTable = func() (t [26]uint8) {
	for row, line := range keyboardRows {
		for col, c := range []byte(line) {
			t[c-'a'] = uint8(row<<4 | (col + 1))
		}
	}
	return t
}()

// keyPos returns the row and column of a lower-case letter, row -1 if it
// is not a letter key.
func keyPos(r rune) (row, col int) {
	if 'a' <= r && r <= 'z' {
		k := keyTable[r-'a']
		return int(k >> 4), int(k&0xf) - 1
	}
	if r == 'ñ' || r == 'ç' {
		return homeRow, 9
	}
	return -1, 0
}

// mashAllow are words that fail a rule below but are real: abbreviations
// of Muhammad common on documents from Indonesia, Malaysia and Syria.
var mashAllow = newSet("mhmd", "mhmmd")

// romanNumerals are name suffixes ("John Smith III") that look like
// repeated letters.
var romanNumerals = newSet("ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii")

// word is one run of letters, kept on the stack.
type word struct {
	low      [maxWordRunes]rune // lower-cased, accents kept (ñ, ç are keys)
	base     [maxWordRunes]rune // folded: accents removed
	n        int                // letters seen, may exceed maxWordRunes
	upper    bool               // every letter upper case: maybe an acronym
	nonLatin bool
}

func (w *word) reset() { w.n, w.upper, w.nonLatin = 0, true, false }

func (w *word) add(r rune) {
	var low, base rune
	if r < utf8.RuneSelf {
		low = r
		if 'A' <= r && r <= 'Z' {
			low += 'a' - 'A'
		} else {
			w.upper = false
		}
		base = low
	} else {
		if !unicode.Is(unicode.Latin, r) {
			w.nonLatin = true
		}
		if !unicode.IsUpper(r) {
			w.upper = false
		}
		low, base = unicode.ToLower(r), foldRune(r)
	}
	if w.n < maxWordRunes {
		w.low[w.n], w.base[w.n] = low, base
	}
	w.n++
}

// IsKeyboardMash reports whether any word of s was typed by dragging or
// drumming fingers over a keyboard: "asdfgh", "qwerty", "ñlkjh", "jkljkl",
// "jajaja", "xkcdqwrtz". It is tuned for personal names. Words in scripts
// other than Latin are never judged. All-capital words of up to five
// letters are read as acronyms (HSBC, KPMG) and only checked for keyboard
// runs of four or more and repetition.
func IsKeyboardMash(s string) bool {
	return isMash(s, mashName)
}

// mashMode adapts the rules to the field a value comes from.
type mashMode uint8

const (
	// mashName applies every rule; all-capital short words are acronyms.
	mashName mashMode = iota
	// mashCompany also reads lower-case short words as acronyms: company
	// names are typed as "kpmg" or "hsbc" as often as in capitals.
	mashCompany
	// mashLocal is for email local parts: only keyboard geometry and
	// repetition, since "jdmr1987" has no vowels and is still a person's
	// address, and three-letter runs are initials (asd@ for Ana Sofía Díaz).
	mashLocal
)

// isMash splits s into words and judges each.
func isMash(s string, mode mashMode) bool {
	var w word
	w.reset()
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' ||
			r >= utf8.RuneSelf && r != utf8.RuneError && unicode.IsLetter(r) {
			w.add(r)
			continue
		}
		if r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r) {
			continue // a combining accent belongs to the letter before it
		}
		if w.n > 0 {
			if w.isMash(mode) {
				return true
			}
			w.reset()
		}
	}
	return w.n > 0 && w.isMash(mode)
}

func (w *word) isMash(mode mashMode) bool {
	if w.nonLatin {
		return false
	}
	if w.n > maxWordRunes {
		return true
	}
	// No rule fires on one or two letters (Ng, Wu, Li, S.A.).
	if w.n < 3 || !w.rules(mode) {
		return false
	}
	// Exceptions are looked up only for words a rule caught: nearly every
	// word is a plain name and never gets here.
	var key [maxWordRunes]byte
	k := asciiKey(key[:0], w.base[:w.n])
	if _, ok := romanNumerals[string(k)]; ok {
		return false
	}
	_, ok := mashAllow[string(k)]
	return !ok
}

// rules applies the mash rules to a word of at most maxWordRunes letters.
// One pass collects everything the rules need; this runs for every word
// of every name, company and address the engine evaluates.
func (w *word) rules(mode mashMode) bool {
	n := w.n
	low, base := w.low[:n], w.base[:n]
	acronym := (w.upper || mode != mashName) && n <= 5

	var (
		run, runRow    = 1, -1 // longest keyboard run and its row
		cur, dir       = 1, 0
		vowels         = 0    // a e i o u y
		home           = true // every key on the home row
		noVowel, rl    = true, false
		units, maxUnit = 0, 0 // consonant spelling units, see joins
	)
	pr, pc := keyPos(low[0])
	runRow = pr
	for i, b := range base {
		r, c := pr, pc
		if i > 0 {
			r, c = keyPos(low[i])
			cur, dir = extendRun(cur, dir, pr, pc, r, c)
			if cur > run {
				run, runRow = cur, r
			}
			pr, pc = r, c
		}
		if r != homeRow {
			home = false
		}
		switch {
		case isVowel(b):
			vowels++
			noVowel = false
			units = 0
			continue
		case b == 'w':
			noVowel = false
		case b == 'r', b == 'l':
			rl = true
		}
		if units > 0 && joins(base[i-1], b) {
			continue
		}
		units++
		maxUnit = max(maxUnit, units)
	}

	// Keyboard runs: neighbouring keys of one row, in one direction.
	if run >= 5 {
		return true
	}
	if run == n && n == 4 && (runRow != topRow || hasRune(low, 'q') || hasRune(low, 'p')) {
		// Top-row four-letter runs without an edge key are words
		// (Trew, Wert are surnames); qwer, uiop, asdf, zxcv are not.
		return true
	}
	if run == n && n == 3 && !acronym {
		if runRow != topRow || low[0] == 'q' && low[1] == 'w' && low[2] == 'e' || low[0] == 'e' && low[1] == 'w' && low[2] == 'q' {
			return true
		}
	}
	if repeated(low, base) {
		return true
	}
	// Home-row drumming: "ajsdkajsd", "aksjdh". Only 'a' is a vowel there,
	// so real words from those keys (Dallas, Halsall) have plenty of it.
	if home && n >= 6 && vowels*4 < n {
		return true
	}
	if mode == mashLocal || acronym {
		return false
	}
	// No vowel at all, counting w and y (Welsh Llwyd, Cwm). Czech words
	// with syllabic r or l (Smrž, Vlk) need one more letter to count.
	if noVowel && (n >= 5 || n >= 4 && !rl) {
		return true
	}
	if maxUnit >= 6 {
		return true
	}
	// Long and almost vowel-free: the worst real case checked is
	// Schwarzkopf with two vowels in eleven letters.
	return n >= 10 && vowels <= 1
}

// asciiKey writes the folded word as bytes for set lookups; letters that
// do not fold to ASCII become '?', which no table contains.
func asciiKey(dst []byte, base []rune) []byte {
	for _, r := range base {
		if r >= utf8.RuneSelf {
			r = '?'
		}
		dst = append(dst, byte(r))
	}
	return dst
}

func hasRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// isVowel takes a folded letter. Folded letters still outside ASCII are
// rare Latin letters (ə, ɛ) and count as vowels, so they never push a
// word towards "mash".
func isVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return r >= utf8.RuneSelf
}

// longestRun returns the length of the longest stretch of keys next to
// each other on one row, all in one direction. Direction matters: "ewert"
// goes left then right, which fingers sliding over a row do not.
func longestRun(low []rune) int {
	best, cur, dir := 1, 1, 0
	pr, pc := keyPos(low[0])
	for _, l := range low[1:] {
		r, c := keyPos(l)
		cur, dir = extendRun(cur, dir, pr, pc, r, c)
		best = max(best, cur)
		pr, pc = r, c
	}
	return best
}

// extendRun continues a keyboard run of length cur going in direction dir
// (-1 left, +1 right) from key (pr, pc) to key (r, c).
func extendRun(cur, dir, pr, pc, r, c int) (int, int) {
	step := c - pc
	switch {
	case r < 0 || r != pr || (step != 1 && step != -1):
		return 1, 0
	case cur == 1 || step == dir:
		return cur + 1, step
	default:
		return 2, step
	}
}

// repeated reports words that are one short unit over and over: three or
// more times ("jajaja", "kkkk", "rsrsrs", "aaa"), or twice when the unit is
// itself a keyboard run or has no vowel ("asdasd", "jkljkl", "hjhj").
// Reduplicated Chinese given names (Weiwei, Feifei, Lanlan) repeat twice
// and have vowels, so they pass.
func repeated(low, base []rune) bool {
	n := len(low)
	for u := 1; u <= n/2; u++ {
		if n%u != 0 {
			continue
		}
		periodic := true
		for i := u; i < n; i++ {
			if low[i] != low[i-u] {
				periodic = false
				break
			}
		}
		if !periodic {
			continue
		}
		if n/u >= 3 {
			return true
		}
		if u < 2 {
			return false
		}
		if u >= 3 && longestRun(low[:u]) == u {
			return true
		}
		for _, r := range base[:u] {
			if isVowel(r) || r == 'w' {
				return false
			}
		}
		return true
	}
	return false
}

// joins reports whether consonant r continues the spelling unit of the
// consonant before it. The longest run of consonants is counted in
// spelling units, not letters: doubled letters, h after a consonant (ch,
// sh, th, ph, rh, kh, jh) and the Polish, German and Hungarian pairs sz,
// cz, rz, dz, tz, ts, zs, sc are one unit each ("sch" is one, "szcz" two).
// With that, the densest real names checked (Mkrtchyan, Hirschsprung,
// Pszczółkowski) have at most five units in a row, while "xkcdqwrtz" has
// eight.
func joins(prev, r rune) bool {
	if r == prev || r == 'h' {
		return true
	}
	switch prev {
	case 'c':
		return r == 'k' || r == 'z'
	case 's':
		return r == 'c' || r == 'z'
	case 'r', 'd':
		return r == 'z'
	case 't':
		return r == 'z' || r == 's'
	case 'z':
		return r == 's'
	case 'n':
		return r == 'g'
	}
	return false
}
