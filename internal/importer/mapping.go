package importer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pistahq/pista/internal/suggest"
	yaml "go.yaml.in/yaml/v3"
)

// MappingError is one problem in a mapping file, placed like the
// definition loader's errors:
//
//	bank.yaml:12: columns."edad": unknown lead field "person.agee" (did you mean person.age?)
type MappingError struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Key  string `json:"key,omitempty"`
	Msg  string `json:"message"`
}

func (e *MappingError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// MappingErrors is every problem found in a mapping file, by line.
type MappingErrors []*MappingError

func (es MappingErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// maxMappingBytes bounds a mapping file; a real one is a few hundred bytes.
const maxMappingBytes = 1 << 20

// mappingKeys are the keys of a mapping file, one per option.
var mappingKeys = []string{"sheet", "delimiter", "format", "action", "action_at", "date_order", "country",
	"campaign", "timezone", "key_columns", "columns"}

// LoadMapping reads a saved import: the options and the column map
// (header → lead field path, "-" or ignore to skip the column), so that a
// recurring import is one command. See examples/imports/. Errors are
// MappingErrors naming the file, line and key. Whether the columns exist
// is checked by Open, against the file's header.
func LoadMapping(path string) (Options, error) {
	name := filepath.Base(path)
	data, err := os.ReadFile(path)
	if err != nil {
		return Options{}, MappingErrors{{File: name, Msg: err.Error()}}
	}
	return ParseMapping(name, data)
}

// ParseMapping reads a mapping from its YAML text; file names it in errors.
func ParseMapping(file string, data []byte) (Options, error) {
	p := &mappingProblems{file: file}
	var o Options
	if len(data) > maxMappingBytes {
		p.add(0, "", "the file is %d bytes; the limit is %d", len(data), maxMappingBytes)
		return o, p.err()
	}
	if len(bytes.TrimSpace(data)) == 0 {
		p.add(0, "", "the file is empty; start from examples/imports/")
		return o, p.err()
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := 0, strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		if strings.Contains(msg, "block sequence entries are not allowed") {
			msg += `: to ignore a column, write "-" in quotes, or ignore`
		}
		p.add(line, "", "%s", msg)
		return o, p.err()
	}
	if len(root.Content) == 0 {
		p.add(0, "", "the file is empty; start from examples/imports/")
		return o, p.err()
	}
	if root.Content[0].Kind != yaml.MappingNode {
		p.add(1, "", "the file must be a YAML mapping of keys such as format, action and columns")
		return o, p.err()
	}
	lines := map[string]int{} // option key as in optionProblem → line
	doc := root.Content[0]
	seen := map[string]int{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			p.add(k.Line, k.Value, "given twice (first at line %d)", prev)
			continue
		}
		seen[k.Value] = k.Line
		lines[k.Value] = v.Line
		switch k.Value {
		case "sheet":
			o.Sheet = p.scalar(k, v)
		case "delimiter":
			o.Delimiter = p.delimiter(k, v)
		case "format":
			o.Format = p.scalar(k, v)
		case "action":
			o.Action = p.scalar(k, v)
		case "action_at":
			o.ActionAt = p.scalar(k, v)
		case "date_order":
			o.DateOrder = p.scalar(k, v)
		case "country":
			o.Country = p.scalar(k, v)
		case "campaign":
			o.Campaign = p.scalar(k, v)
		case "timezone":
			o.Timezone = p.scalar(k, v)
		case "key_columns":
			o.KeyColumns = p.names(k, v, lines)
		case "columns":
			o.Map = p.columns(k, v, lines)
		default:
			msg := fmt.Sprintf("unknown key %q", k.Value)
			if s := suggest.Closest(k.Value, mappingKeys, len(k.Value)/2+2); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			} else {
				msg += "; the keys are " + strings.Join(mappingKeys, ", ")
			}
			p.add(k.Line, "", "%s", msg)
		}
	}
	if len(p.list) > 0 {
		return Options{}, p.err()
	}
	if _, probs := o.check(); len(probs) > 0 {
		for _, pr := range probs {
			p.add(lines[pr.key], pr.key, "%s", pr.msg)
		}
		return Options{}, p.err()
	}
	return o, nil
}

var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

type mappingProblems struct {
	file string
	list MappingErrors
}

func (p *mappingProblems) add(line int, key, format string, args ...any) {
	if len(p.list) < 50 {
		p.list = append(p.list, &MappingError{File: p.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
	}
}

func (p *mappingProblems) err() error {
	sort.SliceStable(p.list, func(i, j int) bool { return p.list[i].Line < p.list[j].Line })
	return p.list
}

// scalar reads a text value; a date or number is kept as written.
func (p *mappingProblems) scalar(k, v *yaml.Node) string {
	switch {
	case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
		return ""
	case v.Kind == yaml.ScalarNode:
		return strings.TrimSpace(v.Value)
	}
	p.add(v.Line, k.Value, "want a single value, not a list or a mapping")
	return ""
}

var delimiterNames = map[string]rune{"comma": ',', "semicolon": ';', "tab": '\t', "pipe": '|', `\t`: '\t'}

func (p *mappingProblems) delimiter(k, v *yaml.Node) rune {
	s := p.scalar(k, v)
	if v.Kind == yaml.ScalarNode && v.Value == "\t" {
		return '\t'
	}
	if d, ok := delimiterNames[strings.ToLower(s)]; ok {
		return d
	}
	if s == "" {
		return 0
	}
	if utf8.RuneCountInString(s) != 1 {
		p.add(v.Line, k.Value, "%q: give one character, such as \";\", or comma, semicolon, tab or pipe", s)
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func (p *mappingProblems) names(k, v *yaml.Node, lines map[string]int) []string {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		p.add(v.Line, k.Value, "want a list of column names, like [Documento, Fecha]")
		return nil
	}
	out := make([]string, 0, len(v.Content))
	for i, item := range v.Content {
		lines[fmt.Sprintf("%s[%d]", k.Value, i)] = item.Line
		if item.Kind != yaml.ScalarNode {
			p.add(item.Line, k.Value, "want a column name")
			continue
		}
		out = append(out, item.Value)
	}
	return out
}

// columns reads header → lead field path; "ignore" is read as "-", which
// YAML needs quoted.
func (p *mappingProblems) columns(k, v *yaml.Node, lines map[string]int) map[string]string {
	if v.Kind != yaml.MappingNode {
		p.add(v.Line, k.Value, "want a mapping of column names to lead fields, like {Correo: person.email}")
		return nil
	}
	out := make(map[string]string, len(v.Content)/2)
	at := map[string]int{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		h, f := v.Content[i], v.Content[i+1]
		key := fmt.Sprintf("columns.%q", h.Value)
		if prev, dup := at[h.Value]; dup {
			p.add(h.Line, key, "given twice (first at line %d)", prev)
			continue
		}
		at[h.Value] = h.Line
		lines[key] = f.Line
		switch {
		case f.Kind == yaml.ScalarNode && f.Tag != "!!null" && strings.TrimSpace(f.Value) != "":
			path := strings.TrimSpace(f.Value)
			if path == "ignore" {
				path = ignore
			}
			out[h.Value] = path
		default:
			p.add(f.Line, key, "give a lead field such as person.email, or \"-\" to ignore the column")
		}
	}
	return out
}
