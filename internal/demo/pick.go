package demo

import (
	"math"
	"math/rand/v2"
	"strings"
)

// w is one entry of a weighted table. Tables are small (under 20 entries),
// so a linear scan beats anything cleverer and keeps them readable.
type w[T any] struct {
	v      T
	weight float64
}

// pick draws one value in proportion to the weights.
func pick[T any](r *rand.Rand, table []w[T]) T {
	total := 0.0
	for _, e := range table {
		total += e.weight
	}
	x := r.Float64() * total
	for _, e := range table {
		if x < e.weight {
			return e.v
		}
		x -= e.weight
	}
	return table[len(table)-1].v
}

// one draws uniformly from a list.
func one[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// chance is true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// logNormal draws exp(N(ln median, sigma)): sizes, amounts and counts in
// business data are skewed this way, a few very large and most small.
func logNormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(r.NormFloat64()*sigma)
}

// sigmoid maps a score to a probability.
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// roundSig rounds to n significant digits, as people report revenue and
// budgets ("1.500 millones", "USD 25k"), never "1.487.223.912".
func roundSig(x float64, n int) float64 {
	if x == 0 {
		return 0
	}
	p := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

// fold turns a name into the ASCII people use in e-mail addresses and
// domains: "José Peña" → "josepena". Letters outside the table are dropped.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		default:
			if a, ok := asciiOf[c]; ok {
				b.WriteByte(a)
			}
		}
	}
	return b.String()
}

// asciiOf folds the accented letters of Spanish, Portuguese and French.
var asciiOf = map[rune]byte{
	'á': 'a', 'à': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i',
	'ó': 'o', 'ò': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u',
	'ñ': 'n', 'ç': 'c',
}
