package jsonpack

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// evaluation is a stored evaluation as engine.Result.AppendJSON wrote it.
const evaluation = `{"definition":{"name":"Instrumentos de medición — definición de lead","version":"2026.11-1","hash":"ffc364854c6d"},"evaluated_at":"2026-12-07T03:46:09.551788195Z","inquiry":true,"quality":"ok","fit":0,"grade":"D","engagement":0,"bant":{"recorded":false,"human":false,"score":0,"threshold":75,"qualified":false,"budget_points":0,"authority_points":0,"need_points":0,"timing_points":0},"lead":false,"total":0,"band":"frio","action":"nurture","recontact_at":"2027-02-01T03:46:09.551788195Z","stage":"nurture","team":"latam","explanation":[{"kind":"vocabulary","rule":"source.channel","value":"list","note":"\"list\" matches no code of the vocabulary; kept as list"},{"kind":"inquiry","rule":"newsletter_signup","value":"true"},{"kind":"grade","value":"D"},{"kind":"lead","rule":"format","line":38,"value":"false"},{"kind":"lead","rule":"characteristics","line":43,"value":"false"},{"kind":"lead","rule":"behaviour","line":49,"value":"false"},{"kind":"lead","rule":"when","line":50,"value":"false"},{"kind":"band","rule":"frio","line":87,"value":"nurture"},{"kind":"stage","rule":"band","value":"nurture"},{"kind":"routing","rule":"default","value":"latam"}]}`

// leadData is a stored lead as lead.Lead.AppendJSON wrote it.
const leadData = `{"person":{"email":"carlos@litorallog.com.br","first_name":"Carlos","last_name":"Soares Almeida","phone":"+5519967918006","title":"Assistente de Marketing","seniority":"staff","department":"marketing","country":"BR","region":"SP","city":"Campinas","language":"pt"},"company":{"name":"Logística Litoral","domain":"litorallog.com.br","industry":"logistics","revenue":{"amount":2700000000,"currency":"BRL"},"country":"BR"},"source":{"format":"web_form","channel":"organic"},"actions":[{"type":"contact_form","at":"2026-12-07T03:46:05.586Z","props":{"topic":"other"}}]}`

func TestPackRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		packed   bool
	}{
		{"evaluation", evaluation, true},
		{"lead data", leadData, true},
		{"empty object", `{}`, true},
		{"array", `[true,false,null,"false",{"kind":"x"}]`, true},
		{"escapes and keys inside strings", `{"note":"\"kind\": true, \\\"rule\":\u0001 false","value":"\\"}`, true},
		{"a key no fragment names", `{"kind2":"lead","x":{"lead":1}}`, true},
		{"fragments as other keys' values", `{"a":"\"kind\":","b":"lead","lead":"lead"}`, true},
		{"white space between values", "{\"kind\": true,\n\t\"rule\":\r\"x\"}", false},
		{"not an object", `"kind"`, false},
		{"a number", `12`, false},
		{"empty", ``, false},
		{"unfinished string", `{"kind":"abc`, false},
		{"raw control character in a string", "{\"note\":\"a\x03b\"}", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			packed := Pack([]byte("prefix"), []byte(tc.in))
			if !bytes.HasPrefix(packed, []byte("prefix")) {
				t.Fatalf("Pack lost dst: %q", packed)
			}
			packed = packed[len("prefix"):]
			if Packed(packed) != tc.packed {
				t.Errorf("Packed(Pack(%q)) = %v, want %v (%q)", tc.in, !tc.packed, tc.packed, packed)
			}
			if !tc.packed && string(packed) != tc.in {
				t.Errorf("not packed, but changed: %q", packed)
			}
			got, err := Unpack([]byte("x"), packed)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != "x"+tc.in {
				t.Errorf("Unpack(Pack(%q)) = %q", tc.in, got[1:])
			}
		})
	}
}

// TestPackShrinks: what the package is for. A stored evaluation packs to
// under 60% of its size, a lead's data to under 75%.
func TestPackShrinks(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		max  float64
	}{{"evaluation", evaluation, 0.6}, {"lead data", leadData, 0.75}} {
		n := len(Pack(nil, []byte(tc.in)))
		if r := float64(n) / float64(len(tc.in)); r > tc.max {
			t.Errorf("%s: packed %d of %d bytes (%.2f), want at most %.2f", tc.name, n, len(tc.in), r, tc.max)
		} else {
			t.Logf("%s: %d → %d bytes (%.2f)", tc.name, len(tc.in), n, r)
		}
	}
}

// TestPackRandomJSON packs and unpacks random JSON documents whose keys
// and strings are often fragments, often nearly fragments, with escapes
// and text of every script.
func TestPackRandomJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 18))
	for i := range 5000 {
		doc, err := json.Marshal(randomValue(r, 0))
		if err != nil {
			t.Fatal(err)
		}
		packed := Pack(nil, doc)
		if (doc[0] == '{' || doc[0] == '[') != Packed(packed) {
			t.Fatalf("doc %d: Packed = %v for %q", i, Packed(packed), doc)
		}
		if !utf8.Valid(packed) || bytes.IndexByte(packed, 0) >= 0 {
			t.Fatalf("doc %d: packed text is not text a PostgreSQL column holds: %q", i, packed)
		}
		got, err := Unpack(nil, packed)
		if err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
		if !bytes.Equal(got, doc) {
			t.Fatalf("doc %d:\n in  %q\n out %q", i, doc, got)
		}
	}
}

func randomValue(r *rand.Rand, depth int) any {
	switch k := r.IntN(10); {
	case depth < 4 && k < 3:
		m := map[string]any{}
		for range r.IntN(6) {
			m[randomText(r, true)] = randomValue(r, depth+1)
		}
		return m
	case depth < 4 && k < 5:
		a := make([]any, r.IntN(5))
		for i := range a {
			a[i] = randomValue(r, depth+1)
		}
		return a
	case k < 7:
		return randomText(r, false)
	case k < 8:
		return r.IntN(3) == 0
	case k < 9:
		return r.NormFloat64() * 1e4
	}
	return nil
}

// randomText is a fragment's text (a key's without quotes and colon when
// key), one nearly so, or random runes including quotes, backslashes and
// control characters.
func randomText(r *rand.Rand, key bool) string {
	f := fragments[r.IntN(len(fragments))]
	f = strings.TrimSuffix(strings.Trim(strings.TrimSuffix(f, ":"), `"`), `"`)
	switch r.IntN(4) {
	case 0:
		return f
	case 1:
		return f + string(rune('a'+r.IntN(26)))
	case 2:
		if key {
			return f
		}
		return `"` + f + `":`
	}
	const runes = "ab\"\\\x01\x1f\n\t<>&\u2028é中😀:{},[]"
	rs := []rune(runes)
	var b strings.Builder
	for range r.IntN(12) {
		b.WriteRune(rs[r.IntN(len(rs))])
	}
	return b.String()
}

func TestUnpackCorrupt(t *testing.T) {
	for _, in := range []string{"\x02\x00", "\x02{\x01", "\x02\x01\x1f", "\x02\x01\x7f", "\x02\x09"} {
		if _, err := Unpack(nil, []byte(in)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Unpack(%q) = %v, want ErrCorrupt", in, err)
		}
	}
}

// fragmentsV1 are the fragments rows were first stored with. Stored rows
// name fragments by position: changing or removing one reads every such
// row wrong. Add new ones at the end of fragments only.
var fragmentsV1 = []string{
	`"kind":`, `"rule":`, `"value":`, `"line":`, `"note":`, `"points":`, `"count":`,
	`true`, `false`, `"false"`, `"true"`, `"lead"`,
	`"definition":`, `"name":`, `"version":`, `"hash":`, `"evaluated_at":`, `"inquiry":`, `"quality":`,
	`"fit":`, `"grade":`, `"engagement":`, `"bant":`, `"lead":`, `"total":`, `"band":`,
	`"action":`, `"stage":`, `"team":`, `"explanation":`,
	`"recorded":`, `"human":`, `"score":`, `"threshold":`, `"qualified":`,
	`"budget_points":`, `"authority_points":`, `"need_points":`, `"timing_points":`,
	`"recontact_at":`, `"sla":`, `"policy":`, `"first_touch":`, `"due":`, `"escalate_at":`, `"calendar":`,
	`"inputs":`, `"errors":`, `"lead_id":`, `"anonymous":`,
	`"vocabulary"`, `"band"`, `"stage"`, `"routing"`, `"grade"`, `"inquiry"`, `"quality"`, `"signal"`,
	`"fit"`, `"engagement"`, `"total"`, `"sla"`, `"none"`, `"nurture"`, `"ok"`,
	`"person":`, `"email":`, `"first_name":`, `"last_name":`, `"phone":`, `"title":`, `"seniority":`,
	`"department":`, `"country":`, `"region":`, `"city":`, `"language":`, `"company":`, `"domain":`,
	`"industry":`, `"employees":`, `"revenue":`, `"amount":`, `"currency":`, `"source":`, `"format":`,
	`"channel":`, `"campaign":`, `"actions":`, `"type":`, `"at":`, `"props":`, `"attributes":`,
	`"mappings":`, `"id":`, `"external_id":`, `"form":`,
}

func TestFragmentsOnlyGrow(t *testing.T) {
	if len(fragments) < len(fragmentsV1) {
		t.Fatalf("%d fragments, fewer than the %d rows were stored with", len(fragments), len(fragmentsV1))
	}
	for i, f := range fragmentsV1 {
		if fragments[i] != f {
			t.Errorf("fragment %d is %q; stored rows read it as %q", i, fragments[i], f)
		}
	}
	seen := map[string]bool{}
	for _, f := range fragments {
		if seen[f] {
			t.Errorf("fragment %q twice", f)
		}
		seen[f] = true
		if !json.Valid([]byte(strings.TrimSuffix(f, ":"))) {
			t.Errorf("fragment %q is not a JSON value or key", f)
		}
	}
	if len(single) != 26 || fragments[len(single)-1] != `"band":` {
		t.Errorf("the single-byte codes end at %q; the comment in fragments says after \"band\":", fragments[len(single)-1])
	}
}

func BenchmarkPack(b *testing.B) {
	for _, in := range []string{evaluation, leadData} {
		src := []byte(in)
		dst := make([]byte, 0, len(src))
		b.Run(in[2:8], func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				dst = Pack(dst[:0], src)
			}
		})
		packed := Pack(nil, src)
		b.Run("unpack-"+in[2:8], func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				dst, _ = Unpack(dst[:0], packed)
			}
		})
	}
}
