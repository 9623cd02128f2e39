package definition

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Load reads and compiles a definition file. Errors are of type Errors and
// name the file (by its base name), the line and the rule.
func Load(path string) (*Definition, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, Errors{{File: name, Msg: err.Error()}}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, Errors{{File: name, Msg: err.Error()}}
	}
	if st.Size() > MaxFileSize {
		return nil, Errors{{File: name, Msg: fmt.Sprintf("the file is %d bytes; the limit is %d", st.Size(), MaxFileSize)}}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Errors{{File: name, Msg: err.Error()}}
	}
	return Parse(name, data)
}

// Parse compiles a definition from its YAML text. file names it in errors.
func Parse(file string, data []byte) (*Definition, error) { return parse(file, data, nil) }

func parse(file string, data []byte, rates map[string]float64) (*Definition, error) {
	p := &problems{file: file}
	if len(data) > MaxFileSize {
		p.add(0, "", "the file is %d bytes; the limit is %d", len(data), MaxFileSize)
		return nil, p.err()
	}
	if len(bytes.TrimSpace(data)) == 0 {
		p.add(0, "", "the file is empty; start from examples/definitions/")
		return nil, p.err()
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		if !flowQuestion(p, data) {
			addYAMLError(p, err)
		}
		return nil, p.err()
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		p.add(1, "", "the file must be a YAML mapping of keys such as name, inquiry, fit, bands")
		return nil, p.err()
	}
	doc := root.Content[0]
	if n := countNodes(doc); n > maxNodes {
		p.add(doc.Line, "", "the file has %d entries; the limit is %d", n, maxNodes)
		return nil, p.err()
	}
	checkKeys(p, doc, reflect.TypeFor[rawFile](), "the file")
	var raw rawFile
	if err := doc.Decode(&raw); err != nil {
		addYAMLError(p, err)
	}
	if len(p.list) > 0 {
		return nil, p.err()
	}
	sum := sha256.Sum256(data)
	def := compileFile(p, &raw, doc, rates)
	if err := p.err(); err != nil {
		return nil, err
	}
	def.File = file
	def.Hash = hex.EncodeToString(sum[:6])
	return def, nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// flowQuestion finds, after a YAML syntax error, a one-line {…} mapping
// whose expression has "?" outside quotes (the ?? operator, or ? : ): in
// a flow mapping YAML reads "?" as the start of a key, and its own message
// names neither the line nor the cure. It adds the problem and reports
// whether it found one.
func flowQuestion(p *problems, data []byte) bool {
	found := false
	for i, line := range strings.Split(string(data), "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") || !strings.Contains(line, "{") {
			continue
		}
		op, quote := "", rune(0)
		for j, r := range line {
			switch {
			case quote != 0:
				if r == quote {
					quote = 0
				}
			case r == '"' || r == '\'':
				quote = r
			case r == '?':
				op = "?"
				if strings.HasPrefix(line[j:], "??") {
					op = "??"
				}
			}
			if op != "" || (r == '#' && quote == 0 && j > 0 && line[j-1] == ' ') {
				break
			}
		}
		if op == "" {
			continue
		}
		p.add(i+1, "", "%q inside {…} on one line is read by YAML, not as the expression's operator: quote the expression, like when: '(company.country %s person.country) == \"US\"', or write the rule on several lines", op, op)
		found = true
	}
	return found
}

// addYAMLError turns the YAML library's messages into file:line problems.
func addYAMLError(p *problems, err error) {
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, m := range msgs {
		m = strings.TrimPrefix(m, "yaml: unmarshal errors:\n")
		for _, one := range strings.Split(m, "\n") {
			one = strings.TrimSpace(one)
			if one == "" {
				continue
			}
			line := 0
			if sm := yamlLine.FindStringSubmatch(one); sm != nil {
				line, _ = strconv.Atoi(sm[1])
				one = sm[2]
			}
			p.add(line, "", "%s", friendlyYAML(one))
		}
	}
}

var cannotUnmarshal = regexp.MustCompile("cannot unmarshal !!(\\w+) `(.*)` into (.*)$")

func friendlyYAML(msg string) string {
	if strings.Contains(msg, "did not find expected ',' or '}'") || strings.Contains(msg, "did not find expected ',' or ']'") {
		return msg + ": inside {…} or […] on one line, quote an expression that has [ ] , { } or : in it, or write the rule on several lines"
	}
	sm := cannotUnmarshal.FindStringSubmatch(msg)
	if sm == nil {
		return msg
	}
	want := sm[3]
	switch {
	case strings.Contains(want, "float64"), strings.Contains(want, "int"):
		want = "a number"
	case strings.HasPrefix(want, "[]"):
		want = "a list"
	case strings.HasPrefix(want, "map"), strings.Contains(want, "definition.raw"):
		want = "a mapping of keys"
	case want == "string":
		want = "text"
	}
	return fmt.Sprintf("%q is not valid here: want %s", sm[2], want)
}

// lineMsg formats a message the way the YAML library does, so that
// addYAMLError can place it on its line.
func lineMsg(line int, msg string) string {
	return fmt.Sprintf("line %d: %s", line, msg)
}

// checkKeys reports keys the schema does not know, with a suggestion,
// because a misspelt key would otherwise be silently ignored.
func checkKeys(p *problems, n *yaml.Node, t reflect.Type, where string) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode || t == reflect.TypeFor[src]() {
			return
		}
		fields := yamlFields(t)
		names := make([]string, 0, len(fields))
		for k := range fields {
			names = append(names, k)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				p.add(k.Line, "", "unknown key %q in %s%s", k.Value, where, didYouMean(k.Value, names))
				continue
			}
			checkKeys(p, v, ft, fmt.Sprintf("%q", k.Value))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			checkKeys(p, n.Content[i+1], t.Elem(), fmt.Sprintf("%q", n.Content[i].Value))
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for _, item := range n.Content {
			checkKeys(p, item, t.Elem(), where)
		}
	}
}

// yamlFields maps the YAML keys of a struct (inline fields included) to
// their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if opts == "inline" {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" || name == "-" {
			continue
		}
		out[name] = f.Type
	}
	return out
}

// maxNodes bounds the YAML entries (list items and keys) of a file, checked
// before anything expensive happens; MaxRules is checked after decoding.
const maxNodes = 20 * MaxRules

func countNodes(n *yaml.Node) int {
	total := 0
	if n.Kind == yaml.SequenceNode {
		total += len(n.Content)
	}
	if n.Kind == yaml.MappingNode {
		total += len(n.Content) / 2
	}
	for _, c := range n.Content {
		total += countNodes(c)
	}
	return total
}
