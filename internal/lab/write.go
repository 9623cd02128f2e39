package lab

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// evidence is what the learning rows say about one level.
type evidence struct{ n, pos int }

func (e evidence) rate() float64 { return float64(e.pos) / float64(max(e.n, 1)) }

func (e evidence) String() string {
	if e.n == 0 {
		return "no leads in the learning rows"
	}
	return fmt.Sprintf("%s leads, %.1f%% converted", thousands(e.n), 100*e.rate())
}

// thousands writes 28831 as 28,831.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// writeDefinition writes the learned definition: one table rule per
// column with the evidence for each entry as a comment, and bands at the
// learning rows' 90th and 70th percentiles of the total.
func writeDefinition(cfg LearnConfig, feats []*feature, des *design, m *model, pts points, learn []bool, rep *LearnReport) ([]byte, error) {
	ev := make([][]evidence, len(feats))
	for j, f := range feats {
		ev[j] = make([]evidence, f.levels())
	}
	var totals, logits []float64
	var ys []bool
	for i := range des.y {
		if !learn[i] {
			continue
		}
		row := des.row(i)
		t := 0
		for j, f := range feats {
			l := int(row[j]) - f.offset
			ev[j][l].n++
			if des.y[i] {
				ev[j][l].pos++
			}
			t += pts.of[j][l]
		}
		totals = append(totals, float64(t))
		logits = append(logits, m.logit(row))
		ys = append(ys, des.y[i])
	}
	modelAUC, defAUC := ComputeAUC(logits, ys), ComputeAUC(totals, ys)

	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Learned by `pista lab learn` from %s on %s.\n", rep.File, cfg.Now.Format("2006-01-02"))
	w("# Outcome: column %q; %s learning rows, %.1f%% converted; %s.\n", cfg.Outcome, thousands(rep.LearnRows),
		100*float64(rep.Positives)/float64(max(rep.LearnRows, 1)), rep.Split)
	w("# Model: L2-regularised logistic regression, lambda %g chosen by %d-fold cross-validation (seed %d).\n", rep.Lambda, cfg.Folds, cfg.Seed)
	w("# On the learning rows the model ranks with AUC %.4f and these integer points with AUC %.4f.\n", modelAUC.Value, defAUC.Value)
	w("# Points: each rule's lowest entry gives 0 and the highest possible total is 100;\n")
	w("# %.1f points are one unit of log-odds (weight). Edit it like any definition, then\n", pts.scale)
	w("# `pista check` it and `pista lab backtest` it before activating it.\n")
	name := "Learned from " + rep.File
	w("name: %s\n", yamlString(name))
	w("version: %s\n", yamlString("learned-"+cfg.Now.Format("2006-01-02")))
	w("description: %s\n", yamlString(fmt.Sprintf("Learned from %s (%s rows, outcome %s). Review before use.", rep.File, thousands(rep.LearnRows), cfg.Outcome)))
	base, err := baseSections(cfg.Base)
	if err != nil {
		return nil, fmt.Errorf("--base %s: %w", cfg.BaseName, err)
	}
	if base == "" {
		w("lead:\n  when: inquiry\n")
	} else {
		w("# The sections below, up to fit, are %s's.\n%s", cfg.BaseName, base)
	}
	w("fit:\n")
	for j, f := range feats {
		p := pts.of[j]
		if allSame(p) {
			markColumn(rep, f.Header, "its weights are too small to earn a point after rounding; not written")
			continue
		}
		lo, hi := weightRange(f, m)
		w("  # %s (column %q): weights from %+.2f to %+.2f log-odds.\n", f.Path, f.Header, lo, hi)
		w("  - name: %s\n    field: %s\n", f.Rule, f.Path)
		if f.Tiers {
			// Neighbouring tiers with the same points are written as one:
			// the totals are the same, the table shorter.
			w("    tiers:\n")
			first := 0
			var e evidence
			for l := 0; l <= len(f.Cuts); l++ {
				e.n, e.pos = e.n+ev[j][l].n, e.pos+ev[j][l].pos
				if l < len(f.Cuts) && p[l+1] == p[l] {
					continue
				}
				entry := fmt.Sprintf("{points: %d}", p[l])
				if l < len(f.Cuts) {
					entry = fmt.Sprintf("{below: %s, points: %d}", num(f.Cuts[l]), p[l])
				}
				weight := ""
				if first == l {
					weight = fmt.Sprintf(", weight %+.2f", m.w[f.offset+l])
				}
				w("      - %-32s # %s: %s%s\n", entry, f.tierSpan(first, l), e, weight)
				first, e = l+1, evidence{}
			}
		} else if len(f.Keys) > 0 {
			// Without a value frequent enough to earn points of its own,
			// the table is other and missing only: a value or none.
			w("    values:\n")
			for l, k := range f.Keys {
				w("      %s # %s, weight %+.2f\n", pad(yamlString(k)+": "+fmt.Sprint(p[l]), 28), ev[j][l], m.w[f.offset+l])
			}
		}
		o, mi := f.other(), f.missing()
		w("    %s # any other value: %s, weight %+.2f\n", pad("other: "+fmt.Sprint(p[o]), 30), ev[j][o], m.w[f.offset+o])
		w("    %s # no value: %s, weight %+.2f\n", pad("missing: "+fmt.Sprint(p[mi]), 30), ev[j][mi], m.w[f.offset+mi])
	}
	hot, warm := quantile(totals, 0.9), quantile(totals, 0.7)
	if warm >= hot {
		warm = hot - 1
	}
	band := func(lo, hi float64) evidence {
		var e evidence
		for i, t := range totals {
			if t >= lo && t < hi {
				e.n++
				if ys[i] {
					e.pos++
				}
			}
		}
		return e
	}
	inf := 1e18
	w("bands:\n")
	w("  - {name: hot, from: %s, action: route}%s# about the top 10%%: %s\n", num(hot), strings.Repeat(" ", 12), band(hot, inf))
	w("  - {name: warm, from: %s, action: route}%s# the next 20%%: %s\n", num(warm), strings.Repeat(" ", 11), band(warm, hot))
	w("  - {name: cold, action: nurture, recontact: 3 months}  # the rest: %s\n", band(-inf, warm))
	return b.Bytes(), nil
}

func allSame(p []int) bool {
	for _, x := range p {
		if x != p[0] {
			return false
		}
	}
	return true
}

func markColumn(rep *LearnReport, header, reason string) {
	for i := range rep.Columns {
		if rep.Columns[i].Header == header {
			rep.Columns[i].Status, rep.Columns[i].Reason, rep.Columns[i].Rule = "no points", reason, ""
		}
	}
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

var plainYAML = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// yamlString writes s as a YAML scalar that reads back as the same text:
// plain when that is safe, else double-quoted (JSON's quoting is YAML's).
func yamlString(s string) string {
	switch strings.ToLower(s) {
	case "yes", "no", "y", "n", "on", "off", "true", "false", "null", "other", "missing":
	default:
		if plainYAML.MatchString(s) {
			return s
		}
	}
	q, _ := json.Marshal(s)
	return string(q)
}

// baseSections returns a base definition's sections other than those
// the learned one writes (name, version, description, fit, grades, score
// and bands), as YAML text; "" without a base.
func baseSections(base []byte) (string, error) {
	if len(base) == 0 {
		return "", nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(base, &doc); err != nil {
		return "", err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return "", fmt.Errorf("not a definition (want a YAML mapping)")
	}
	m := doc.Content[0]
	skip := map[string]bool{"name": true, "version": true, "description": true, "fit": true, "grades": true, "score": true, "bands": true}
	kept := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !skip[m.Content[i].Value] {
			kept.Content = append(kept.Content, m.Content[i], m.Content[i+1])
		}
	}
	if len(kept.Content) == 0 {
		return "", nil
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(kept); err != nil {
		return "", err
	}
	return b.String(), nil
}
