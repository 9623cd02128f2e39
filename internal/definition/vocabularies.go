package definition

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/expr-lang/expr/ast"
	yaml "go.yaml.in/yaml/v3"

	"github.com/pistahq/pista/internal/vocab"
)

// rawVocabulary is one field's entry under `vocabularies:`: its codes,
// whether they replace the built-in ones, and how similar a value must be
// to map fuzzily.
type rawVocabulary struct {
	Replace    bool                     `yaml:"replace"`
	Similarity *float64                 `yaml:"similarity"`
	Codes      map[string]*rawVocabCode `yaml:"codes"`
	line       int
}

func (r *rawVocabulary) UnmarshalYAML(n *yaml.Node) error {
	type plain rawVocabulary
	r.line = n.Line
	return n.Decode((*plain)(r))
}

// rawVocabCode is one code: labels by language and synonyms.
type rawVocabCode struct {
	Labels   map[string]string `yaml:"labels"`
	Synonyms []string          `yaml:"synonyms"`
}

var (
	codeRe    = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	countryRe = regexp.MustCompile(`^[A-Z]{2}$`)
)

// vocabularies compiles the built-in vocabularies with the file's own.
// The inquiry actions are codes of action.type, so that "Price Request"
// finds price_request and a definition's own actions are not "unmatched".
func (c *compiler) vocabularies() {
	var own []vocab.Vocabulary
	replace := map[string]bool{}
	fields := slices.Clone(vocab.Fields)
	fields = append(fields, "person.country", "company.country")
	names := make([]string, 0, len(c.raw.Vocabularies))
	for f := range c.raw.Vocabularies {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		rv := c.raw.Vocabularies[f]
		where := fmt.Sprintf("vocabularies.%s", f)
		if !slices.Contains(fields, f) {
			c.p.add(c.vocabKeyLine(f, rv.line), "", "%s: no vocabulary for %q; fields with vocabularies are %s%s", where, f, strings.Join(vocab.Fields, ", "), didYouMean(f, fields))
			continue
		}
		if f == "person.country" || f == "company.country" {
			f = "country"
		}
		v := vocab.Vocabulary{Field: f}
		if s := rv.Similarity; s != nil {
			if *s <= 0 || *s > 1 {
				c.p.add(rv.line, "", "%s: similarity %v must be above 0 and at most 1 (1 turns fuzzy matching off)", where, *s)
			}
			v.Similarity = *s
		}
		if rv.Replace {
			replace[f] = true
			if len(rv.Codes) == 0 {
				c.p.add(rv.line, "", "%s: replace: true needs codes, or nothing would match", where)
			}
		}
		codes := make([]string, 0, len(rv.Codes))
		for code := range rv.Codes {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			rc := rv.Codes[code]
			if f == "country" && !countryRe.MatchString(code) || f != "country" && !codeRe.MatchString(code) {
				want := "lower case letters, digits and _ (like life_sciences)"
				if f == "country" {
					want = "an ISO 3166-1 alpha-2 code (like BR)"
				}
				c.p.add(rv.line, "", "%s: code %q: codes are %s", where, code, want)
				continue
			}
			vc := vocab.Code{Code: code}
			if rc != nil {
				for lang := range rc.Labels {
					if lang != "es" && lang != "pt" && lang != "en" {
						c.p.add(rv.line, "", "%s.%s: label language %q: use es, pt or en", where, code, lang)
					}
				}
				vc.Labels, vc.Synonyms = rc.Labels, rc.Synonyms
			}
			v.Codes = append(v.Codes, vc)
		}
		own = append(own, v)
	}
	actions := vocab.Vocabulary{Field: "action.type"}
	for a := range c.def.Inquiry.Actions {
		actions.Codes = append(actions.Codes, vocab.Code{Code: a})
	}
	sort.Slice(actions.Codes, func(i, j int) bool { return actions.Codes[i].Code < actions.Codes[j].Code })
	own = append(own, c.bandLabels())
	c.def.Vocab = vocab.Compile(append([]vocab.Vocabulary{actions}, own...), replace)
}

// bandLabels is the bands' names in each language, as the vocabulary of
// "band": screens name a band through the same labels as any code.
func (c *compiler) bandLabels() vocab.Vocabulary {
	v := vocab.Vocabulary{Field: vocab.BandField}
	for _, b := range c.raw.Bands {
		for lang := range b.Labels {
			if lang != "es" && lang != "pt" && lang != "en" {
				c.p.add(b.line, fmt.Sprintf("band %q", b.Name), "labels: language %q: use es, pt or en", lang)
			}
		}
		v.Codes = append(v.Codes, vocab.Code{Code: b.Name, Labels: b.Labels})
	}
	return v
}

// literalCollector gathers the text values rules compare vocabulary
// fields with (`company.industry in ["mining", "energy"]`), so coverage
// counts a value a rule names as matched even without a code.
type literalCollector struct {
	out map[string]map[string]bool
}

func (l *literalCollector) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BinaryNode)
	if !ok {
		return
	}
	switch b.Operator {
	case "==", "!=", "in", "not in":
	default:
		return
	}
	field := fieldPath(b.Left)
	values := b.Right
	if field == "" {
		field, values = fieldPath(b.Right), b.Left
	}
	if field == "" {
		return
	}
	add := func(n ast.Node) {
		if s, ok := n.(*ast.StringNode); ok {
			if l.out[field] == nil {
				l.out[field] = map[string]bool{}
			}
			l.out[field][s.Value] = true
		}
	}
	if arr, ok := values.(*ast.ArrayNode); ok {
		for _, n := range arr.Nodes {
			add(n)
		}
		return
	}
	add(values)
}

// fieldPath names a vocabulary field an expression node reads:
// "company.industry", "person.country", "country" or "action.type".
func fieldPath(n ast.Node) string {
	switch m := n.(type) {
	case *ast.IdentifierNode:
		if m.Value == "country" {
			return "country"
		}
	case *ast.MemberNode:
		root, ok := m.Node.(*ast.IdentifierNode)
		prop, ok2 := m.Property.(*ast.StringNode)
		if ok && ok2 {
			return root.Value + "." + prop.Value
		}
	}
	return ""
}

// RuleValues returns, for a field, the values the definition's rules
// compare it with ("country" also gives the values compared with
// person.country and company.country).
func (d *Definition) RuleValues(field string) map[string]bool {
	out := map[string]bool{}
	for k := range d.literals[field] {
		out[k] = true
	}
	if field == "person.country" || field == "company.country" {
		for k := range d.literals["country"] {
			out[k] = true
		}
	}
	return out
}

// vocabKeyLine is the line of a field's key under vocabularies: (def if
// not found), where a misspelt field name is.
func (c *compiler) vocabKeyLine(field string, def int) int {
	for i := 0; i+1 < len(c.doc.Content); i += 2 {
		if c.doc.Content[i].Value != "vocabularies" {
			continue
		}
		m := c.doc.Content[i+1]
		for j := 0; j+1 < len(m.Content); j += 2 {
			if m.Content[j].Value == field {
				return m.Content[j].Line
			}
		}
	}
	return def
}
