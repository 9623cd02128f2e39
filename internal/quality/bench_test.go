package quality

import (
	"fmt"
	"testing"

	"github.com/pistahq/pista/internal/lead"
)

// benchLeads are a typical clean lead and a typical junk lead; the engine
// sees both kinds all day.
var benchLeads = []struct {
	name    string
	person  lead.Person
	company lead.Company
}{
	{"clean", lead.Person{Email: "ana.gomez@empresa.com.co", FirstName: "Ana María", LastName: "Gómez",
		Phone: "+57 300 123 4567", Country: "CO"}, lead.Company{Name: "Empresa de Ingeniería S.A.S."}},
	{"junk", lead.Person{Email: "Test@Mailinator.com", FirstName: "Mickey", LastName: "Mouse",
		Phone: "300 123", Country: "CO"}, lead.Company{Name: "asdf"}},
}

// BenchmarkCompute is the cost of facts to quote in docs/PERFORMANCE.md
// and to hold against the engine's budget of 20 µs for a whole evaluation.
// "all" gives every lead a number not asked about before (twice as many
// as the phone memo holds, in turn); "all-again" asks about the same
// number each time, as evaluating a lead again does (the memo answers).
func BenchmarkCompute(b *testing.B) {
	numbers := map[string][]string{} // a lead's name → numbers of its kind
	for i := range 2 * phoneSlots {
		numbers["clean"] = append(numbers["clean"], fmt.Sprintf("+57 300 %03d %04d", i/10000, i%10000))
		numbers["junk"] = append(numbers["junk"], fmt.Sprint(1000+i)) // too short
	}
	for _, bc := range []struct {
		name  string
		need  Need
		fresh bool
	}{
		{"no-phone", NeedAll &^ NeedPhone, false},
		{"all", NeedAll, true},
		{"all-again", NeedAll, false},
	} {
		for _, l := range benchLeads {
			b.Run(bc.name+"/"+l.name, func(b *testing.B) {
				p := l.person
				Compute(&p, &l.company, bc.need) // load the lists first
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if bc.fresh {
						p.Phone, i = numbers[l.name][i], (i+1)%len(numbers[l.name])
					}
					Compute(&p, &l.company, bc.need)
				}
			})
		}
	}
}

// BenchmarkDisposableSet is the one-time cost of the first email check in
// a process.
func BenchmarkDisposableSet(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		buildDisposableSet()
	}
}
