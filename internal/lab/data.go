package lab

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/lead"
)

// DefaultAction is the action every row records when neither the options
// nor a column give one: scoring a list needs no inquiry.
const DefaultAction = "list_import"

// Reader reads a spreadsheet's rows as leads, through package importer.
type Reader struct {
	file    *importer.File
	name    string
	header  []string
	mapping map[string]string
	outcome int  // column index of the outcome, -1 when none
	keyed   bool // key columns identify rows
	n       int
}

// Record is one data row read as a lead.
type Record struct {
	Row  int // 1-based data row (blank rows are not counted)
	Line int // line (CSV) or row number (XLSX) in the file
	Lead lead.Lead
	// ID is what identifies the row's person in the file, when the file
	// says: the external id column or key columns, else the e-mail.
	ID string
	// Outcome is the outcome column's cell as written ("" without one).
	Outcome string
	Values  []string
	Err     error // the row could not be read; Lead is empty
	// Events and Qualification come with leads read from a database.
	Events        []lead.Event
	Qualification *lead.Qualification
}

// Open opens path with the import options; outcome, when not empty, names
// the column that holds the outcome (matched like import headers).
func Open(path string, o importer.Options, outcome string) (*Reader, error) {
	return OpenLimited(path, o, nil, outcome)
}

// OpenLimited is Open within the import limits of a server (nil: none
// beyond the importer's defaults), for files that arrive as uploads.
func OpenLimited(path string, o importer.Options, lim *importer.Limits, outcome string) (*Reader, error) {
	if o.Action == "" {
		o.Action = DefaultAction
	}
	var (
		f   *importer.File
		err error
	)
	if lim != nil {
		f, err = importer.OpenLimited(path, o, *lim)
	} else {
		f, err = importer.Open(path, o)
	}
	if err != nil {
		return nil, err
	}
	m, err := f.Mapping()
	if err != nil {
		f.Close()
		return nil, err
	}
	r := &Reader{file: f, name: path, header: f.Header(), mapping: m, outcome: -1, keyed: len(o.KeyColumns) > 0}
	if outcome != "" {
		if r.outcome = r.Column(outcome); r.outcome < 0 {
			f.Close()
			return nil, fmt.Errorf("--outcome %q: no such column; the columns are %s", outcome, strings.Join(r.header, ", "))
		}
	}
	return r, nil
}

// Column finds a header by name, without regard to case and surrounding
// spaces; -1 when absent.
func (r *Reader) Column(name string) int {
	for i, h := range r.header {
		if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
			return i
		}
	}
	return -1
}

// Header returns the file's header.
func (r *Reader) Header() []string { return r.header }

// Mapping returns header → lead field path ("-" when ignored).
func (r *Reader) Mapping() map[string]string { return r.mapping }

// File is the importer file, for its mapping and suggestions.
func (r *Reader) File() *importer.File { return r.file }

// Close closes the file.
func (r *Reader) Close() error { return r.file.Close() }

// Next reads the next row; io.EOF at the end.
func (r *Reader) Next() (Record, error) {
	row, err := r.file.Next()
	if err != nil {
		return Record{}, err
	}
	r.n++
	rec := Record{Row: r.n, Line: row.Line, Values: row.Values, Err: row.Err}
	if r.outcome >= 0 && r.outcome < len(row.Values) {
		rec.Outcome = strings.TrimSpace(row.Values[r.outcome])
	}
	if row.Err != nil {
		return rec, nil
	}
	in := row.Inquiry
	rec.Lead = lead.Lead{ID: row.ExternalID, Person: in.Person, Company: in.Company, Source: in.Source, Actions: []lead.Action{in.Action}}
	rec.ID = r.idOf(row)
	return rec, nil
}

// idOf is the row's id when the file carries one: a column mapped to
// source.external_id or key columns give row.ExternalID; otherwise the
// e-mail; otherwise nothing (a row number is not an id).
func (r *Reader) idOf(row importer.Row) string {
	for _, p := range r.mapping {
		if p == "source.external_id" {
			return row.ExternalID
		}
	}
	if r.keyed {
		return row.ExternalID
	}
	if row.Inquiry.Person.Email != "" {
		return row.Inquiry.Person.Email
	}
	return ""
}

// Each calls fn for every row until the end or fn's error.
func (r *Reader) Each(fn func(*Record) error) error {
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(&rec); err != nil {
			return err
		}
	}
}
