package engine

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// TestResultJSONMatchesEncodingJSON: AppendJSON writes what json.Marshal
// writes, byte for byte, for results whose every field (found by
// reflection, so a field added later is filled too) is set at random or
// left zero, with texts that need escaping, any kind of formula input,
// and refuses what json.Marshal refuses (NaN, a year after 9999).
func TestResultJSONMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	full := 0
	for i := range 3000 {
		var r Result
		everything := i%10 == 0 // every field set
		fill(rng, reflect.ValueOf(&r).Elem(), everything, 0)
		if everything {
			full++
		}
		want, wantErr := json.Marshal(&r)
		got, err := r.AppendJSON(nil)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("result %d: error %v, json.Marshal's %v", i, err, wantErr)
		}
		if err == nil && string(got) != string(want) {
			t.Fatalf("result %d:\n got %s\nwant %s", i, got, want)
		}
	}
	for _, bad := range []Result{{Fit: math.NaN()}, {Explanation: []Step{{Points: math.Inf(1)}}},
		{EvaluatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, {BANT: BANTResult{Need: math.Inf(-1)}}} {
		if _, err := bad.AppendJSON(nil); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	if full == 0 {
		t.Fatal("no result had every field set")
	}
}

var texts = []string{"", "route", "mql", `"list_import" matches no code`, "<b>&</b>", "São Paulo — ñ", "\u2028", "\xff", "a\tb\nc"}

// fill sets v's fields at random (or all of them with everything).
func fill(rng *rand.Rand, v reflect.Value, everything bool, depth int) {
	if !everything && rng.IntN(4) == 0 {
		return // left zero
	}
	switch v.Kind() {
	case reflect.String:
		s := texts[rng.IntN(len(texts))]
		if everything && s == "" {
			s = "x"
		}
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(everything || rng.IntN(2) == 0)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(rng.IntN(200) - 20))
		if everything && v.Int() == 0 {
			v.SetInt(7)
		}
	case reflect.Float64:
		f := []float64{0, 1, -2.5, 74.5, 1e-7, 1e21, 0.1 + 0.2, rng.NormFloat64() * 100}[rng.IntN(8)]
		if everything && f == 0 {
			f = 12.25
		}
		v.SetFloat(f)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(rng, p.Elem(), everything, depth+1)
		v.Set(p)
	case reflect.Slice:
		n := rng.IntN(4)
		if everything && n == 0 {
			n = 2
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fill(rng, s.Index(i), everything, depth+1)
		}
		v.Set(s)
	case reflect.Interface:
		vals := []any{nil, "texto <x>", 42.5, true, 7, int64(-3), []any{"a", 1.0}, map[string]any{"k": "v"}}
		x := vals[rng.IntN(len(vals))]
		if x == nil && everything {
			x = "x"
		}
		if x == nil {
			v.SetZero()
		} else {
			v.Set(reflect.ValueOf(x))
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			zones := []*time.Location{time.UTC, time.FixedZone("COT", -5*3600), time.FixedZone("IST", 5*3600+1800)}
			v.Set(reflect.ValueOf(time.Date(2000+rng.IntN(40), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), 0,
				rng.IntN(2)*rng.IntN(1e9), zones[rng.IntN(3)])))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(rng, v.Field(i), everything, depth+1)
			}
		}
	default:
		panic("fill: no filler for " + v.Kind().String() + "; add one so the test covers the new field")
	}
}
