// Package jsonappendtest fills values at random for the tests that
// compare a hand-written JSON encoder with encoding/json.
package jsonappendtest

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// texts need escaping in various ways, or not.
var texts = []string{"", "route", "mql", `"list_import" matches no code`, "<b>&</b>", "São Paulo — ñ", "\u2028", "\xff", "a\tb\nc"}

// anys are values a map or an interface may hold.
var anys = []any{nil, "texto <x>", 42.5, true, 7, int64(-3), []any{"a", 1.0}, map[string]any{"k": "v", "a": 1.0}}

// Fill sets every exported field of v (a struct, found by reflection, so
// that a field added later is filled too) at random, or leaves some zero;
// with everything it sets them all to non-zero values.
func Fill(rng *rand.Rand, v reflect.Value, everything bool) {
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
		Fill(rng, p.Elem(), everything)
		v.Set(p)
	case reflect.Slice:
		n := rng.IntN(4)
		if everything && n == 0 {
			n = 2
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			Fill(rng, s.Index(i), everything)
		}
		v.Set(s)
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String || v.Type().Elem().Kind() != reflect.Interface {
			panic("Fill: no filler for " + v.Type().String())
		}
		n := rng.IntN(5)
		if everything && n == 0 {
			n = 3
		}
		m := reflect.MakeMap(v.Type())
		for i := range n {
			k := texts[rng.IntN(len(texts))] + strconv.Itoa(i)
			if x := anys[rng.IntN(len(anys))]; x == nil {
				m.SetMapIndex(reflect.ValueOf(k), reflect.Zero(v.Type().Elem()))
			} else {
				m.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(x))
			}
		}
		v.Set(m)
	case reflect.Interface:
		x := anys[rng.IntN(len(anys))]
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
				Fill(rng, v.Field(i), everything)
			}
		}
	default:
		panic("Fill: no filler for " + v.Kind().String() + "; add one so the test covers the new field")
	}
}

// SameAsMarshal stops the test unless a hand-written encoder's output (got,
// err) is what json.Marshal(v) gives: the same bytes, or an error both.
func SameAsMarshal(t testing.TB, what string, v any, got []byte, err error) {
	t.Helper()
	want, wantErr := json.Marshal(v)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%s: error %v, json.Marshal's %v", what, err, wantErr)
	}
	if err == nil && string(got) != string(want) {
		t.Fatalf("%s:\n got %s\nwant %s", what, got, want)
	}
}
