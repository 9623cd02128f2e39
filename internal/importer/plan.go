package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pistahq/pista/internal/webform"
)

// plan decides how each column is read.
func (f *File) plan() {
	f.cols = make([]column, len(f.header))
	used := map[string]bool{}
	refs := map[mapRef]int{}
	identified := len(f.keyCols) > 0
	for i, h := range f.header {
		c := &f.cols[i]
		c.header, c.path = h, f.mapping[h]
		c.field = snake(h)
		if c.field == "" || c.field == propNotes {
			c.field = columnName(i)
		}
		for base, n := c.field, 2; used[c.field]; n++ {
			c.field = fmt.Sprintf("%s_%d", base, n)
		}
		used[c.field] = true
		if j, ok := ownField(c.path); ok {
			c.kind, c.own = ownFields[j].kind, j
		}
		switch c.path {
		case "person.email", "person.phone", "source.external_id":
			identified = true
		}
		for _, p := range mapPrefixes {
			if key, ok := strings.CutPrefix(c.path, p); ok {
				c.mapIn = &mapRef{p, key}
				refs[*c.mapIn]++
			}
		}
		c.ask = !f.overridden[h] && textFields[c.path]
		c.order, c.src = f.set.order, orderNone
		if c.order != orderUnknown {
			c.src = orderDeclared
		}
	}
	for i := range f.cols {
		if c := &f.cols[i]; c.mapIn != nil && refs[*c.mapIn] > 1 {
			c.mapIn = nil // two columns, one key: webform keeps both values as text
		}
	}
	f.synthetic = !identified
}

func (f *File) has(k fieldKind) bool {
	for _, c := range f.cols {
		if c.kind == k && c.path != ignore {
			return true
		}
	}
	return false
}

func (f *File) needsFirstPass() bool {
	for _, c := range f.cols {
		if c.path == ignore {
			continue
		}
		if c.kind == kindActionAt && c.order == orderUnknown || c.mapIn != nil || c.ask {
			return true
		}
	}
	return false
}

// firstPass reads up to firstPassRows data rows for the evidence of
// date orders and column types.
func (f *File) firstPass(src source) error {
	for n := 0; n < firstPassRows; {
		rec, raw, _, err := src.next()
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			n = firstPassRows
			continue
		case errors.As(err, &pe):
			continue // Next reports it
		case err != nil:
			n = firstPassRows // what the rows read show is all there is; Next reports the error
			continue
		case allBlank(rec):
			continue
		}
		n++
		for i := range f.cols {
			c := &f.cols[i]
			switch {
			case c.path == ignore:
			case c.kind == kindActionAt && c.order == orderUnknown:
				if o := evidence(cell(dateCells(rec, raw), i)); o != orderUnknown {
					c.proofs[o]++
				}
			case c.mapIn != nil || c.ask:
				c.stats.add(webform.Clean(cell(rec, i)))
			}
		}
	}
	for i := range f.cols {
		c := &f.cols[i]
		if c.kind == kindActionAt && c.order == orderUnknown {
			switch dmy, mdy := c.proofs[orderDMY], c.proofs[orderMDY]; {
			case dmy > 0 && mdy > 0:
				c.src = orderMixed
			case dmy > 0:
				c.order, c.src = orderDMY, orderSniffed
			case mdy > 0:
				c.order, c.src = orderMDY, orderSniffed
			}
		}
		if c.ask && c.stats.kind() == typeNumber {
			f.askNumeric(c)
		}
		if c.mapIn != nil {
			c.typ = c.stats.kind()
		}
	}
	return nil
}

// textFields are the lead fields that hold words and codes. A column
// suggested for one by its header alone whose values are all numbers
// ("campaign" holding how many times a person was called) is not read as
// it: the name is ambiguous, so it is kept as an attribute and the
// mapping asks.
var textFields = map[string]bool{
	"person.title": true, "person.seniority": true, "person.department": true, "person.language": true,
	"person.education": true, "person.gender": true, "company.industry": true,
	"source.campaign": true, "source.channel": true, "source.referrer": true,
}

// Question is a column the suggestions did not map to the field its name
// suggests, because its values say otherwise: the mapping asks the user to
// confirm (--map, or the mapping file's columns).
type Question struct {
	Header    string `json:"header"`
	Suggested string `json:"suggested"` // the field the name suggests
	Mapped    string `json:"mapped"`    // where the column goes instead
	Why       string `json:"why"`
	// Values is how many values of the first rows were looked at (all
	// numbers), for a page that words the question in its own language.
	Values int `json:"-"`
}

func (q Question) String() string {
	return fmt.Sprintf("column %q %s, so it is read as %s, not as %s; if the numbers are %s codes, map it with --map %q",
		q.Header, q.Why, q.Mapped, q.Suggested, q.Suggested, q.Header+"="+q.Suggested)
}

// Questions lists the columns whose suggestion the first pass changed.
func (f *File) Questions() []Question { return slices.Clone(f.questions) }

// askNumeric keeps a numeric column suggested for a text field as a
// number attribute instead, and records the question.
func (f *File) askNumeric(c *column) {
	attr := "person.attributes." + c.field
	f.questions = append(f.questions, Question{Header: c.header, Suggested: c.path, Mapped: attr,
		Why: fmt.Sprintf("holds only numbers (all %d values of the first rows)", c.stats.seen), Values: c.stats.seen})
	c.path, c.ask = attr, false
	c.mapIn = &mapRef{"person.attributes.", c.field}
	f.mapping[c.header] = attr
	if f.suggested[c.header] != "" {
		f.suggested[c.header] = attr
	}
}
