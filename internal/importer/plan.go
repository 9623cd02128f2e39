package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
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
		if c.kind == kindActionAt && c.order == orderUnknown || c.mapIn != nil {
			return true
		}
	}
	return false
}

// firstPass reads up to firstPassRows data rows for the evidence of
// date orders and column types.
func (f *File) firstPass(src source) error {
	for n := 0; n < firstPassRows; {
		rec, raw, line, err := src.next()
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			n = firstPassRows
			continue
		case errors.As(err, &pe):
			continue // Next reports it
		case err != nil:
			return fmt.Errorf("%s:%d: %w", f.name, line, err)
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
			case c.mapIn != nil:
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
		if c.mapIn != nil {
			c.typ = c.stats.kind()
		}
	}
	return nil
}
