package quality

import "strings"

// testWordsStrong are what testers and reluctant form-fillers type instead
// of data, and never a real name or company word on their own, so one of
// them anywhere in a name marks it.
var testWordsStrong = newSet(
	"prueba", "pruebas", "probando", "teste", "testes", "testando", "testing", "testeo",
	"asdf", "asdfg", "asdfgh", "asdfghjkl", "asd", "qwer", "qwert", "qwerty", "qwe", "zxc", "zxcv",
	"lorem", "ipsum", "foobar", "fake", "dummy", "xxx", "xxxx", "aaa", "aaaa", "blabla", "blablabla",
)

// testWordsWeak are test words that are also real surnames or company
// names (Jennifer Null, Joe Sample, Demo S.A.). They count only when the
// whole value is made of test words and filler.
var testWordsWeak = newSet(
	"test", "tests", "demo", "sample", "null", "example", "ejemplo", "exemplo", "bla", "blah",
)

// testFiller are words that come with test words without making a value
// real: "Usuario de Prueba", "Test Company Inc", "Empresa Teste Ltda".
var testFiller = newSet(
	"user", "usuario", "usuaria", "lead", "company", "empresa", "compania", "companhia",
	"cliente", "client", "customer", "de", "da", "do", "del", "la", "el", "the", "of",
	"name", "nombre", "nome", "apellido", "sobrenome", "account", "cuenta", "conta",
	"contact", "contacto", "contato", "person", "persona", "pessoa", "mr", "mrs", "ms",
	"sr", "sra", "srta", "one", "uno", "um", "una", "data", "datos", "dados", "form",
	"formulario", "prospect", "prospecto", "mail", "email", "correo", "inc", "ltda", "ltd",
	"sa", "sas", "llc", "corp", "srl", "cia", "co", "me", "eireli", "spa",
)

// testExact are whole values meaning "nothing to put here": N/A, none,
// "no tengo", "não tenho". They are test values because a definition
// treats them like the missing value they stand for, not like a company
// called "Ninguna". Words that are also given names stay out: na (Li Na),
// nada (Nada, common in the Balkans and the Arab world), nil (Turkish Nil),
// sin (Korean Sin).
var testExact = newSet(
	"n a", "n d", "s n", "s d", "nn", "xx", "no", "none", "nothing", "ninguno", "ninguna",
	"nenhum", "nenhuma", "no tengo", "no tiene", "no hay", "no aplica", "nao",
	"nao tenho", "nao tem", "nao possui", "nao se aplica", "nao aplica", "sin empresa",
	"sin nombre", "sin datos", "sin dato", "sem empresa", "sem nome", "not applicable",
	"not available", "undefined", "unknown", "desconocido", "desconocida",
	"desconhecido", "desconhecida", "no name", "noname",
)

// testLocals are local parts of made-up addresses, beyond the test words.
var testLocals = newSet(
	"noemail", "nomail", "sinemail", "sincorreo", "sinmail", "semeemail", "notengo",
	"notiene", "none", "no", "nombre", "tunombre", "tuemail", "tucorreo", "seuemail",
	"seunome", "yourname", "youremail", "name", "user", "usuario", "email", "correo",
)

// testDomains are reserved example domains (RFC 2606) and the placeholder
// domains form hints suggest ("tu@correo.com", "nome@suaempresa.com.br").
// Subdomains count too.
var testDomains = newSet(
	"example.com", "example.net", "example.org", "example.edu", "test.com", "teste.com",
	"teste.com.br", "prueba.com", "pruebas.com", "fake.com", "asdf.com", "dominio.com",
	"tudominio.com", "midominio.com", "sudominio.com", "empresa.com", "tuempresa.com",
	"suempresa.com", "miempresa.com", "correo.com", "tucorreo.com", "sucorreo.com",
	"micorreo.com", "seudominio.com", "seudominio.com.br", "seuemail.com", "seuemail.com.br",
	"suaempresa.com", "suaempresa.com.br", "exemplo.com", "exemplo.com.br", "ejemplo.com",
	"domain.com", "yourdomain.com", "yourcompany.com", "company.com", "mailinator.test",
)

// testTLDs are reserved by RFC 2606 and RFC 6761 and never deliver mail.
var testTLDs = newSet("test", "example", "invalid", "localhost", "local")

// IsTestValue reports whether s is a placeholder rather than data: "test",
// "teste", "prueba", "asdf", "xxx", "N/A", "no tengo", "Usuario de Prueba",
// "123", "---", or an address such as test@… or …@example.com. A value
// that only contains a test word among real words ("Laboratorio de
// Pruebas", "Test Systems Inc") is not one.
func IsTestValue(s string) bool {
	t := trimSpace(s)
	if t == "" || len(t) > maxTableInput {
		return false
	}
	if at := strings.LastIndexByte(t, '@'); at >= 0 {
		d, _, _ := normalizeDomain(trimSpace(t[at+1:]))
		return isTestEmail(t[:at], d)
	}
	var buf [maxTableInput]byte
	return isTestText(appendFolded(buf[:0], t))
}

// isTestText judges a folded value.
func isTestText(f []byte) bool {
	if len(f) == 0 {
		return true // only punctuation or symbols: "-", "...", "?"
	}
	if first, _ := cutToken(f); classOf(first)&classExactStart != 0 && inSet(testExact, f) {
		return true
	}
	if sameChar(f) || digitRun(f) {
		return true
	}
	return allTestWords(f)
}

// allTestWords reports whether a folded value is made of test words and
// filler only, with at least one test word. One-letter words and numbers
// are ignored ("Test 1", "Prueba A").
func allTestWords(f []byte) bool {
	test := false
	for rest := f; rest != nil; {
		var tok []byte
		tok, rest = cutToken(rest)
		tok = trimDigits(tok)
		if len(tok) <= 1 {
			continue
		}
		c := classOf(tok)
		if c&classTest != 0 {
			test = true
			continue
		}
		if c&classTestFiller == 0 {
			return false
		}
	}
	return test
}

// sameChar reports three or more of one character and nothing else,
// spaces aside: "aaa", "x x x", "0000".
func sameChar(f []byte) bool {
	n := 0
	for _, c := range f {
		if c == ' ' {
			continue
		}
		if c != f[0] {
			return false
		}
		n++
	}
	return n >= 3
}

// digitRun reports counting digits: "123", "1234", "4321", "0123".
func digitRun(f []byte) bool {
	if len(f) < 3 {
		return false
	}
	step := int(f[1]) - int(f[0])
	if step != 1 && step != -1 {
		return false
	}
	for i := range f {
		if f[i] < '0' || f[i] > '9' {
			return false
		}
		if i > 0 && int(f[i])-int(f[i-1]) != step {
			return false
		}
	}
	return true
}

// isTestEmail judges an address by its parts: a test local part
// ("test@", "prueba1@", "asdf@"), a test domain or reserved TLD, or the
// same one- or two-letter word on both sides ("a@a.com"). domain is
// normalised, "" when it is not a plausible domain.
func isTestEmail(rawLocal, domain string) bool {
	if plus := strings.IndexByte(rawLocal, '+'); plus >= 0 {
		rawLocal = rawLocal[:plus]
	}
	var lbuf [maxTableInput]byte
	local := appendFolded(lbuf[:0], rawLocal)
	// "test.123", "prueba_01": drop separators and trailing digits.
	var wbuf [maxTableInput]byte
	whole := wbuf[:0]
	for _, c := range local {
		if c != ' ' {
			whole = append(whole, c)
		}
	}
	whole = trimDigits(whole)
	if len(whole) > 0 && (classOf(whole)&(classTest|classTestLocal) != 0 || sameChar(whole)) {
		return true
	}
	if isTestText(local) && len(local) > 0 {
		return true
	}
	if domain == "" {
		return false
	}
	for d := domain; ; {
		dot := strings.IndexByte(d, '.')
		if dot < 0 {
			if _, ok := testTLDs[d]; ok {
				return true
			}
			break
		}
		if _, ok := testDomains[d]; ok {
			return true
		}
		d = d[dot+1:]
	}
	first, _, _ := strings.Cut(domain, ".")
	if first == "example" || first == "exemplo" || first == "ejemplo" {
		return true
	}
	return len(whole) > 0 && len(whole) <= 2 && string(whole) == first
}
