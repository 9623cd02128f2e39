package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/jsonappend/jsonappendtest"
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
		jsonappendtest.Fill(rng, reflect.ValueOf(&r).Elem(), everything)
		if everything {
			full++
		}
		got, err := r.AppendJSON(nil)
		jsonappendtest.SameAsMarshal(t, fmt.Sprintf("result %d", i), &r, got, err)
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
