package intake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
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
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(p.out); err != nil {
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
func TestFillAsThroughEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 2000 {
		testFill[lead.Person](t, rng, i)
		testFill[lead.Company](t, rng, i)
	}
}

func testFill[T any](t *testing.T, rng *rand.Rand, i int) {
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
	a, b := known, known
	ra, rb := map[string]any{}, map[string]any{}
	errA := fill(&a, &sent, "x.", ra)
	errB := fillThroughEncodingJSON(&b, &sent, "x.", rb)
	if (errA != nil) != (errB != nil) {
		t.Fatalf("%T %d: error %v, through encoding/json %v", known, i, errA, errB)
	}
	if errA != nil {
		return
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
}
