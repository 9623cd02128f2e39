package importer

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"github.com/pistahq/pista/internal/intake"
)

// Why says why a row belongs in the row report, "" when it does not: it
// was refused (invalid: what is missing or wrong), stored and flagged by
// quality rules (which rules, and their reasons), or stored with values
// the import changed or could not read as written (its notes).
func Why(row Row, res intake.RowResult) string {
	var parts []string
	if res.Reason != "" && (res.Status == intake.RowInvalid || Flagged(res)) {
		parts = append(parts, res.Reason)
	}
	if res.Status != intake.RowInvalid && res.Status != intake.RowUnchanged {
		for _, n := range row.Notes {
			parts = append(parts, "changed: "+n)
		}
	}
	return strings.Join(parts, "; ")
}

// Reported reports whether a row belongs in the row report.
func Reported(row Row, res intake.RowResult) bool { return Flagged(res) || Why(row, res) != "" }

// Reason is one kind of reason rows were refused, flagged or changed, with
// how many rows it applies to and the first lines, as examples.
type Reason struct {
	Reason string `json:"reason"`
	Rows   int    `json:"rows"`
	Lines  []int  `json:"lines"`
}

// maxReasons bounds the kinds of reason a summary keeps; rows of further
// kinds are counted under otherReasons.
const (
	maxReasons   = 50
	maxExamples  = 3
	otherReasons = "other reasons"
)

// quoted finds the values a reason quotes, so that rows refused for the
// same reason with different values group together.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// reasons groups the reasons of rows.
type reasons struct {
	byKey map[string]*Reason
}

func (g *reasons) add(line int, why string) {
	if why == "" {
		return
	}
	if g.byKey == nil {
		g.byKey = map[string]*Reason{}
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(why, "; ") {
		key := quoted.ReplaceAllString(part, `"…"`)
		if seen[key] {
			continue
		}
		seen[key] = true
		r := g.byKey[key]
		if r == nil {
			if len(g.byKey) >= maxReasons {
				key = otherReasons
			}
			if r = g.byKey[key]; r == nil {
				r = &Reason{Reason: key}
				g.byKey[key] = r
			}
		}
		r.Rows++
		if len(r.Lines) < maxExamples {
			r.Lines = append(r.Lines, line)
		}
	}
}

// list returns the reasons, the commonest first.
func (g *reasons) list() []Reason {
	out := make([]Reason, 0, len(g.byKey))
	for _, r := range g.byKey {
		slices.Sort(r.Lines)
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Reason) int {
		return cmp.Or(cmp.Compare(b.Rows, a.Rows), strings.Compare(a.Reason, b.Reason))
	})
	return out
}
