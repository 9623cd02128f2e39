// Package suggest finds the name a user probably meant, for "did you mean"
// in error messages (definition files, web form configurations).
package suggest

// Closest returns the candidate nearest to word by edit distance, if it is
// nearer than limit; otherwise "".
func Closest(word string, candidates []string, limit int) string {
	best, bestDist := "", limit
	for _, c := range candidates {
		if d := Distance(word, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between two short strings, counted
// in characters, not bytes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Hint is " (did you mean X?)" for the candidate nearest to word, or "".
func Hint(word string, candidates []string) string {
	limit := max(2, len([]rune(word))/3+1)
	if c := Closest(word, candidates, limit); c != "" && c != word {
		return " (did you mean " + c + "?)"
	}
	return ""
}
