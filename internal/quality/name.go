package quality

import (
	"unicode"
	"unicode/utf8"
)

// maxNameRunes: the longest real full names seen in Spanish and Portuguese
// records ("María de los Ángeles Fernández de Córdoba y Figueroa") are near
// 60 letters. Past 100 it is pasted text, not a name.
const maxNameRunes = 100

// fictionalNames are cartoon, film and placeholder people, as full names
// in folded form, matched in either order ("Mouse Mickey"). Only
// combinations are listed: Mickey Rourke, Donald Glover, Minnie Driver and
// Juan Pérez are real people. Juan Pérez, José da Silva, Mario Rossi and
// John Smith are placeholders too, but thousands of real customers have
// those names, so they are not listed. John Doe and Jane Doe are listed
// although Doe is a real surname (common in Liberia). The trade-off:
// nobody named exactly John Doe fills in a B2B form in pista's markets.
var fictionalNames = newSet(
	"mickey mouse", "minnie mouse", "raton mickey", "raton miguelito", "donald duck",
	"pato donald", "daisy duck", "pata daisy", "bugs bunny", "daffy duck", "pato lucas",
	"porky pig", "speedy gonzales", "speedy gonzalez", "homer simpson", "bart simpson",
	"fred flintstone", "pedro picapiedra", "pablo marmol", "barney rubble", "bob esponja",
	"spongebob squarepants", "patricio estrella", "el chavo", "chavo del ocho",
	"chapulin colorado", "el chapulin colorado", "harry potter", "darth vader",
	"luke skywalker", "han solo", "bruce wayne", "clark kent", "peter parker", "tony stark",
	"james bond", "sherlock holmes", "santa claus", "papa noel", "papai noel",
	"ratoncito perez", "raton perez", "john doe", "jane doe", "johnny doe", "richard roe",
	"jane roe", "joe bloggs", "joe blow", "joe schmoe", "joe shmoe", "john q public",
	"max mustermann", "erika mustermann", "juan nadie", "juan de los palotes",
	"perico de los palotes", "ze ninguem", "joao ninguem", "maria ninguem", "fulano de tal",
	"fulana de tal", "fulano detal",
)

// fictionalSingles are one-word fictional names, matched against the
// whole first name, last name or full name. Words that are also real
// surnames (Garfield, Pluto) stay out.
var fictionalSingles = newSet(
	"batman", "superman", "spiderman", "pikachu", "shrek", "yoda", "goku", "tribilin",
	"condorito", "cebolinha", "cascao", "chewbacca", "voldemort", "goofy", "scoobydoo",
	"mickeymouse", "donaldduck", "johndoe", "janedoe",
)

// placeholderStrong are words that stand for "some person" and are
// nobody's real name (Fulano de Tal, Max Mustermann, João Ninguém). One of
// them anywhere marks the name.
var placeholderStrong = newSet(
	"fulano", "fulana", "beltrano", "beltrana", "sicrano", "sicrana", "ciclano", "ciclana",
	"cicrano", "mengano", "mengana", "zutano", "zutana", "perengano", "perengana",
	"mustermann", "musterfrau", "ninguem", "nadie", "nobody", "noname", "sinnombre", "palotes",
)

// placeholderWeak are form labels and generic words people type into a
// name field ("Nombre Apellido", "Cliente", "Sr. Usuario"). They mark the
// name only when every word is one of them or a particle (de, da, ...),
// since "Guest" and "Lead" are surnames too.
var placeholderWeak = newSet(
	"nombre", "nombres", "apellido", "apellidos", "name", "names", "first", "last",
	"firstname", "lastname", "fullname", "surname", "nome", "sobrenome", "usuario", "usuaria",
	"user", "username", "cliente", "client", "customer", "anonimo", "anonima", "anonymous",
	"anon", "desconocido", "desconocida", "desconhecido", "unknown", "no", "none", "mr", "mrs", "ms", "miss", "sr", "sra", "srta", "senor", "senora", "senhor",
	"senhora", "dr", "dra", "lead", "contacto", "contato", "contact", "persona", "pessoa",
	"person", "prospecto", "prospect", "visitante", "visitor", "guest", "invitado",
	"convidado", "interesado", "interesada", "interessado", "interessada",
)

// nameParticles join name parts; alone they name nobody. "sin" and "sem"
// (without) are here rather than in placeholderWeak because Sin is a
// Korean surname and Sem a Dutch given name: "Sin Nombre" is a placeholder,
// "Sin" alone is not.
var nameParticles = newSet("de", "del", "la", "las", "los", "el", "da", "do", "dos", "das", "y", "e", "the", "van", "von", "sin", "sem")

// Reasons IsFakeName gives. They are constants so that Compute, which
// only needs the verdict, allocates nothing.
const (
	whyTooLong     = "longer than any real name"
	whyEmail       = "looks like an email address"
	whyWeb         = "looks like a web address"
	whyDigits      = "contains digits"
	whyNoLetters   = "has no letters"
	whyFictional   = "a fictional or well-known placeholder person"
	whyPlaceholder = "a placeholder such as Fulano, Nombre or Cliente, not a name"
	whyInitials    = "only initials"
	whySameShort   = "first and last name are the same one- or two-letter word"
	whyTest        = "a test value such as Test or Prueba"
	whyMash        = "looks like keyboard mashing"
)

// IsFakeName reports whether first and last name are not a real person's
// name, and why, in words fit for the lead's audit trail. An empty name is
// missing, not fake. Common real names that double as placeholders
// ("Juan Pérez", "José da Silva") are not fake, and neither are real people
// who share a first name with a cartoon ("Mickey Rourke", "Donald Glover").
func IsFakeName(first, last string) (fake bool, why string) {
	why = fakeName(trimSpace(first), trimSpace(last))
	return why != "", why
}

// fakeName returns the reason, or "" for a plausible name.
func fakeName(first, last string) string {
	if first == "" && last == "" {
		return ""
	}
	if len(first)+len(last) > maxNameRunes*utf8.UTFMax ||
		utf8.RuneCountInString(first)+utf8.RuneCountInString(last) > maxNameRunes {
		return whyTooLong
	}
	letters := 0
	for _, s := range [2]string{first, last} {
		for _, r := range s {
			switch {
			case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
				letters++
			case r == '@':
				return whyEmail
			case '0' <= r && r <= '9':
				return whyDigits
			case r < utf8.RuneSelf:
			case unicode.IsDigit(r):
				return whyDigits
			case unicode.IsLetter(r):
				letters++
			}
		}
	}
	if letters == 0 {
		return whyNoLetters
	}

	var fbuf, lbuf, full [maxNameRunes * utf8.UTFMax]byte
	f := appendFolded(fbuf[:0], first)
	l := appendFolded(lbuf[:0], last)
	fl := joinFolded(full[:0], f, l)

	// One pass over the words, first name then last name, collects what
	// the checks below need, looking each word up once.
	var (
		fictional          = false
		allWeak, anyWeak   = true, false // placeholder words and particles only
		allTest, anyTest   = true, false // test words and filler only
		firstTest          = false       // the same, for the first name alone
		strongTest         = false
		allInitials, web   = true, false
		firstC, lastFirstC wordClass // classes of the first word of each name
	)
	for i, name := range [2][]byte{f, l} {
		words := 0
		var c wordClass
		for rest := name; rest != nil && len(name) > 0; words++ {
			var tok []byte
			tok, rest = cutToken(rest)
			c = classOf(tok)
			if words == 0 {
				if i == 0 || len(f) == 0 {
					firstC = c
				}
				if i == 1 {
					lastFirstC = c
				}
			}
			if c&classPlaceholderStrong != 0 {
				return whyPlaceholder
			}
			switch {
			case c&classPlaceholderWeak != 0:
				anyWeak = true
			case c&classParticle == 0:
				allWeak = false
			}
			switch {
			case c&classTest != 0:
				anyTest = true
				strongTest = strongTest || c&classTestStrong != 0
			case c&classTestFiller == 0 && len(tok) > 1:
				allTest = false
			}
			if len(tok) != 1 || tok[0] >= utf8.RuneSelf {
				allInitials = false
			}
			if s := string(tok); s == "http" || s == "https" || s == "www" {
				web = true
			}
		}
		// fictionalSingles are one word, matched against a whole name.
		if words == 1 && c&classFictional != 0 {
			fictional = true
		}
		if i == 0 {
			firstTest = allTest && anyTest
		}
	}
	// Whole-name tables are consulted only when the first word starts an
	// entry (classFictionalStart, classExactStart), which it rarely does.
	if fictional || firstC&classFictionalStart != 0 && inSet(fictionalNames, fl) {
		return whyFictional
	}
	if lastFirstC&classFictionalStart != 0 && len(f) > 0 {
		// Given in the wrong order: "Mouse", "Mickey".
		var rev [2*maxNameRunes*utf8.UTFMax + 1]byte
		if inSet(fictionalNames, joinFolded(rev[:0], l, f)) {
			return whyFictional
		}
	}
	switch {
	case web:
		return whyWeb
	case allWeak && anyWeak:
		return whyPlaceholder
	case strongTest, allTest && anyTest, sameChar(fl),
		firstC&classExactStart != 0 && inSet(testExact, fl),
		// The first name alone counts too ("Test", "N/A" with a real
		// surname); the last name alone does not, since Null, Sample and
		// Demo are surnames.
		len(l) > 0 && (firstTest || sameChar(f) || firstC&classExactStart != 0 && inSet(testExact, f)):
		return whyTest
	case allInitials:
		return whyInitials
	case len(f) <= 2 && string(f) == string(l) && isASCIILetters(f):
		return whySameShort
	case isMash(first, mashName) || isMash(last, mashName):
		return whyMash
	}
	return ""
}

// joinFolded writes "a b", or just the non-empty one.
func joinFolded(dst, a, b []byte) []byte {
	dst = append(dst, a...)
	if len(a) > 0 && len(b) > 0 {
		dst = append(dst, ' ')
	}
	return append(dst, b...)
}

func inSet(m map[string]struct{}, b []byte) bool {
	_, ok := m[string(b)]
	return ok
}

func isASCIILetters(b []byte) bool {
	for _, c := range b {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return len(b) > 0
}
