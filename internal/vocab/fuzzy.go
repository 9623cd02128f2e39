package vocab

import "github.com/pistahq/pista/internal/suggest"

// similarity is 1 minus the edit distance over the longer length: 1 for
// equal strings, 0 for nothing in common.
func similarity(a, b string) float64 {
	n := max(len(a), len(b))
	if n == 0 {
		return 1
	}
	return 1 - float64(suggest.Distance(a, b))/float64(n)
}
