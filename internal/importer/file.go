package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/webform"
)

// File is an open spreadsheet whose rows Next reads as inquiries, one
// goroutine at a time.
type File struct {
	name     string // base name, for external ids and errors
	set      settings
	open     opener
	src      source
	closeAll func() error

	header     []string
	headerLine int
	suggested  map[string]string
	mapping    map[string]string
	mapProbs   []optionProblem // from the options, reported with resolve's
	mapErr     error
	overridden map[string]bool // headers the options mapped
	questions  []Question
	cols       []column
	keyCols    []int
	// synthetic: nothing identifies a person (no e-mail, phone, external
	// id or key columns), so each row's id is "<file>#<line>".
	synthetic bool
	excel     bool
	// oneCountry: a single country column, mapped to person.country, is
	// the company's country too (a list's "País" rarely means only one).
	oneCountry bool

	cfg      webform.Config
	form     url.Values
	formVals [][1]string // backing arrays of form's values, one per column

	delimiter rune
	encoding  string
	blank     int
}

// column is how one column is read.
type column struct {
	header string
	path   string // lead field path, or ignore
	field  string // unique snake_case name: webform's field name and action.props key
	kind   fieldKind
	own    int // index in ownFields

	// Columns filling person.attributes.<key>, company.attributes.<key> or
	// action.props.<key> alone are typed by the first pass.
	mapIn *mapRef
	typ   valueType
	stats typeStats
	// ask: the column was suggested for a text field by its name alone;
	// the first pass checks that its values are not all numbers.
	ask    bool
	order  dateOrder
	src    orderSource
	proofs [orderMDY + 1]int // first-pass dates proving dmy, mdy
}

// mapRef names one key of a free-form lead map.
type mapRef struct {
	prefix, key string
}

// firstPassRows is how many data rows Open reads ahead to sniff date
// orders and column types.
const firstPassRows = 10_000

// Open opens a spreadsheet by its extension: .csv, .tsv and .txt are
// CSV (delimiter sniffed unless given; UTF-8 with or without BOM, UTF-16
// with BOM, or Windows-1252), .xlsx is read with excelize's streaming
// rows. The first non-blank row is the header. Open checks the options
// (OptionErrors name each bad one) and reads up to the first 10,000 rows
// once ahead to sniff date orders and column types (doc.go). Whether the
// mapping fits the header is Mapping's error.
func Open(path string, opts Options) (*File, error) {
	return OpenLimited(path, opts, Limits{})
}

// OpenLimited is Open within limits on what reading the file may cost
// (zero fields take DefaultLimits): the server's uploads use it.
func OpenLimited(path string, opts Options, lim Limits) (*File, error) {
	lim = lim.orDefaults()
	set, probs := opts.check()
	var fileProbs, mapProbs []optionProblem
	for _, p := range probs {
		if strings.HasPrefix(p.key, "columns.") || strings.HasPrefix(p.key, "key_columns") {
			mapProbs = append(mapProbs, p)
		} else {
			fileProbs = append(fileProbs, p)
		}
	}
	if err := toOptionErrors("", fileProbs); err != nil {
		return nil, err
	}
	f := &File{name: filepath.Base(path), set: set, mapProbs: mapProbs}
	var x *xlsxFile
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv", ".tsv", ".txt":
		c, err := openCSV(path, set.Delimiter, ext == ".tsv")
		if err != nil {
			return nil, err
		}
		f.open, f.closeAll, f.delimiter, f.encoding = c.opener(), c.f.Close, c.comma, c.encName
	case ".xlsx":
		var err error
		if x, err = openXLSX(path, set.Sheet, lim); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		f.open, f.closeAll, f.excel, f.encoding = x.opener(), x.f.Close, true, "utf-8"
	case ".xls", ".xlsm", ".ods", ".numbers":
		return nil, fmt.Errorf("%s: pista cannot read %s files; save the sheet as .xlsx or .csv", f.name, ext)
	case "":
		return nil, fmt.Errorf("%s: the file name has no extension; pista reads .csv, .tsv, .txt and .xlsx", f.name)
	default:
		return nil, fmt.Errorf("%s: pista cannot read %s files; it reads .csv, .tsv, .txt and .xlsx", f.name, ext)
	}
	if err := f.start(x); err != nil {
		f.closeAll()
		return nil, err
	}
	return f, nil
}

// start reads the header, resolves the mapping and, if needed, makes the
// first pass, leaving f.src on the first data row.
func (f *File) start(x *xlsxFile) error {
	src, err := f.open()
	if err != nil {
		return fmt.Errorf("%s: %w", f.name, err)
	}
	rec, err := f.readHeader(src)
	if err != nil {
		src.close()
		return err
	}
	f.header = headerNames(rec)
	f.suggested = suggestAll(f.header)
	if f.mapErr = f.resolve(); f.mapErr != nil {
		f.src = src // Header and Suggested work; Mapping and Next report the error
		return nil
	}
	f.plan()
	needRaw := f.excel && f.has(kindActionAt)
	if f.needsFirstPass() || needRaw {
		src.close()
		if x != nil {
			x.raw = needRaw
		}
		if f.needsFirstPass() {
			if src, err = f.reopen(); err != nil {
				return err
			}
			err = f.firstPass(src)
			src.close()
			if err != nil {
				return err
			}
		}
		if src, err = f.reopen(); err != nil {
			return err
		}
	}
	f.src = src
	f.cfg = webform.Config{
		Name: "import", Action: "import", SourceFormat: f.set.Format, DefaultCountry: f.set.country,
		Fields: map[string]string{}, Honeypot: webform.Off, TimestampField: webform.Off, MinFillSeconds: -1,
		UTM: new(bool),
		// Required stays the default; row ignores Map's Missing and
		// decides itself, since an external id identifies a row too.
	}
	countries := map[string]int{}
	for _, c := range f.cols {
		if c.kind == kindForm && c.path != ignore {
			f.cfg.Fields[c.field] = c.path
		}
		countries[c.path]++
	}
	f.oneCountry = countries["person.country"] == 1 && countries["company.country"] == 0
	f.form = make(url.Values, len(f.cfg.Fields))
	f.formVals = make([][1]string, len(f.cols))
	return nil
}

// readHeader returns the first record with a non-blank cell.
func (f *File) readHeader(src source) ([]string, error) {
	for {
		rec, _, line, err := src.next()
		switch {
		case err == io.EOF:
			return nil, fmt.Errorf("%s: the file is empty: the first row should name the columns", f.name)
		case err != nil:
			return nil, fmt.Errorf("%s:%d: the header row cannot be read: %w", f.name, line, err)
		case !allBlank(rec):
			f.headerLine = line
			return rec, nil
		}
	}
}

// reopen opens the source again and skips to the first data row.
func (f *File) reopen() (source, error) {
	src, err := f.open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.name, err)
	}
	for {
		_, _, line, err := src.next()
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			src.close()
			return nil, fmt.Errorf("%s: the file changed while it was read", f.name)
		case err != nil && !errors.As(err, &pe):
			src.close()
			return nil, fmt.Errorf("%s:%d: %w", f.name, line, err)
		case line >= f.headerLine:
			return src, nil
		}
	}
}

// Header returns the column names: the first non-blank row, trimmed, with
// blank names inside it called column_<n> and blank ones at its end dropped.
func (f *File) Header() []string { return slices.Clone(f.header) }

// Suggested returns, for each header, the lead field its name suggests in
// es, pt or en ("Correo electrónico" → person.email, "Empresa" →
// company.name, "Fecha" → action.at), or person.attributes.<snake_case
// header> so that no column is lost. A fixed field goes to the first
// column that suggests it. "Nombre" alone is person.name (split into
// first and last); next to "Apellidos" it is person.first_name.
func (f *File) Suggested() map[string]string { return maps.Clone(f.suggested) }

// Mapping returns the mapping rows are read with: the suggestions with
// Options.Map laid over them ("-" ignores a column), and an OptionErrors
// (prefixed with the file name) if it does not fit the file: an unknown
// lead field path (with a did-you-mean), a column or key column not in
// the header, or no action for the rows. Open succeeds regardless, so
// that Header and Suggested can help fix it; Next returns the same error.
func (f *File) Mapping() (map[string]string, error) { return maps.Clone(f.mapping), f.mapErr }

// Delimiter is the CSV field separator, given or sniffed; 0 for XLSX.
func (f *File) Delimiter() rune { return f.delimiter }

// Encoding is the CSV's text encoding as sniffed: utf-8, utf-16 or
// windows-1252.
func (f *File) Encoding() string { return f.encoding }

// BlankRows counts the rows skipped so far because every cell was blank.
func (f *File) BlankRows() int { return f.blank }

// DateOrder says how the action.at column with this header reads dates
// such as 03/04/2026: "dmy", "mdy", "ymd", or "" when neither the options
// nor the first pass decided (such dates are then not read), and whether
// the first pass found both orders.
func (f *File) DateOrder(header string) (order string, mixed bool) {
	for _, c := range f.cols {
		if c.header == header && c.kind == kindActionAt {
			return c.order.String(), c.src == orderMixed
		}
	}
	return "", false
}

// Next reads the next row. It returns io.EOF at the end, and an error only
// when the file cannot be read on; a row that cannot be read has Err set.
// Rows whose cells are all blank are skipped (BlankRows counts them).
func (f *File) Next() (Row, error) {
	if f.mapErr != nil {
		return Row{}, f.mapErr
	}
	for {
		rec, raw, line, err := f.src.next()
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return Row{}, io.EOF
		case errors.As(err, &pe):
			return Row{Line: line, Err: fmt.Errorf("%s:%d: %w", f.name, line, pe.Err)}, nil
		case err != nil:
			return Row{}, fmt.Errorf("%s:%d: %w", f.name, line, err)
		case allBlank(rec):
			f.blank++
			continue
		}
		return f.row(rec, raw, line), nil
	}
}

// Close closes the file.
func (f *File) Close() error {
	var err error
	if f.src != nil {
		err = f.src.close()
		f.src = nil
	}
	if f.closeAll != nil {
		if e := f.closeAll(); err == nil {
			err = e
		}
		f.closeAll = nil
	}
	return err
}

// Row is one data row read as an inquiry.
type Row struct {
	// Line is where the row starts: the CSV line (1-based, counting the
	// lines inside quoted fields) or the XLSX row number.
	Line int
	// Values are the cells as read (XLSX: as displayed).
	Values []string
	// Inquiry is the row mapped: person, company, source (Format,
	// Campaign, channel "import", ExternalID) and Action. action.props
	// keeps values that could not be read and import_notes.
	Inquiry intake.Inquiry
	// ExternalID identifies the row's person: the source.external_id
	// column, the key columns, or "<file>#<line>" when the file has no
	// e-mail, phone or id column. Also in Inquiry.Source.ExternalID.
	ExternalID string
	// Missing lists what the row lacks to be imported, as lead field
	// paths ("person.email|person.phone|source.external_id" when nothing
	// identifies the person, "action.type"). Such a row is invalid.
	Missing []string
	// Notes say what was cleaned or could not be read, for people.
	Notes []string
	// Err is set when the row cannot be read at all.
	Err error
}

func allBlank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func cell(rec []string, i int) string {
	if i < len(rec) {
		return rec[i]
	}
	return ""
}

// dateCells are the cells a date is read from: XLSX raw values (date
// serials) when there are any.
func dateCells(rec, raw []string) []string {
	if raw != nil {
		return raw
	}
	return rec
}
