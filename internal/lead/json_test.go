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
// Lead.AppendJSON, and decoding it, with json.Unmarshal and DecodeStored;
// a purchased-list row as pista import stores it.
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
	b.Run("json.Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var l Lead
			if err := json.Unmarshal(row, &l); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("DecodeStored", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var l Lead
			if err := DecodeStored(row, &l); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestDecodeStoredMatchesUnmarshal: DecodeStored reads what AppendJSON
// wrote as json.Unmarshal does, for leads whose every field is set at
// random or left zero; it refuses what is not JSON; and unlike
// json.Unmarshal it reads a company with a field the model no longer has.
func TestDecodeStoredMatchesUnmarshal(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	decoded := 0
	for i := range 3000 {
		var l Lead
		jsonappendtest.Fill(rng, reflect.ValueOf(&l).Elem(), i%10 == 0)
		b, err := l.AppendJSON(nil)
		if err != nil {
			continue // a value JSON cannot hold (see the test above)
		}
		var want, got Lead
		werr, gerr := json.Unmarshal(b, &want), DecodeStored(b, &got)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("lead %d: json.Unmarshal: %v, DecodeStored: %v\n%s", i, werr, gerr, b)
		}
		if werr != nil {
			continue // a money value Money refuses, say; refused by both
		}
		decoded++
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("lead %d:\n got %+v\nwant %+v\n%s", i, got, want, b)
		}
	}
	if decoded < 1000 {
		t.Errorf("only %d of 3000 random leads could be decoded", decoded)
	}
	var l Lead
	for _, bad := range []string{``, `{"person":`, `{"company":{"name":1}}`, `[]`} {
		if err := DecodeStored([]byte(bad), &l); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	old := []byte(`{"person":{"email":"a@b.co"},"company":{"name":"Acme","size_band":"L"},"source":{}}`)
	if err := json.Unmarshal(old, &l); err == nil {
		t.Errorf("json.Unmarshal read an unknown company field: the difference is gone")
	}
	if err := DecodeStored(old, &l); err != nil || l.Company.Name != "Acme" || l.Person.Email != "a@b.co" {
		t.Errorf("a stored company with an old field: %+v, %v", l, err)
	}
}

// TestStoredLeadIsLead: storedLead has Lead's fields, names, types and
// tags, but for the company's type.
func TestStoredLeadIsLead(t *testing.T) {
	a, b := reflect.TypeOf(Lead{}), reflect.TypeOf(storedLead{})
	if a.NumField() != b.NumField() {
		t.Fatalf("Lead has %d fields, storedLead %d: add the new one to storedLead", a.NumField(), b.NumField())
	}
	for i := range a.NumField() {
		fa, fb := a.Field(i), b.Field(i)
		ta, tb := fa.Type, fb.Type
		if ta == reflect.TypeOf(Company{}) {
			ta = reflect.TypeOf(storedCompany{})
		}
		if fa.Name != fb.Name || ta != tb || fa.Tag.Get("json") != fb.Tag.Get("json") {
			t.Errorf("field %d: Lead's %s %v %q, storedLead's %s %v %q", i, fa.Name, fa.Type, fa.Tag.Get("json"), fb.Name, fb.Type, fb.Tag.Get("json"))
		}
	}
}
