package definition

import (
	"fmt"
	"sort"
	"strings"

	suggestpkg "github.com/pistahq/pista/internal/suggest"
)

// Error is one problem in a definition file. It names the file, the line and
// the rule so that a marketing-ops person can find and fix it:
//
//	instrumentos.yaml:42: fit rule "vp_plus": unknown field person.senority (did you mean seniority?)
type Error struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Rule string `json:"rule,omitempty"` // e.g. `fit rule "vp_plus"`
	Msg  string `json:"message"`
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Rule != "" {
		b.WriteString(e.Rule)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one file, ordered by line.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// maxErrors stops a hopeless file from producing pages of output.
const maxErrors = 50

// problems collects errors while a file is compiled.
type problems struct {
	file string
	list Errors
}

func (p *problems) add(line int, rule, format string, args ...any) {
	if len(p.list) >= maxErrors {
		return
	}
	p.list = append(p.list, &Error{File: p.file, Line: line, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	sort.SliceStable(p.list, func(i, j int) bool { return p.list[i].Line < p.list[j].Line })
	return p.list
}

// suggest returns the closest candidate to word, or "" when none is close
// enough to be a plausible typo.
func suggest(word string, candidates []string) string {
	return suggestpkg.Closest(word, candidates, len(word)/2+2)
}

// didYouMean formats a suggestion as " (did you mean x?)" or "".
func didYouMean(word string, candidates []string) string {
	if s := suggest(word, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %s?)", s)
	}
	return ""
}
