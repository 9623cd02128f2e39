package lead

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/jsonappend/jsonappendtest"
)

// TestLeadJSONMatchesEncodingJSON: Lead.AppendJSON writes what
// json.Marshal writes, byte for byte, for leads whose every field (found
// by reflection, so a field added later is filled too) is set at random
// or left zero, with attributes and properties of every kind JSON holds,
// and refuses what json.Marshal refuses.
func TestLeadJSONMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 3000 {
		var l Lead
		jsonappendtest.Fill(rng, reflect.ValueOf(&l).Elem(), i%10 == 0)
		got, err := l.AppendJSON(nil)
		jsonappendtest.SameAsMarshal(t, fmt.Sprintf("lead %d", i), &l, got, err)
	}
	for _, bad := range []Lead{{Person: Person{Income: Money{Amount: math.NaN()}}}, {Person: Person{Attributes: map[string]any{"x": math.Inf(1)}}},
		{Actions: []Action{{Type: "x", At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}, {Mappings: []Mapping{{Score: math.NaN()}}},
		{Company: Company{Attributes: map[string]any{"c": make(chan int)}}}} {
		if _, err := bad.AppendJSON(nil); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// BenchmarkLeadJSON: encoding a lead to store it, by reflection and with
// Lead.AppendJSON; a purchased-list row as pista import stores it.
func BenchmarkLeadJSON(b *testing.B) {
	row := []byte(`{"person":{"email":"mateus.costa0@empresa0.com.co","first_name":"Mateus","last_name":"Costa","title":"Gerente","seniority":"manager","country":"CO","city":"Bogotá","attributes":{"notas":"llamar en la tarde"}},"company":{"name":"Acme 0","domain":"empresa0.com.co","industry":"manufacturing","employees":3984,"country":"CO"},"source":{"format":"purchased_list","channel":"import"},"actions":[{"type":"list_import","at":"2026-10-01T00:00:00Z","props":{"form":"import"}}],"mappings":[{"field":"action.type","raw":"list_import","code":"list_import","how":"unmatched"},{"field":"person.seniority","raw":"Gerente","code":"manager","how":"title"}]}`)
	var l Lead
	if err := json.Unmarshal(row, &l); err != nil {
		b.Fatal(err)
	}
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(&l); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := l.AppendJSON(make([]byte, 0, 1024)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
