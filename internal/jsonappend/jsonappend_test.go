package jsonappend

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// Every function writes what encoding/json writes for the same value:
// strings of every ASCII byte, HTML characters, U+2028/9, invalid UTF-8
// and random runes; floats at the edges of the exponent form, negative
// zero, random bit patterns; NaN and infinities refused; times of several
// zones and the years MarshalJSON refuses.
func TestMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "plain", `"quoted" \ back`, "<a href='x'>&amp;</a>", "line\u2028sep\u2029", "\xff\xfe bad", "a\x00b\x1fc\x7f",
		"tab\tnl\nret\rbs\bff\f", "ñandú — São Paulo", "\xe2\x80", "emoji 😀", strings.Repeat("x", 300)}
	for b := range 256 {
		strs = append(strs, string([]byte{'a', byte(b), 'z'}))
	}
	for range 2000 {
		var sb strings.Builder
		for range rng.IntN(12) {
			switch rng.IntN(4) {
			case 0:
				sb.WriteByte(byte(rng.IntN(256)))
			case 1:
				sb.WriteRune(rune(rng.IntN(0x11000)))
			default:
				sb.WriteByte(byte(32 + rng.IntN(95)))
			}
		}
		strs = append(strs, sb.String())
	}
	for _, s := range strs {
		want, _ := json.Marshal(s)
		if got := String(nil, s); string(got) != string(want) {
			t.Errorf("String(%q) = %s, want %s", s, got, want)
		}
	}

	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 9.99e20, -1e21, 123456789.125,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 5e-324, 1.5e-9, 74.5}
	for range 5000 {
		f := math.Float64frombits(rng.Uint64())
		if !math.IsNaN(f) && !math.IsInf(f, 0) {
			floats = append(floats, f)
		}
		floats = append(floats, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(50)-25)))
	}
	for _, f := range floats {
		want, _ := json.Marshal(f)
		got, err := Float(nil, f)
		if err != nil || string(got) != string(want) {
			t.Errorf("Float(%v) = %s, %v; want %s", f, got, err, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := Float(nil, f); err == nil {
			t.Errorf("Float(%v): no error", f)
		}
	}

	bogota := time.FixedZone("COT", -5*3600)
	odd := time.FixedZone("odd", 5*3600+1800)
	for _, tm := range []time.Time{{}, time.Date(2026, 12, 6, 21, 55, 32, 106402805, time.UTC), time.Date(2026, 1, 2, 3, 4, 5, 0, bogota),
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, odd), time.Date(2026, 5, 5, 5, 5, 5, 5000, time.Local)} {
		want, _ := json.Marshal(tm)
		got, err := Time(nil, tm)
		if err != nil || string(got) != string(want) {
			t.Errorf("Time(%v) = %s, %v; want %s", tm, got, err, want)
		}
	}
	for _, tm := range []time.Time{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if _, err := Time(nil, tm); err == nil {
			t.Errorf("Time(%v): no error", tm)
		}
	}
	if got := string(Int(Bool([]byte("x"), true), -42)); got != "xtrue-42" {
		t.Errorf("Bool, Int: %s", got)
	}
}

// Strings writes what encoding/json writes for a slice of strings.
func TestStringsMatchesEncodingJSON(t *testing.T) {
	for _, v := range [][]string{{}, {""}, {"a"}, {"<b>", "\xff", "São"}} {
		want, _ := json.Marshal(v)
		if got := Strings(nil, v); string(got) != string(want) {
			t.Errorf("Strings(%q) = %s, want %s", v, got, want)
		}
	}
}
