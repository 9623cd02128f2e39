package importer

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/quality"
	"github.com/pistahq/pista/internal/webform"
)

// maxNotes bounds the notes of one row, like webform's.
const maxNotes = 20

// identityMissing is what Row.Missing lists when nothing identifies the
// person of a row.
const identityMissing = "person.email|person.phone|source.external_id"

// rowReader gathers one row's inquiry and notes.
type rowReader struct {
	f     *File
	in    intake.Inquiry
	props map[string]any
	notes []string
}

func (r *rowReader) note(format string, args ...any) {
	if len(r.notes) < maxNotes {
		r.notes = append(r.notes, fmt.Sprintf(format, args...))
	}
}

// keep puts a value that could not be read into action.props under its
// column's field name, so that nothing is lost.
func (r *rowReader) keep(c *column, v string) {
	if _, taken := r.props[c.field]; !taken {
		r.props[c.field] = v
	}
}

// row reads one record: webform.Map reads the fields a web form can fill,
// with the same cleaning; the importer reads the rest, the action and the
// identity.
func (f *File) row(rec, raw []string, line int) Row {
	r := &rowReader{f: f}
	f.ragged(r, rec)

	clear(f.form)
	for i := range f.cols {
		c := &f.cols[i]
		if c.kind != kindForm || c.path == ignore {
			continue
		}
		v := cell(rec, i)
		if strings.TrimSpace(v) == "" {
			continue
		}
		f.formVals[i][0] = v
		f.form[c.field] = f.formVals[i][:]
	}
	sub := webform.Map(&f.cfg, f.form, time.Time{}, nil)
	l := &sub.Lead
	r.in = intake.Inquiry{Person: l.Person, Company: l.Company, Source: l.Source, Suspicious: sub.Suspicious}
	if len(l.Actions) > 0 {
		r.in.Action = l.Actions[0]
	}
	r.props = r.in.Action.Props
	if r.props == nil {
		r.props = map[string]any{}
	}
	delete(r.props, "form_notes") // the notes go to import_notes, with the importer's own
	for _, n := range sub.Notes {
		// The default country is an option of the import, not news on
		// every row.
		if !strings.HasPrefix(n, "person.country: not given") {
			r.note("%s", n)
		}
	}

	actionType, at, atTried := "", time.Time{}, false
	explicitID := ""
	for i := range f.cols {
		c := &f.cols[i]
		if c.kind == kindForm || c.path == ignore {
			continue
		}
		if c.kind == kindActionAt {
			v := strings.TrimSpace(cell(dateCells(rec, raw), i))
			if webform.Blank(v) || atTried {
				continue
			}
			atTried = true
			t, problem := parseDate(v, c.order, c.src, f.set.loc, f.excel && raw != nil)
			if problem != "" {
				r.note("action.at (column %q): %s", c.header, problem)
				r.keep(c, cell(rec, i))
				continue
			}
			at = t
			continue
		}
		v := webform.Clean(cell(rec, i))
		if v == "" {
			continue
		}
		switch c.kind {
		case kindActionType:
			if actionType != "" {
				r.keep(c, v)
			} else if k := snake(v); isKey(k) && !isDigits(v[:1]) {
				actionType = k
			} else {
				r.note("action.type: %q is not an action name like webinar_attended; kept as action.props.%s", clip(v), c.field)
				r.keep(c, v)
			}
		case kindExternalID:
			if explicitID == "" {
				explicitID = v
			} else {
				r.keep(c, v)
			}
		default:
			r.own(c, v)
		}
	}
	f.typeValues(r)

	in := &r.in
	if f.oneCountry && in.Company.Country == "" {
		in.Company.Country = in.Person.Country
	}
	if in.Source.Channel == "" {
		in.Source.Channel = "import"
	}
	if in.Source.Campaign == "" {
		in.Source.Campaign = f.set.Campaign
	}
	if actionType == "" {
		actionType = f.set.Action
	}
	in.Action.Type = actionType
	in.Action.At = at
	if !atTried {
		in.Action.At = f.set.actionAt
	}

	row := Row{Line: line, Values: rec}
	if actionType == "" {
		row.Missing = append(row.Missing, "action.type")
	}
	row.ExternalID = f.externalID(r, rec, line, explicitID)
	in.Source.ExternalID = row.ExternalID
	if !f.identified(r) {
		row.Missing = append(row.Missing, identityMissing)
	}
	if len(r.notes) > 0 {
		notes := make([]any, len(r.notes))
		for i, n := range r.notes {
			notes[i] = n
		}
		r.props[propNotes] = notes
	}
	if len(r.props) == 0 {
		r.props = nil
	}
	in.Action.Props = r.props
	row.Inquiry, row.Notes = r.in, r.notes
	return row
}

// ragged notes a CSV record with fewer fields than the header, and keeps
// the values beyond the header's columns in a note.
func (f *File) ragged(r *rowReader, rec []string) {
	n := len(f.header)
	switch {
	case len(rec) > n:
		var extra []string
		for _, v := range rec[n:] {
			if strings.TrimSpace(v) != "" {
				extra = append(extra, strconv.Quote(clip(v)))
			}
		}
		if len(extra) > 0 {
			r.note("%d values beyond the header's %d columns, not mapped: %s", len(extra), n, strings.Join(extra, ", "))
		}
	case len(rec) < n && !f.excel: // XLSX rows end at their last filled cell
		r.note("the row has %d fields and the header %d; the missing ones are blank", len(rec), n)
	}
}

// own reads a value into a lead field webform does not fill.
func (r *rowReader) own(c *column, v string) {
	p, spec := &r.in.Person, ownFields[c.own]
	switch c.kind {
	case kindInt:
		target := &r.in.Company.Divisions
		switch c.path {
		case "person.age":
			target = &p.Age
		case "person.years_experience":
			target = &p.YearsExperience
		}
		n, ok := wholeNumber(v)
		switch {
		case !ok || n < spec.min || n > spec.max:
			r.note("%s: %q is not %s; kept as action.props.%s", c.path, clip(v), spec.what, c.field)
			r.keep(c, v)
		case *target != 0:
			r.keep(c, v)
		default:
			*target = n
		}
	case kindText:
		target := &p.Education
		if c.path == "person.gender" {
			target = &p.Gender
		}
		if *target != "" {
			r.keep(c, v)
			return
		}
		*target = v
	case kindMoney:
		m, err := lead.ParseMoney(v)
		switch {
		case err != nil || m.Amount < 0:
			r.note("%s: %q is not %s; kept as action.props.%s", c.path, clip(v), spec.what, c.field)
			r.keep(c, v)
		case !p.Income.IsZero():
			r.keep(c, v)
		default:
			p.Income = m
		}
	case kindList:
		target := &p.Specialties
		switch c.path {
		case "company.products":
			target = &r.in.Company.Products
		case "company.markets":
			target = &r.in.Company.Markets
		case "company.rankings":
			target = &r.in.Company.Rankings
		}
		for _, item := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '|' || r == ',' }) {
			if item = strings.TrimSpace(item); item != "" && len(*target) < 100 {
				*target = append(*target, item)
			}
		}
	}
}

// typeValues turns the text of typed attribute and prop columns into
// numbers or booleans.
func (f *File) typeValues(r *rowReader) {
	for i := range f.cols {
		c := &f.cols[i]
		if c.mapIn == nil || c.typ == typeText || c.path == ignore {
			continue
		}
		var m map[string]any
		switch c.mapIn.prefix {
		case "person.attributes.":
			m = r.in.Person.Attributes
		case "company.attributes.":
			m = r.in.Company.Attributes
		default:
			m = r.props
		}
		s, ok := m[c.mapIn.key].(string)
		if !ok {
			continue
		}
		if v, ok := c.typ.convert(s); ok {
			m[c.mapIn.key] = v
		} else {
			r.note("%s: %q is not %s like the rest of the column; kept as text", c.path, clip(s), c.typ)
		}
	}
}

// keyEscape escapes a key column's value in an external id.
var keyEscape = strings.NewReplacer(`\`, `\\`, "|", `\|`)

// externalID is the row's id: its external id column, else its key
// columns, else "<file>#<line>" when the file has nothing that identifies
// a person.
func (f *File) externalID(r *rowReader, rec []string, line int, explicit string) string {
	if explicit != "" {
		return explicit
	}
	if len(f.keyCols) > 0 {
		parts, blank := make([]string, len(f.keyCols)), true
		for i, k := range f.keyCols {
			v := strings.TrimSpace(cell(rec, k))
			blank = blank && v == ""
			parts[i] = keyEscape.Replace(v)
		}
		if !blank {
			return f.name + "#" + strings.Join(parts, "|")
		}
		r.note("the key columns are blank, so the row has no external id")
	}
	if f.synthetic {
		return f.name + "#" + strconv.Itoa(line)
	}
	return ""
}

// identified reports whether intake can recognise the row's person: a
// readable e-mail or phone, or an external id.
func (f *File) identified(r *rowReader) bool {
	p := &r.in.Person
	ok := r.in.Source.ExternalID != ""
	if p.Email != "" {
		if _, err := quality.NormalizeEmail(p.Email); err == nil {
			ok = true
		} else {
			r.note("person.email: %q is not an e-mail address", clip(p.Email))
		}
	}
	if !ok && p.Phone != "" {
		country := p.Country
		if country == "" {
			country = r.in.Company.Country
		}
		_, err := quality.NormalizePhone(p.Phone, country)
		ok = err == nil
	}
	return ok
}

// wholeNumber reads "35", "35.0" (as spreadsheets write whole numbers) or
// "35 años".
func wholeNumber(s string) (int, bool) {
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == 0 || end > 9 {
		return 0, false
	}
	n, _ := strconv.Atoi(s[:end])
	rest := s[end:]
	if len(rest) > 0 && (rest[0] == '.' || rest[0] == ',') {
		zeros := strings.TrimLeft(rest[1:], "0")
		if len(zeros) == len(rest)-1 {
			return 0, false // "35." or "35,5"
		}
		rest = zeros
	}
	for _, r := range rest {
		if !unicode.IsLetter(r) && !unicode.IsSpace(r) {
			return 0, false
		}
	}
	return n, true
}
