package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/pistahq/pista/internal/lead"
)

// company is one organisation of the demo world. Its firmographics are a
// pure function of its key (country, locale, industry, root, word), so
// two people from "Laboratorios Altamira S.A.S." always report the same
// size and revenue, whatever the seed, without the generator remembering
// any company: memory stays constant.
type company struct {
	ci, ind    int
	loc        locale
	city       *city
	name       string
	domain     string
	employees  int
	revenueUSD float64
	lead       lead.Company
}

// newCompany draws a company for a person in country ci.
func newCompany(r *rand.Rand, ci int) company {
	c := &countries[ci]
	loc := c.loc
	if c.code == "CA" && chance(r, 0.2) {
		loc = fr
	}
	ind := pick(r, industryShares)
	root := r.IntN(len(companyRoots[loc]))
	wi := 0
	if ind == indGovernment {
		root, wi = 0, r.IntN(len(govNames[loc]))
	} else {
		wi = r.IntN(len(industries[ind].words[loc]))
	}
	return buildCompany(ci, loc, ind, root, wi)
}

// buildCompany derives everything about a company from its key.
func buildCompany(ci int, loc locale, ind, root, wi int) company {
	c := &countries[ci]
	h := uint64(14695981039346656037) // FNV-1a over the key
	for _, v := range [...]int{ci, int(loc), ind, root, wi} {
		h = (h ^ uint64(v)) * 1099511628211
	}
	cr := rand.New(rand.NewPCG(h, 0x9e3779b97f4a7c15))

	co := company{ci: ci, ind: ind, loc: loc, city: homeCity(cr, c, loc)}
	if ind == indGovernment {
		g := govNames[loc][wi]
		cityName := co.city.name
		co.name = fmt.Sprintf(g.name, cityName)
		co.domain = fmt.Sprintf(g.dom, fold(cityName)) + c.govTLD
	} else {
		rt, wd := companyRoots[loc][root], industries[ind].words[loc][wi]
		if loc == en {
			co.name = rt + " " + wd.text
		} else {
			co.name = wd.text + " " + rt
		}
		switch {
		case ind == indEducation:
			co.domain = joinDomain(fold(rt), wd) + c.eduTLD
		default:
			if chance(cr, 0.6) {
				co.name += " " + one(cr, c.legal)
			}
			label, tld := joinDomain(fold(rt), wd), one(cr, c.tlds)
			if tld == ".com" && c.code != "US" {
				// The same name exists in several countries; a .com
				// belongs to one of them, the others add their country.
				label += strings.ToLower(c.code)
			}
			co.domain = label + tld
		}
	}

	in := &industries[ind]
	emp := logNormal(cr, in.empMedian, 1.9)
	emp = math.Max(1, math.Min(emp, 350_000))
	if emp >= 100 {
		emp = roundSig(emp, 2)
	}
	co.employees = int(emp)
	if in.revPerEmp > 0 {
		co.revenueUSD = roundSig(float64(co.employees)*in.revPerEmp*c.revFactor*logNormal(cr, 1, 0.35), 3)
	}
	co.lead = lead.Company{Name: co.name, Domain: co.domain, Industry: in.code, Employees: co.employees, Country: c.code}
	if co.revenueUSD > 0 {
		co.lead.Revenue = lead.Money{Amount: roundSig(co.revenueUSD*c.perUSD, 2), Currency: c.currency}
	}
	if co.employees >= 200 {
		co.lead.Divisions = min(12, 1+int(math.Log2(float64(co.employees)/200)))
	}
	if co.employees >= 1000 && ind != indGovernment {
		co.lead.Markets = markets(cr, c.code)
	}
	switch {
	case c.code == "US" && co.revenueUSD >= 7.4e9:
		co.lead.Rankings = []string{"fortune_500"}
	case co.revenueUSD >= 10e9:
		co.lead.Rankings = []string{"global_2000"}
	}
	return co
}

// joinDomain glues a folded root and an industry word into a domain label.
func joinDomain(root string, wd word) string {
	if wd.before {
		return wd.dom + root
	}
	return root + wd.dom
}

// homeCity picks the headquarters among the cities speaking loc.
func homeCity(r *rand.Rand, c *country, loc locale) *city {
	n := 0
	for i := range c.cities {
		if c.cities[i].loc == loc {
			n++
		}
	}
	k := r.IntN(n)
	for i := range c.cities {
		if c.cities[i].loc == loc {
			if k == 0 {
				return &c.cities[i]
			}
			k--
		}
	}
	return &c.cities[0]
}

// markets lists the countries a large company sells in: home first.
func markets(r *rand.Rand, home string) []string {
	m := []string{home}
	for i := range countries {
		if code := countries[i].code; code != home && chance(r, 0.2) {
			m = append(m, code)
		}
	}
	return m
}

// submitted is what one person reports about their company on one form:
// forms ask for different fields and people skip some, so revenue and
// size are often missing even though the company has them.
func (co *company) submitted(r *rand.Rand, format string) lead.Company {
	out := co.lead
	if chance(r, 0.3) {
		out.Revenue = lead.Money{}
	}
	if chance(r, 0.15) {
		out.Employees = 0
	}
	if format != "import" && format != "purchased_list" {
		out.Markets, out.Divisions = nil, 0
	}
	if chance(r, 0.05) {
		out.Name = strings.ToUpper(out.Name) // typed in capitals
	}
	return out
}
