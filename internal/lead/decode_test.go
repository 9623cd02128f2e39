package lead

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/pistahq/pista/internal/jsonappend/jsonappendtest"
	"github.com/pistahq/pista/internal/jsonread"
)

// sameAsSlow fails unless decodeFast, when it reads b, reads what
// encoding/json reads (decodeSlow), and DecodeStored always answers as
// decodeSlow does. It reports whether decodeFast read b.
func sameAsSlow(t *testing.T, name string, b []byte) bool {
	t.Helper()
	var want, fast, got Lead
	werr := decodeSlow(b, &want)
	ok := decodeFast(b, &fast)
	if ok && werr != nil {
		t.Fatalf("%s: decodeFast read what encoding/json refuses (%v)\n%s", name, werr, b)
	}
	if ok && !reflect.DeepEqual(fast, want) {
		t.Fatalf("%s: decodeFast:\n got %#v\nwant %#v\n%s", name, fast, want, b)
	}
	if !ok && !reflect.DeepEqual(fast, Lead{}) {
		t.Fatalf("%s: decodeFast declined but changed the lead: %#v", name, fast)
	}
	gerr := DecodeStored(b, &got)
	if (gerr == nil) != (werr == nil) || (werr == nil && !reflect.DeepEqual(got, want)) {
		t.Fatalf("%s: DecodeStored %v, encoding/json %v\n got %#v\nwant %#v", name, gerr, werr, got, want)
	}
	return ok
}

// TestDecodeFast: decodeFast reads every lead AppendJSON writes as
// encoding/json does (leads whose every field is set at random or left
// zero), and the same leads altered at random (white space, escapes,
// bytes changed, inserted or cut) either as encoding/json does or not at
// all, leaving them to it.
func TestDecodeFast(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	stored, fast := 0, 0
	for i := range 3000 {
		var l Lead
		jsonappendtest.Fill(rng, reflect.ValueOf(&l).Elem(), i%10 == 0)
		b, err := l.AppendJSON(nil)
		if err != nil {
			continue
		}
		name := fmt.Sprintf("lead %d", i)
		if decodeSlow(b, &Lead{}) == nil {
			stored++
			if sameAsSlow(t, name, b) {
				fast++
			}
		}
		var indented bytes.Buffer
		if json.Indent(&indented, b, "", "\t") == nil {
			sameAsSlow(t, name+" indented", indented.Bytes())
		}
		for k := range 8 {
			sameAsSlow(t, fmt.Sprintf("%s altered %d", name, k), jsonappendtest.Alter(rng, b))
		}
	}
	// Every lead AppendJSON writes (it writes text that is not UTF-8 as
	// U+FFFD) is read fast.
	if stored < 1000 || fast != stored {
		t.Errorf("decodeFast read %d of %d stored leads", fast, stored)
	}
}

// TestDecodeFastCases: cases decodeFast reads itself (so that what it
// reads is checked, not only left to encoding/json) and cases it must
// leave to encoding/json.
func TestDecodeFastCases(t *testing.T) {
	for _, c := range []struct {
		json string
		fast bool
	}{
		{`{"person":{"email":"a@b.co","age":41,"specialties":[]},"company":{"name":"Smith \u0026 Co","employees":-0,"attributes":{}},"source":{"trusted":true}}`, true},
		{` {"company":{"revenue":{"amount":5e6,"currency":"usd"},"products":["a","b"]},"person":{"income":"5M USD"},"source":{"trusted":false}} `, true},
		{`{"person":{"first_name":"Jo\u00e3o \ud83d\ude00 \ud800 \n\t\"\\\/"},"company":{},"source":{}}`, true},
		{`{"person":{"attributes":{"n":1.5,"b":false,"z":null,"a":[1,"x",{"y":[]}],"o":{}}},"company":{},"source":{}}`, true},
		{`{"id":"7","person":{},"company":{},"source":{},"actions":[{"type":"form","at":"2026-01-02T03:04:05.123-03:00","props":{"form":"demo"}}],"mappings":[{"field":"f","raw":"r","how":"fuzzy","score":0.85}]}`, true},
		{`{"person":{"Email":"a@b.co"},"company":{},"source":{}}`, false},                  // a key in other case
		{`{"person":{},"company":{"size_band":"L"},"source":{}}`, false},                   // a field the model no longer has
		{`{"person":{"email":"a@b.co","email":"c@d.co"},"company":{},"source":{}}`, false}, // a key twice
		{`{"person":{"email":null},"company":{},"source":{}}`, false},
		{`{"person":{"age":41.0},"company":{},"source":{}}`, false},
		{`{"person":{"age":99999999999999999999},"company":{},"source":{}}`, false},
		{`{"person":{"attributes":{"x":1e400}},"company":{},"source":{}}`, false},
		{`{"person":{"city":"Bogot` + "\xe1" + `"},"company":{},"source":{}}`, false},
		{`{"person":{"city":"a` + "\x01" + `"},"company":{},"source":{}}`, false},
		{`{"person":{"city":"\x"},"company":{},"source":{}}`, false},
		{`{"person":{"age":01},"company":{},"source":{}}`, false},
		{`{"person":{"age":+1},"company":{},"source":{}}`, false},
		{`{"actions":[{"type":"x","at":"yesterday"}],"person":{},"company":{},"source":{}}`, false},
		{`{"actions":[{"type":"x","at":null}],"person":{},"company":{},"source":{}}`, false},
		{`{"person":{"income":{"amount":1,"currency":"XX1"}},"company":{},"source":{}}`, false},
		{`{"person":{},"company":{},"source":{}} x`, false},
		{`null`, false},
		{``, false},
		{`[]`, false},
		{`{"person":{"attributes":{"deep":` + nest(jsonread.MaxDepth+5) + `}},"company":{},"source":{}}`, false},
		{`{"person":{"attributes":{"deep":` + nest(jsonread.MaxDepth-5) + `}},"company":{},"source":{}}`, true},
	} {
		if got := sameAsSlow(t, c.json[:min(len(c.json), 60)], []byte(c.json)); got != c.fast {
			t.Errorf("%s: read by decodeFast %v, want %v", c.json[:min(len(c.json), 120)], got, c.fast)
		}
	}
}

func nest(n int) string {
	return string(bytes.Repeat([]byte("["), n)) + string(bytes.Repeat([]byte("]"), n))
}

// FuzzDecodeFast: whatever decodeFast reads, it reads as encoding/json.
func FuzzDecodeFast(f *testing.F) {
	f.Add([]byte(`{"person":{"email":"a@b.co","attributes":{"a":[1,{"b":null}]}},"company":{"employees":5},"source":{"trusted":true}}`))
	f.Add([]byte(`{"person":{"first_name":"\ud83d\ude00\u0026"},"company":{"revenue":5},"source":{},"actions":[{"type":"x","at":"2026-01-01T00:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var want, fast Lead
		werr := decodeSlow(b, &want)
		if decodeFast(b, &fast) && (werr != nil || !reflect.DeepEqual(fast, want)) {
			t.Fatalf("decodeFast %#v, encoding/json %#v (%v)\n%s", fast, want, werr, b)
		}
	})
}
