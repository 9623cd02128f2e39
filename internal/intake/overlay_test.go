package intake

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/pistahq/pista/internal/lead"
)

// overlayJSON is what overlayPerson and overlayCompany must do: copy the
// fields JSON with omitempty carries from src onto a new dst.
func overlayJSON[T any](dst, src *T) error {
	var out T
	for _, v := range []*T{dst, src} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &out); err != nil {
			return err
		}
	}
	*dst = out
	return nil
}

// TestOverlayAsJSON fills people and companies at random, each field
// given or left empty, and checks the field-by-field overlay against the
// JSON one. A field added to lead.Person or lead.Company that the overlay
// does not copy fails here.
func TestOverlayAsJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		var dp, sp lead.Person
		var dc, sc lead.Company
		for _, v := range []any{&dp, &sp, &dc, &sc} {
			fillRandom(r, reflect.ValueOf(v).Elem())
		}
		before := dp
		wantP, wantC := dp, dc
		if err := overlayJSON(&wantP, &sp); err != nil {
			t.Fatal(err)
		}
		if err := overlayJSON(&wantC, &sc); err != nil {
			t.Fatal(err)
		}
		overlayPerson(&dp, &sp)
		overlayCompany(&dc, &sc)
		if !reflect.DeepEqual(dp, wantP) {
			t.Fatalf("case %d: person\n got %+v\nwant %+v", i, dp, wantP)
		}
		if !reflect.DeepEqual(dc, wantC) {
			t.Fatalf("case %d: company\n got %+v\nwant %+v", i, dc, wantC)
		}
		if len(before.Attributes) > 0 && len(sp.Attributes) > 0 && reflect.ValueOf(before.Attributes).Pointer() == reflect.ValueOf(dp.Attributes).Pointer() {
			t.Fatalf("case %d: the attributes were changed in place", i)
		}
	}
}

// fillRandom gives each field of v a random value, or leaves it empty.
func fillRandom(r *rand.Rand, v reflect.Value) {
	words := []string{"a", "Bogotá", "vp", "USD", "COP", "x y"}
	for i := range v.NumField() {
		f := v.Field(i)
		if !v.Type().Field(i).IsExported() || r.IntN(3) == 0 {
			continue
		}
		switch f.Kind() {
		case reflect.String:
			f.SetString(words[r.IntN(len(words))])
		case reflect.Int:
			f.SetInt(int64(r.IntN(3)))
		case reflect.Slice:
			n := r.IntN(3)
			s := reflect.MakeSlice(f.Type(), n, n)
			for k := range n {
				s.Index(k).SetString(words[r.IntN(len(words))])
			}
			f.Set(s)
		case reflect.Map:
			m := map[string]any{}
			for range r.IntN(3) {
				m[words[r.IntN(len(words))]] = []any{"v", float64(r.IntN(3)), nil}[r.IntN(3)]
			}
			f.Set(reflect.ValueOf(m))
		case reflect.Struct: // Money
			f.Set(reflect.ValueOf(lead.Money{Amount: float64(r.IntN(2)) * 1e6, Currency: []string{"", "USD", "COP"}[r.IntN(3)]}))
		default:
			panic("fill: a field of kind " + f.Kind().String() + ": teach fillRandom and the overlay about it")
		}
	}
}

// BenchmarkOverlay is what a known person's inquiry spends updating the
// lead's person and company: field by field, and through JSON as before.
func BenchmarkOverlay(b *testing.B) {
	p := lead.Person{Email: "laura.chen@helixbio.com", FirstName: "Laura", LastName: "Chen", Seniority: "vp", Country: "US", Title: "VP Quality"}
	c := lead.Company{Name: "Helix Biosciences", Industry: "life_sciences", Revenue: lead.Money{Amount: 4.2e9, Currency: "USD"}, Country: "US", Domain: "helixbio.com"}
	in := lead.Person{FirstName: "Laura", LastName: "Chen", Phone: "+16175550142", Attributes: map[string]any{"webinar": "nov"}}
	inc := lead.Company{Name: "Helix Biosciences Inc.", Employees: 1200}
	b.Run("fields", func(b *testing.B) {
		for b.Loop() {
			dp, dc := p, c
			overlayPerson(&dp, &in)
			overlayCompany(&dc, &inc)
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			dp, dc := p, c
			overlayJSON(&dp, &in)
			overlayJSON(&dc, &inc)
		}
	})
}
