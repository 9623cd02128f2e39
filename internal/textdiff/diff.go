// Package textdiff compares two texts line by line, for showing what
// changed between two versions of a lead definition.
package textdiff

import "strings"

// Kinds of a diff line.
const (
	Same    = ' '
	Removed = '-'
	Added   = '+'
)

// Line is one line of a diff: kept, removed from A or added in B, with
// its line numbers in A and B (0 where it has none).
type Line struct {
	Kind byte
	A, B int
	Text string
}

// maxCells bounds the comparison table (lines of A × lines of B after the
// common start and end are set aside); beyond it the differing middle is
// shown as all removed then all added rather than using a lot of memory.
const maxCells = 16 << 20

// Lines compares a and b. Lines within a common start and end are kept;
// the middle is compared by longest common subsequence.
func Lines(a, b string) []Line {
	la, lb := split(a), split(b)
	pre := 0
	for pre < len(la) && pre < len(lb) && la[pre] == lb[pre] {
		pre++
	}
	suf := 0
	for suf < len(la)-pre && suf < len(lb)-pre && la[len(la)-1-suf] == lb[len(lb)-1-suf] {
		suf++
	}
	var out []Line
	for i := range pre {
		out = append(out, Line{Kind: Same, A: i + 1, B: i + 1, Text: la[i]})
	}
	out = append(out, middle(la[pre:len(la)-suf], lb[pre:len(lb)-suf], pre)...)
	for i := range suf {
		ia, ib := len(la)-suf+i, len(lb)-suf+i
		out = append(out, Line{Kind: Same, A: ia + 1, B: ib + 1, Text: la[ia]})
	}
	return out
}

// middle diffs the parts after a common start of off lines.
func middle(a, b []string, off int) []Line {
	var out []Line
	if len(a)*len(b) > maxCells {
		for i, s := range a {
			out = append(out, Line{Kind: Removed, A: off + i + 1, Text: s})
		}
		for j, s := range b {
			out = append(out, Line{Kind: Added, B: off + j + 1, Text: s})
		}
		return out
	}
	// lcs[i][j] is the longest common subsequence of a[i:] and b[j:].
	w := len(b) + 1
	lcs := make([]int32, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, Line{Kind: Same, A: off + i + 1, B: off + j + 1, Text: a[i]})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[(i+1)*w+j] >= lcs[i*w+j+1]):
			out = append(out, Line{Kind: Removed, A: off + i + 1, Text: a[i]})
			i++
		default:
			out = append(out, Line{Kind: Added, B: off + j + 1, Text: b[j]})
			j++
		}
	}
	return out
}

// split cuts a text into lines without their endings; a final newline
// does not start another line.
func split(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// Changed reports whether a diff has any added or removed line.
func Changed(d []Line) bool {
	for _, l := range d {
		if l.Kind != Same {
			return true
		}
	}
	return false
}
