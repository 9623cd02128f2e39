package engine

import (
	"fmt"
	"io"
	"strings"

	"github.com/pistahq/pista/internal/definition"
)

// WriteText writes a result as text a person can read aloud, one decision
// per line, each citing the rule and its line in the definition file.
func WriteText(w io.Writer, def *definition.Definition, r *Result) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	version := r.Definition.Version
	if version == "" {
		version = "unversioned"
	}
	id := r.LeadID
	if id == "" {
		id = "(no id)"
	}
	loc := def.Location
	p("Lead %s, evaluated %s\n", id, r.EvaluatedAt.In(loc).Format("Mon 2006-01-02 15:04 MST"))
	p("Definition: %s, %s (hash %s, %s)\n", r.Definition.Name, version, r.Definition.Hash, def.File)
	ref := func(s Step) string {
		if s.Line > 0 {
			return fmt.Sprintf("  [%s:%d]", def.File, s.Line)
		}
		return ""
	}
	steps := func(kind string) []Step {
		var out []Step
		for _, s := range r.Explanation {
			if s.Kind == kind {
				out = append(out, s)
			}
		}
		return out
	}
	if vs := steps("vocabulary"); len(vs) > 0 {
		p("Values read:\n")
		for _, s := range vs {
			p("  %s: %s\n", s.Rule, s.Note)
		}
	}
	if r.Inquiry {
		for _, s := range steps("inquiry") {
			p("Inquiry: yes, %s%s\n", s.Rule, ref(s))
		}
	} else {
		p("Inquiry: no: none of the lead's actions is an inquiry action\n")
	}
	p("Quality: %s\n", r.Quality)
	for _, s := range steps("quality") {
		note := ""
		if s.Note != "" {
			note = ": " + s.Note
		}
		p("  %-8s %s%s%s\n", s.Value, s.Rule, note, ref(s))
	}
	if sig := steps("signal"); len(sig) > 0 {
		p("Signals:\n")
		for _, s := range sig {
			p("  %s (%s)%s\n", s.Rule, plural(s.Count, "matching event"), ref(s))
		}
	}
	grade := ""
	if r.Grade != "" {
		grade = ", grade " + r.Grade
	}
	p("Fit: %s%s\n", num(r.Fit), grade)
	for _, s := range steps("fit") {
		if len(s.Inputs) > 0 || strings.HasPrefix(s.Note, "= ") {
			p("  %8s %s (%s)%s\n", signed(s.Points), s.Rule, s.Note, ref(s))
			continue
		}
		p("  %8s %s%s%s\n", signed(s.Points), s.Rule, tableDetail(s), ref(s))
	}
	p("Engagement: %s\n", num(r.Engagement))
	for _, s := range steps("engagement") {
		if s.Count == 0 && s.Note != "" {
			p("  %8s %s (%s)%s\n", signed(s.Points), s.Rule, s.Note, ref(s))
			continue
		}
		note := ""
		if s.Note != "" {
			note = ", " + s.Note
		}
		p("  %8s %s (%s%s)%s\n", signed(s.Points), s.Rule, plural(s.Count, "event"), note, ref(s))
	}
	if r.BANT.Recorded {
		p("BANT: %s of %s needed (budget %s, authority %s, need %s, timing %s): %s\n", num(r.BANT.Score), num(r.BANT.Threshold),
			num(r.BANT.Budget), num(r.BANT.Authority), num(r.BANT.Need), num(r.BANT.Timing), qualifiedText(r.BANT.Qualified, r.BANT.Human))
	} else {
		p("BANT: not recorded yet\n")
	}
	var parts []string
	for _, s := range steps("lead") {
		parts = append(parts, s.Rule+" "+s.Value)
	}
	p("Lead gate: %s -> %s\n", strings.Join(parts, ", "), yesNo(r.Lead, "a lead", "not a lead"))
	p("Total: %s -> band %s (%s)\n", num(r.Total), r.Band, bandAction(r))
	p("Stage: %s, action %s\n", r.Stage, r.Action)
	if r.RecontactAt != nil {
		p("Re-contact: %s\n", r.RecontactAt.In(loc).Format("Mon 2006-01-02"))
	}
	for _, s := range steps("routing") {
		p("Team: %s (rule %s)%s\n", s.Value, s.Rule, ref(s))
	}
	if r.SLA != nil {
		due := r.SLA.Due
		p("SLA: %s, first touch within %s: due %s%s\n", r.SLA.Policy, r.SLA.FirstTouch, due.Format("Mon 2006-01-02 15:04 MST"), calNote(r.SLA.Calendar))
		if r.SLA.EscalateAt != nil {
			p("  escalate at %s\n", r.SLA.EscalateAt.Format("Mon 2006-01-02 15:04 MST"))
		}
	}
	for _, e := range r.Errors {
		p("Error: %s\n", e)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func bandAction(r *Result) string {
	for _, s := range r.Explanation {
		if s.Kind == "band" {
			return s.Value
		}
	}
	return "no band"
}

func calNote(c string) string {
	if c == "" {
		return ""
	}
	return " on " + c
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func signed(v float64) string {
	if v > 0 {
		return "+" + num(v)
	}
	return num(v)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// num prints a score without trailing zeros: 20, 11.4, 0.25.
func num(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// tableDetail says which value a table rule read and which entry gave
// its points: ` (value "student")`, ` (value 37, below 60)`, ` (no value, missing)`.
func tableDetail(s Step) string {
	if s.Value == "" && s.Note == "" {
		return ""
	}
	v := "no value"
	if s.Value != "" {
		v = fmt.Sprintf("value %q", s.Value)
	}
	if s.Note != "" {
		return fmt.Sprintf(" (%s, %s)", v, s.Note)
	}
	return fmt.Sprintf(" (%s)", v)
}
