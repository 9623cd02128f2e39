package lab

import (
	"math"
	"math/rand/v2"
	"testing"
)

func bruteAUC(s []float64, y []bool) float64 {
	var num, den float64
	for i := range s {
		for j := range s {
			if y[i] && !y[j] {
				den++
				switch {
				case s[i] > s[j]:
					num++
				case s[i] == s[j]:
					num += 0.5
				}
			}
		}
	}
	return num / den
}

func TestAUCMatchesPairs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 20; trial++ {
		n := 50 + r.IntN(200)
		s := make([]float64, n)
		y := make([]bool, n)
		for i := range s {
			s[i] = float64(r.IntN(12))
			y[i] = r.Float64() < 0.2+0.04*s[i]
		}
		got, want := ComputeAUC(s, y).Value, bruteAUC(s, y)
		if math.Abs(got-want) > 1e-12 {
			t.Fatalf("trial %d: AUC %v, pairs say %v", trial, got, want)
		}
	}
}
