package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/lead"
)

// freeMail are the consumer mailboxes people use instead of their work
// address, by locale.
var freeMail = [numLocales][]w[string]{
	es: {{"gmail.com", 55}, {"hotmail.com", 20}, {"outlook.com", 10}, {"yahoo.com", 5}, {"yahoo.com.mx", 4}, {"hotmail.es", 3}, {"live.com", 3}},
	pt: {{"gmail.com", 50}, {"hotmail.com", 15}, {"outlook.com", 10}, {"yahoo.com.br", 8}, {"uol.com.br", 7}, {"bol.com.br", 5}, {"terra.com.br", 5}},
	en: {{"gmail.com", 55}, {"outlook.com", 12}, {"yahoo.com", 12}, {"icloud.com", 10}, {"hotmail.com", 8}, {"aol.com", 3}},
	fr: {{"gmail.com", 50}, {"hotmail.com", 20}, {"videotron.ca", 15}, {"outlook.com", 15}},
}

// roleLocals are shared mailboxes typed into forms by receptionists.
var roleLocals = [numLocales][]string{
	es: {"info", "contacto", "ventas", "compras", "calidad"},
	pt: {"contato", "comercial", "compras", "qualidade"},
	en: {"info", "sales", "purchasing", "quality"},
	fr: {"info", "achats", "qualite"},
}

// person is a generated person with the hidden facts the generator keeps
// about them.
type person struct {
	lead.Person
	loc     locale
	female  bool
	freeBox bool // the email is a consumer mailbox
}

// newPerson draws someone working at co, from country pc.
func newPerson(r *rand.Rand, co *company, pc int) person {
	c := &countries[pc]
	loc := c.loc
	if pc == co.ci {
		loc = co.loc
	}
	p := person{loc: loc, female: chance(r, 0.46)}
	g := 0
	if p.female {
		g = 1
	}
	p.FirstName = one(r, firstNames[loc][g])
	p.LastName = one(r, lastNames[loc])
	if (loc == es && chance(r, 0.35)) || (loc == pt && chance(r, 0.3)) {
		second := one(r, lastNames[loc])
		if second != p.LastName {
			p.LastName += " " + second
		}
	}
	p.Country = c.code
	p.Language = langOf[loc]
	ct := co.city
	if pc != co.ci || chance(r, 0.3) {
		ct = homeCity(r, c, loc)
	}
	p.City, p.Region = ct.name, ct.region

	p.Seniority = pick(r, seniorityShares(co.employees, co.ind))
	d := &depts[pick(r, deptShares)]
	if p.Seniority != senCLevel && p.Seniority != senOwner && p.Seniority != senStudent {
		p.Department = d.code
	}
	t := one(r, titles[loc][p.Seniority])
	title := t[0]
	if p.female && t[1] != "" {
		title = t[1]
	}
	if strings.Contains(title, "%s") {
		title = fmt.Sprintf(title, d.names[loc])
	}
	if chance(r, 0.9) {
		p.Title = title
	}
	if chance(r, 0.25) {
		p.Gender = "male"
		if p.female {
			p.Gender = "female"
		}
	}
	if chance(r, 0.15) {
		p.Age, p.YearsExperience = age(r, p.Seniority)
	}
	p.Email, p.freeBox = email(r, &p, co)
	if chance(r, 0.55) {
		p.Phone = phone(r, c, ct)
	}
	return p
}

// age draws an age and years of experience that fit the seniority.
func age(r *rand.Rand, seniority string) (age, years int) {
	lo, hi := 24, 45
	switch seniority {
	case senStudent:
		lo, hi = 19, 28
	case senManager:
		lo, hi = 28, 55
	case senDirector:
		lo, hi = 33, 60
	case senVP, senSVP, senCLevel:
		lo, hi = 38, 66
	case senOwner:
		lo, hi = 30, 70
	}
	age = lo + r.IntN(hi-lo+1)
	years = max(0, age-22-r.IntN(4))
	if seniority == senStudent {
		years = 0
	}
	return age, years
}

// email writes the address the way people at that company have them:
// mostly first.last at the company domain, some consumer mailboxes
// (with the digits people add), a few shared role boxes.
func email(r *rand.Rand, p *person, co *company) (addr string, free bool) {
	first := fold(strings.Fields(p.FirstName)[0])
	lastWords := strings.Fields(p.LastName)
	last := fold(lastWords[0])
	x := r.Float64()
	switch {
	case x < 0.02:
		return one(r, roleLocals[p.loc]) + "@" + co.domain, false
	case x < 0.19 || p.Seniority == senStudent && x < 0.7:
		local := pick(r, []w[string]{{first + "." + last, 3}, {first + last, 2}, {first[:1] + last, 2}, {first + "_" + last, 1}})
		if chance(r, 0.6) {
			local += strconv.Itoa(pick(r, []w[int]{{r.IntN(100), 2}, {1960 + r.IntN(45), 1}}))
		}
		return local + "@" + pick(r, freeMail[p.loc]), true
	}
	local := pick(r, []w[string]{
		{first + "." + last, 45}, {first[:1] + last, 20}, {first, 6}, {first + last, 8},
		{first + "_" + last, 4}, {first[:1] + "." + last, 8}, {first + last[:1], 5}, {last + "." + first, 2},
	})
	if len(lastWords) > 1 && chance(r, 0.1) {
		local += "." + fold(lastWords[1])
	}
	return local + "@" + co.domain, false
}
