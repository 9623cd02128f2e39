package engine

import (
	"math"
	"testing"
)

func TestDecayFactor(t *testing.T) {
	for x := 0.0; x < 1100; x += 0.0137 {
		want := math.Exp2(-x)
		got := decayFactor(x)
		if diff := math.Abs(got - want); diff > 1e-7*want && diff > 1e-300 {
			t.Fatalf("decayFactor(%v) = %v, want %v", x, got, want)
		}
	}
	for _, x := range []float64{-1, 0, math.NaN(), math.Inf(1)} {
		if got := decayFactor(x); got != 1 && !(math.IsInf(x, 1) && got == 0) {
			t.Errorf("decayFactor(%v) = %v", x, got)
		}
	}
}

func BenchmarkDecayFactor(b *testing.B) {
	x := 0.0
	for b.Loop() {
		x += decayFactor(x*1e-9 + 1.3)
	}
}

func BenchmarkMathExp2(b *testing.B) {
	x := 0.0
	for b.Loop() {
		x += math.Exp2(-(x*1e-9 + 1.3))
	}
}
