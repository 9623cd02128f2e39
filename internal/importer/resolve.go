package importer

import (
	"fmt"
	"maps"
	"strings"

	"github.com/pistahq/pista/internal/suggest"
)

// headerNames trims the header cells, drops blank ones at the end and
// names blank ones inside column_<n>.
func headerNames(rec []string) []string {
	n := len(rec)
	for n > 0 && strings.TrimSpace(rec[n-1]) == "" {
		n--
	}
	out := make([]string, n)
	for i := range n {
		h := strings.Join(strings.Fields(strings.ToValidUTF8(rec[i], "\uFFFD")), " ")
		if h == "" {
			h = columnName(i)
		}
		out[i] = h
	}
	return out
}

// suggestAll suggests a lead field for each header. A fixed lead field
// goes to the first column that suggests it, unless that column's name is
// weak (weakHeaders) and another's is not; the others, and headers no
// synonym knows, become person.attributes.<snake_case header>.
func suggestAll(header []string) map[string]string {
	out := make(map[string]string, len(header))
	taken := map[string]bool{}
	keys := map[string]bool{}
	claimed := map[string]bool{} // fields some header suggests by a name that is not weak
	for _, h := range header {
		if p := suggestFor(h); p != "" && !weakHeaders[squash(h)] {
			claimed[p] = true
		}
	}
	for i, h := range header {
		if _, done := out[h]; done {
			continue // a repeated header: same field; webform keeps the extra values
		}
		p := suggestFor(h)
		if p == "" || taken[p] || weakHeaders[squash(h)] && claimed[p] {
			k := snake(h)
			if k == "" {
				k = columnName(i)
			}
			base := k
			for n := 2; keys[k]; n++ {
				k = fmt.Sprintf("%s_%d", base, n)
			}
			keys[k] = true
			p = "person.attributes." + k
		}
		taken[p] = true
		out[h] = p
	}
	nameRule(out, nil)
	return out
}

// nameRule reads a single name column ("Nombre", "Name") as the full
// name, split into first and last, unless another column holds the last
// name. Columns in fixed keep their field.
func nameRule(m map[string]string, fixed map[string]bool) {
	hasLast := false
	for _, p := range m {
		hasLast = hasLast || p == "person.last_name"
	}
	for h, p := range m {
		if fixed[h] || (p != "person.first_name" && p != "person.name") {
			continue
		}
		if s := suggestFor(h); s != "person.first_name" && s != "person.name" {
			continue
		}
		if hasLast {
			m[h] = "person.first_name"
		} else {
			m[h] = "person.name"
		}
	}
}

// resolve lays the options' Map over the suggestions and checks it, the
// action and the key columns against the header.
func (f *File) resolve() error {
	m := maps.Clone(f.suggested)
	probs := f.mapProbs
	overridden := map[string]bool{}
	for _, key := range sortedKeys(f.set.Map) {
		h, ok := f.findHeader(key)
		if !ok {
			probs = append(probs, optionProblem{fmt.Sprintf("columns.%q", key), f.noColumn(key)})
			continue
		}
		m[h], overridden[h] = f.set.Map[key], true
	}
	// A fixed lead field given to a column by an override is no longer
	// suggested for another.
	for h, p := range m {
		if overridden[h] || isMapPath(p) {
			continue
		}
		for o := range overridden {
			if m[o] == p && o != h {
				m[h] = "person.attributes." + strings.TrimPrefix(f.suggestedAttr(h), "person.attributes.")
				break
			}
		}
	}
	nameRule(m, overridden)
	f.mapping, f.overridden = m, overridden
	if f.set.Action == "" && !f.mapsTo("action.type") {
		probs = append(probs, optionProblem{"action", "missing: set the action every row records (--action, or action: in the mapping file), e.g. webinar_attended, or map a column to action.type"})
	}
	for i, k := range f.set.KeyColumns {
		if strings.TrimSpace(k) == "" {
			continue
		}
		h, ok := f.findHeader(k)
		if !ok {
			probs = append(probs, optionProblem{fmt.Sprintf("key_columns[%d]", i), f.noColumn(k)})
			continue
		}
		for j, name := range f.header {
			if name == h {
				f.keyCols = append(f.keyCols, j)
				break
			}
		}
	}
	return toOptionErrors(f.name, probs)
}

// suggestedAttr is the attribute path for a header, as suggestAll would
// make it.
func (f *File) suggestedAttr(h string) string {
	k := snake(h)
	if k == "" {
		k = "column"
	}
	return "person.attributes." + k
}

func isMapPath(p string) bool {
	for _, prefix := range mapPrefixes {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

func (f *File) mapsTo(path string) bool {
	for _, p := range f.mapping {
		if p == path {
			return true
		}
	}
	return false
}

// findHeader finds a column by its name as written, or without regard to
// case, accents, spaces and punctuation.
func (f *File) findHeader(name string) (string, bool) {
	name = strings.TrimSpace(name)
	for _, h := range f.header {
		if h == name {
			return h, true
		}
	}
	sq := squash(name)
	for _, h := range f.header {
		if sq != "" && squash(h) == sq {
			return h, true
		}
	}
	return "", false
}

func (f *File) noColumn(name string) string {
	msg := fmt.Sprintf("no column %q in the header of %s", name, f.name)
	if s := suggest.Closest(name, f.header, len(name)/2+2); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	if len(f.header) <= 40 {
		msg += "; the columns are " + quoteList(f.header)
	}
	return msg
}
