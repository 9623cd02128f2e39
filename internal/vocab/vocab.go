// Package vocab maps values as people type them ("Ciencias de la vida",
// "Vice President", "Brasil", "Google Ads") to the codes a lead definition
// compares (life_sciences, vp, BR, google_ads). A vocabulary lists, for
// one field, its codes with labels and synonyms in Spanish, Portuguese
// and English; Pista has built-in vocabularies that a definition extends
// or replaces. A Table is compiled once per definition and then maps
// values without allocating more than the folded key.
package vocab

import (
	"strings"
	"sync"
	"sync/atomic"
)

// Code is one value a field can take, with what people write for it.
type Code struct {
	Code string
	// Labels by language (es, pt, en), as shown to people.
	Labels map[string]string
	// Synonyms are other ways of writing it, in any language.
	Synonyms []string
}

// Vocabulary is the codes of one field.
type Vocabulary struct {
	Field string
	Codes []Code
	// Similarity is the least similarity (0 to 1) for a value to map to
	// a code it does not spell; 0 means DefaultSimilarity.
	Similarity float64
}

// DefaultSimilarity is the least similarity of a fuzzy match: one typo
// in a seven-letter word ("Fintech" for "Fintec") passes, a different word
// does not.
const DefaultSimilarity = 0.84

// How a value was mapped, as recorded in lead.Mapping.How.
const (
	ByCode        = "code"        // the code itself, differently written ("Life_Sciences")
	ByLabel       = "label"       // one of its labels
	BySynonym     = "synonym"     // one of its synonyms
	ByFuzzy       = "fuzzy"       // close enough to a label or synonym
	ByTitle       = "title"       // inferred from the job title
	ByPlaceholder = "placeholder" // "Select", "--", "N/A": blank
	Unmatched     = "unmatched"   // no code; kept as written (snake_cased)
)

// Fields are the lead fields vocabularies apply to. "country" serves
// person.country and company.country.
var Fields = []string{"company.industry", "person.seniority", "person.department", "country", "source.format", "source.channel", "action.type"}

// BandField is the vocabulary of a definition's band names: labels only,
// for screens; intake maps no value through it.
const BandField = "band"

// Match is what a value mapped to.
type Match struct {
	Code  string
	How   string
	Score float64 // similarity of a fuzzy match
}

// Table maps values to codes for every field with a vocabulary.
type Table struct {
	fields map[string]*fieldTable
}

type fieldTable struct {
	field      string
	similarity float64
	codes      []string
	isCode     map[string]bool              // codes as spelt, for the common case of a value that is one
	labels     map[string]map[string]string // code → language → label
	exact      map[string]entry             // folded text → code
	keys       []string                     // folded texts, for fuzzy matching
	// near remembers closest's answers: the same unknown value (a job
	// title, an industry as a form spells it) arrives again and again,
	// and comparing it with every known text is most of mapping it.
	near nearest
}

// nearest is a bounded memo of closest, safe for concurrent use.
type nearest struct {
	m sync.Map // folded text → match
	n atomic.Int64
}

type match struct {
	best  string
	score float64
}

// maxNearest bounds the memo: values past it are compared each time.
const maxNearest = 20_000

type entry struct {
	code, how string
}

// Compile builds a Table from the built-in vocabularies and a
// definition's own: a definition's codes add to the built-in ones (its
// labels win, its synonyms are added) unless replace names the field, in
// which case only its codes count.
func Compile(own []Vocabulary, replace map[string]bool) *Table {
	mine := map[string][]Vocabulary{}
	for _, v := range own {
		mine[v.Field] = append(mine[v.Field], v)
	}
	shared := builtinTables()
	t := &Table{fields: make(map[string]*fieldTable, len(shared)+len(mine))}
	for _, v := range Builtin() {
		if len(mine[v.Field]) == 0 && !replace[v.Field] {
			t.fields[v.Field] = shared[v.Field] // compiled once, shared
			continue
		}
		var list []Vocabulary
		if !replace[v.Field] {
			list = append(list, v)
		}
		t.fields[v.Field] = compileField(merge(v.Field, append(list, mine[v.Field]...)))
		delete(mine, v.Field)
	}
	for f, list := range mine { // fields without a built-in vocabulary
		t.fields[f] = compileField(merge(f, list))
	}
	return t
}

// builtinTables compiles the built-in vocabularies once per process:
// they never change, and the country names alone take milliseconds.
var builtinTables = sync.OnceValue(func() map[string]*fieldTable {
	out := map[string]*fieldTable{}
	for _, v := range Builtin() {
		out[v.Field] = compileField(&v)
	}
	return out
})

// merge joins vocabularies of one field, later ones adding codes,
// labels (which win) and synonyms.
func merge(field string, list []Vocabulary) *Vocabulary {
	m := &Vocabulary{Field: field}
	at := map[string]int{}
	for _, v := range list {
		if v.Similarity > 0 {
			m.Similarity = v.Similarity
		}
		for _, c := range v.Codes {
			i, ok := at[c.Code]
			if !ok {
				i = len(m.Codes)
				at[c.Code] = i
				m.Codes = append(m.Codes, Code{Code: c.Code, Labels: map[string]string{}})
			}
			for lang, l := range c.Labels {
				m.Codes[i].Labels[lang] = l
			}
			m.Codes[i].Synonyms = append(m.Codes[i].Synonyms, c.Synonyms...)
		}
	}
	return m
}

func compileField(v *Vocabulary) *fieldTable {
	ft := &fieldTable{field: v.Field, similarity: v.Similarity, exact: map[string]entry{}, isCode: map[string]bool{}, labels: map[string]map[string]string{}}
	if ft.similarity <= 0 {
		ft.similarity = DefaultSimilarity
	}
	put := func(text, code, how string) {
		k := Fold(text)
		if k == "" {
			return
		}
		// The first claim wins: a code's own spelling over another
		// code's synonym.
		if _, taken := ft.exact[k]; !taken {
			ft.exact[k] = entry{code: code, how: how}
			ft.keys = append(ft.keys, k)
		}
	}
	for _, c := range v.Codes {
		ft.codes = append(ft.codes, c.Code)
		ft.isCode[c.Code] = true
		ft.labels[c.Code] = c.Labels
		put(c.Code, c.Code, ByCode)
	}
	for _, c := range v.Codes {
		for _, lang := range []string{"es", "pt", "en"} {
			if l := c.Labels[lang]; l != "" {
				put(l, c.Code, ByLabel)
			}
		}
	}
	for _, c := range v.Codes {
		for _, s := range c.Synonyms {
			put(s, c.Code, BySynonym)
		}
	}
	return ft
}

// Has reports whether field has a vocabulary.
func (t *Table) Has(field string) bool { return t != nil && t.fields[field] != nil }

// Codes lists the codes of a field, in the vocabulary's order.
func (t *Table) Codes(field string) []string {
	if ft := t.fields[vocabField(field)]; ft != nil {
		return ft.codes
	}
	return nil
}

// IsCode reports whether v is one of the field's codes, exactly.
func (t *Table) IsCode(field, v string) bool {
	ft := t.fields[vocabField(field)]
	return ft != nil && ft.isCode[v]
}

// Label returns a code's label in a language ("" if none, or no table).
func (t *Table) Label(field, code, lang string) string {
	if t == nil {
		return ""
	}
	if ft := t.fields[vocabField(field)]; ft != nil {
		return ft.labels[code][lang]
	}
	return ""
}

// vocabField names the vocabulary of a lead field: both countries share
// "country".
func vocabField(field string) string {
	if field == "person.country" || field == "company.country" {
		return "country"
	}
	return field
}

// Map maps one value of a field. ok is false when the field has no
// vocabulary or the value is blank. A value that is a code as written
// gives How == "" (nothing to record).
func (t *Table) Map(field, v string) (m Match, ok bool) {
	ft := t.fields[vocabField(field)]
	if ft == nil {
		return Match{}, false
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return Match{}, false
	}
	if ft.isCode[v] { // the common case: a code as the definition spells it
		return Match{Code: v}, true
	}
	if IsPlaceholder(v) {
		return Match{How: ByPlaceholder}, true
	}
	k := Fold(v)
	if e, hit := ft.exact[k]; hit {
		if e.code == v {
			return Match{Code: v}, true
		}
		return Match{Code: e.code, How: e.how}, true
	}
	if best, score := ft.closest(k); score >= ft.similarity {
		return Match{Code: ft.exact[best].code, How: ByFuzzy, Score: score}, true
	}
	return Match{Code: unmatchedCode(ft.field, v), How: Unmatched}, true
}

// unmatchedCode is how a value no code matched is kept: a country as
// upper-case text, anything else snake_cased so that a rule naming it
// ("mining") still matches.
func unmatchedCode(field, v string) string {
	if field == "country" {
		return strings.ToUpper(v)
	}
	if s := Snake(v); s != "" {
		return s
	}
	return v
}

// closest returns the known text most similar to k. Only texts of five
// or more characters are compared: short ones are codes and initials,
// where one letter is a different word.
func (ft *fieldTable) closest(k string) (string, float64) {
	if len(k) < 5 || len(k) > 60 {
		return "", 0
	}
	if v, ok := ft.near.m.Load(k); ok {
		m := v.(match)
		return m.best, m.score
	}
	best, score := ft.compare(k)
	if ft.near.n.Load() < maxNearest {
		if _, loaded := ft.near.m.LoadOrStore(k, match{best, score}); !loaded {
			ft.near.n.Add(1)
		}
	}
	return best, score
}

// compare finds the known text most similar to k.
func (ft *fieldTable) compare(k string) (string, float64) {
	best, score := "", 0.0
	for _, c := range ft.keys {
		if len(c) < 5 || absDiff(len(c), len(k)) > len(k)/4+1 {
			continue
		}
		if s := similarity(k, c); s > score {
			best, score = c, s
		}
	}
	return best, score
}

// Suggest returns the code most like v, for coverage reports: the code
// one of its words names ("Minería de datos" suggests mining), else the
// most similar label or synonym if it is fairly close; "" otherwise.
func (t *Table) Suggest(field, v string) string {
	ft := t.fields[vocabField(field)]
	if ft == nil {
		return ""
	}
	k := Fold(v)
	for _, w := range strings.Fields(k) {
		if e, ok := ft.exact[w]; ok && len(w) > 2 {
			return e.code
		}
	}
	best, score := "", 0.0
	for _, c := range ft.keys {
		if s := similarity(k, c); s > score {
			best, score = c, s
		}
	}
	if score < 0.6 {
		return ""
	}
	return ft.exact[best].code
}

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}

// Default returns the table of the built-in vocabularies alone, shared:
// for what is read before any definition applies (a web form's default
// country, an import's country option).
func Default() *Table { return defaultTable() }

var defaultTable = sync.OnceValue(func() *Table { return Compile(nil, nil) })

// Code returns the code a value maps to, and false when it maps to none
// (blank, a placeholder or unmatched).
func (t *Table) Code(field, v string) (string, bool) {
	m, ok := t.Map(field, v)
	if !ok || m.Code == "" || m.How == Unmatched || m.How == ByPlaceholder {
		return "", false
	}
	return m.Code, true
}
