package quality

import (
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
func BenchmarkCompute(b *testing.B) {
	for _, bc := range []struct {
		name string
		need Need
	}{
		{"no-phone", NeedAll &^ NeedPhone},
		{"all", NeedAll},
	} {
		for _, l := range benchLeads {
			b.Run(bc.name+"/"+l.name, func(b *testing.B) {
				Compute(&l.person, &l.company, bc.need) // load the lists first
				b.ReportAllocs()
				for b.Loop() {
					Compute(&l.person, &l.company, bc.need)
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
