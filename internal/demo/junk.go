package demo

import (
	"math/rand/v2"
	"strings"

	"github.com/pistahq/pista/internal/lead"
)

// Kinds of junk (Truth.Junk): what quality checks must catch.
const (
	JunkFictional  = "fictional"  // Mickey Mouse, Pato Donald
	JunkTest       = "test"       // Test Test, test@test.com
	JunkMash       = "mash"       // asdf qwer
	JunkDisposable = "disposable" // a plausible name at a throw-away mailbox
)

var fictional = [][2]string{
	{"Mickey", "Mouse"}, {"Donald", "Duck"}, {"Pato", "Donald"}, {"Minnie", "Mouse"}, {"Bob", "Esponja"},
	{"Homer", "Simpson"}, {"Speedy", "Gonzales"}, {"Pedro", "Picapiedra"}, {"Fulano", "de Tal"}, {"John", "Doe"},
	{"Bugs", "Bunny"}, {"Harry", "Potter"}, {"Papai", "Noel"}, {"Chapulín", "Colorado"},
}

var testNames = [][2]string{{"Test", "Test"}, {"test", "test"}, {"Prueba", "Prueba"}, {"Teste", "Teste"}, {"Test", "User"}, {"prueba", "123"}}

var mashNames = [][2]string{{"asdf", "asdf"}, {"Qwerty", "Asdfg"}, {"jkjkjk", "lklklk"}, {"sdfsdf", "dfgdfg"}, {"aaaa", "bbbb"},
	{"Hjkl", "Ñlkj"}, {"zxcv", "zxcvb"}, {"Asdasd", "Asdasd"}}

var disposable = []string{"mailinator.com", "yopmail.com", "guerrillamail.com", "10minutemail.com", "sharklasers.com", "trashmail.com", "maildrop.cc"}

var testEmails = []string{"test@test.com", "prueba@prueba.com", "teste@teste.com.br", "test123@example.com", "a@a.com", "correo@correo.com"}

var junkCompanies = []string{"", "Disney", "Acme", "N/A", "Test", "asdf", "Ninguna", "xxx", "Particular"}

var junkPhones = []string{"1234567", "0000000000", "123456789", "1111111", "000000"}

// junkLead is a submission a quality check must catch. ci is the country
// the form was filled in from; junk has the country's locale but no
// trustworthy data.
func junkLead(r *rand.Rand, ci int) (lead.Person, lead.Company, locale, string) {
	c := &countries[ci]
	p := lead.Person{Country: c.code, Language: langOf[c.loc]}
	co := lead.Company{Name: one(r, junkCompanies)}
	kind := pick(r, []w[string]{{JunkFictional, 35}, {JunkTest, 25}, {JunkMash, 20}, {JunkDisposable, 20}})
	var n [2]string
	switch kind {
	case JunkFictional:
		n = one(r, fictional)
	case JunkTest:
		n = one(r, testNames)
	case JunkMash:
		n = one(r, mashNames)
	default:
		g := r.IntN(2)
		n = [2]string{one(r, firstNames[c.loc][g]), one(r, lastNames[c.loc])}
	}
	p.FirstName, p.LastName = n[0], n[1]
	local := fold(n[0]) + pick(r, []w[string]{{"", 2}, {fold(n[1]), 2}, {"123", 1}, {"." + fold(n[1]), 1}})
	switch {
	case kind == JunkTest && chance(r, 0.7):
		p.Email = one(r, testEmails)
	case kind == JunkDisposable || chance(r, 0.5):
		p.Email = local + "@" + one(r, disposable)
	default:
		p.Email = local + "@" + pick(r, freeMail[c.loc])
	}
	if kind == JunkMash && chance(r, 0.3) {
		p.Email = strings.ToLower(n[0]) + "@" + pick(r, freeMail[c.loc])
	}
	if chance(r, 0.3) {
		p.Phone = one(r, junkPhones)
	}
	if chance(r, 0.2) {
		p.Title = one(r, []string{"asdf", "ceo", "Test", "x", "Jefe"})
	}
	return p, co, c.loc, kind
}
