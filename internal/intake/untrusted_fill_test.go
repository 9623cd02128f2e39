package intake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/jsonappend/jsonappendtest"
	"github.com/pistahq/pista/internal/lead"
)

// fillThroughEncodingJSON is fill as it was, every step through
// encoding/json: what fill must still do.
func fillThroughEncodingJSON[T any](dst, src *T, prefix string, reported map[string]any) error {
	var d, s map[string]any
	for _, p := range []struct {
		v   any
		out *map[string]any
	}{{dst, &d}, {src, &s}} {
		b, err := json.Marshal(p.v)
		if err != nil {
			return err
		}
		if err := decodeMap(b, p.out); err != nil { // encoding/json, numbers as json.Number
			return err
		}
	}
	if d == nil {
		d = map[string]any{}
	}
	fillMap(d, s, prefix, reported)
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		return err
	}
	*dst = out
	return nil
}

// An untrusted inquiry fills a known person's and company's blanks and
// reports what it says differently exactly as when every step went
// through encoding/json: random people and companies, given whole, in
// part, or the same as what is known.
//
// Half of them are tidied as stored leads and validated inquiries are (UTF-8
// text, currencies as ISO codes), so that most of those take fill's way
// without JSON (fillPerson, fillCompany); the rest, with what JSON would
// alter, mostly go through JSON. Both must give what JSON gave.
func TestFillAsThroughEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	direct := 0
	for i := range 2000 {
		direct += testFill[lead.Person](t, rng, i)
		direct += testFill[lead.Company](t, rng, i)
	}
	if direct < 1000 {
		t.Errorf("%d of 4,000 fills took the way without JSON; want most of the 2,000 tidied ones", direct)
	}
}

// testFill reports 1 if the fill took the way without JSON.
func testFill[T any](t *testing.T, rng *rand.Rand, i int) int {
	t.Helper()
	var known, sent T
	jsonappendtest.Fill(rng, reflect.ValueOf(&known).Elem(), i%10 == 0)
	switch i % 3 {
	case 0:
		jsonappendtest.Fill(rng, reflect.ValueOf(&sent).Elem(), i%7 == 0)
	case 1:
		sent = known // nothing to fill or report
	case 2:
		sent = known
		jsonappendtest.Fill(rng, reflect.ValueOf(&sent).Elem(), false) // some fields said again, some differently
	}
	if i%2 == 0 {
		tidy(&known)
		tidy(&sent)
	}
	direct := 0
	if c := known; fillDirectly(&c, &sent) {
		direct = 1
	}
	a, b := known, known
	ra, rb := map[string]any{}, map[string]any{}
	errA := fill(&a, &sent, "x.", ra)
	errB := fillThroughEncodingJSON(&b, &sent, "x.", rb)
	if (errA != nil) != (errB != nil) {
		t.Fatalf("%T %d: error %v, through encoding/json %v", known, i, errA, errB)
	}
	if errA != nil {
		return direct
	}
	for _, pair := range [][2]any{{a, b}, {ra, rb}} {
		got, err1 := json.Marshal(pair[0])
		want, err2 := json.Marshal(pair[1])
		if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
			t.Fatalf("%T %d: %s\nthrough encoding/json: %s (%v, %v)", known, i, got, want, err1, err2)
		}
	}
	if fmt.Sprint(reflect.DeepEqual(a, b)) != "true" {
		t.Fatalf("%T %d: %+v\nthrough encoding/json: %+v", known, i, a, b)
	}
	return direct
}

// fillDirectly reports whether fill takes the way without JSON for dst
// and src (on a copy of dst).
func fillDirectly[T any](dst, src *T) bool {
	switch d := any(dst).(type) {
	case *lead.Person:
		return fillPerson(d, any(src).(*lead.Person), "x.", map[string]any{})
	case *lead.Company:
		return fillCompany(d, any(src).(*lead.Company), "x.", map[string]any{})
	}
	return false
}

// tidy makes a random person's or company's text UTF-8 and its currency
// an ISO code, as stored leads and validated inquiries have them.
func tidy[T any](v *T) {
	var texts []*string
	var lists [][]string
	var money *lead.Money
	switch v := any(v).(type) {
	case *lead.Person:
		texts = []*string{&v.Email, &v.FirstName, &v.LastName, &v.Phone, &v.Title, &v.Seniority, &v.Department, &v.Gender,
			&v.Education, &v.Country, &v.Region, &v.City, &v.Language}
		lists, money = [][]string{v.Specialties}, &v.Income
	case *lead.Company:
		texts = []*string{&v.Name, &v.Domain, &v.Industry, &v.Country}
		lists, money = [][]string{v.Products, v.Markets, v.Rankings}, &v.Revenue
	}
	for _, l := range lists {
		for i := range l {
			texts = append(texts, &l[i])
		}
	}
	for _, p := range texts {
		*p = strings.ToValidUTF8(*p, "?")
	}
	if money.Currency != "" {
		money.Currency = "BRL"
	}
}

// BenchmarkFill: an untrusted inquiry's person and company filled into a
// known lead's, as applyInquiry does, and the same through encoding/json
// at every step as fill once did.
func BenchmarkFill(b *testing.B) {
	known := knownInquiry("price_request")
	known.Person.Attributes = map[string]any{"campaign": "fall", "score": 12.0}
	sent := knownInquiry("newsletter_signup")
	sent.Person.FirstName, sent.Person.Title, sent.Company.Name, sent.Company.Country = "Mallory", "Head of Lab", "Evil Corp", "MX"
	for _, way := range []struct {
		name    string
		person  func(dst, src *lead.Person, prefix string, reported map[string]any) error
		company func(dst, src *lead.Company, prefix string, reported map[string]any) error
	}{
		{"fill", fill[lead.Person], fill[lead.Company]},
		{"through encoding/json", fillThroughEncodingJSON[lead.Person], fillThroughEncodingJSON[lead.Company]},
	} {
		b.Run(way.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, c, reported := known.Person, known.Company, map[string]any{}
				if err := way.person(&p, &sent.Person, "person.", reported); err != nil {
					b.Fatal(err)
				}
				if err := way.company(&c, &sent.Company, "company.", reported); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
