package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// source is a spreadsheet read row by row from the top, header first.
type source interface {
	// next returns the next record and the line (CSV) or row number
	// (XLSX) it starts on; raw holds XLSX cell values without number
	// formats when the file asked for them, else nil. A *csv.ParseError
	// is a record that cannot be read; the next call goes on after it.
	// Any other error ends the reading. io.EOF at the end.
	next() (rec, raw []string, line int, err error)
	close() error
}

// opener opens a source at its beginning. Open calls it twice when it
// needs a first pass over the file.
type opener func() (source, error)

const (
	sniffBytes = 16 << 10 // read to sniff the encoding and delimiter
	sniffLines = 20
	// maxRecordBytes bounds one CSV record: a quote that is never closed
	// would otherwise read the rest of the file into one field.
	maxRecordBytes = 16 << 20
)

// delimiters are the ones sniffed, in the order that breaks ties.
var delimiters = []rune{',', ';', '\t', '|'}

// csvFile is an open CSV file with what was sniffed from its start.
type csvFile struct {
	f        *os.File
	enc      encoding.Encoding // nil for UTF-8
	encName  string
	bomBytes int // UTF-8 BOM to skip
	comma    rune
}

// openCSV opens a CSV file and sniffs its encoding (UTF-8, UTF-16 with a
// BOM, or Windows-1252 when the start is not valid UTF-8, as Excel on
// Windows saves "CSV") and, if delim is 0, its delimiter.
func openCSV(path string, delim rune, preferTab bool) (*csvFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	sample := make([]byte, sniffBytes)
	n, err := io.ReadFull(f, sample)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		f.Close()
		return nil, err
	}
	sample = sample[:n]
	whole := n < sniffBytes
	c := &csvFile{f: f, encName: "utf-8", comma: delim}
	switch {
	case bytes.HasPrefix(sample, []byte{0xEF, 0xBB, 0xBF}):
		c.bomBytes = 3
		sample = sample[3:]
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}), bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		c.enc, c.encName = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16"
	case !validUTF8Prefix(sample, whole):
		c.enc, c.encName = charmap.Windows1252, "windows-1252"
	}
	if c.enc != nil {
		text, _, _ := transform.Bytes(c.enc.NewDecoder(), sample)
		sample = text
	}
	name := filepath.Base(path)
	if c.encName == "utf-16" {
		err = checkDecodedText(sample, name)
	} else {
		err = checkText(f, name)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	if c.comma == 0 {
		c.comma = sniffDelimiter(sample, whole, preferTab)
	}
	return c, nil
}

// validUTF8Prefix is utf8.Valid, forgiving a character cut at the end of
// a sample.
func validUTF8Prefix(b []byte, whole bool) bool {
	for i := 0; !whole && i < utf8.UTFMax-1 && len(b) > 0; i++ {
		if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size != 1 {
			break
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// sniffDelimiter picks the delimiter that splits the sample's records
// into the same number of fields, more than one, as the header; ragged
// files are judged by the share of records that agree with the header.
func sniffDelimiter(sample []byte, whole, preferTab bool) rune {
	order := delimiters
	if preferTab {
		order = []rune{'\t', ',', ';', '|'}
	}
	best, bestScore := order[0], 0.0
	for _, d := range order {
		r := csv.NewReader(bytes.NewReader(sample))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = d, true, -1
		var counts []int
		for len(counts) <= sniffLines {
			rec, err := r.Read()
			if err != nil {
				break
			}
			counts = append(counts, len(rec))
		}
		if !whole && len(counts) > 1 {
			counts = counts[:len(counts)-1] // may be cut by the sample's end
		}
		if len(counts) == 0 || counts[0] < 2 {
			continue
		}
		agree := 0
		for _, c := range counts {
			if c == counts[0] {
				agree++
			}
		}
		// Agreement first; among equals, more columns means the
		// delimiter really separates (1.0 + a little per column).
		score := float64(agree)/float64(len(counts)) + float64(min(counts[0], 100))/1e4
		if agree == len(counts) {
			score += 1
		}
		if score > bestScore+1e-9 {
			best, bestScore = d, score
		}
	}
	return best
}

// opener returns a function that reads the file from the top.
func (c *csvFile) opener() opener {
	return func() (source, error) {
		if _, err := c.f.Seek(int64(c.bomBytes), io.SeekStart); err != nil {
			return nil, err
		}
		lr := &limitReader{r: c.f}
		var r io.Reader = lr
		if c.enc != nil {
			r = transform.NewReader(lr, c.enc.NewDecoder())
		}
		cr := csv.NewReader(r)
		cr.Comma, cr.LazyQuotes, cr.FieldsPerRecord = c.comma, true, -1
		return &csvSource{r: cr, lr: lr}, nil
	}
}

type csvSource struct {
	r    *csv.Reader
	lr   *limitReader
	last int // line of the last record read
}

func (s *csvSource) next() (rec, raw []string, line int, err error) {
	s.lr.n = 0
	rec, err = s.r.Read()
	var pe *csv.ParseError
	switch {
	case err == nil:
		line, _ = s.r.FieldPos(0)
		s.last = line
		return rec, nil, line, nil
	case errors.As(err, &pe):
		s.last = pe.Line
		return nil, nil, pe.StartLine, err
	case errors.Is(err, errRecordTooLong):
		return nil, nil, s.last + 1, fmt.Errorf("the record after line %d is longer than %d MB: is a quote (\") not closed?", s.last, maxRecordBytes>>20)
	}
	return nil, nil, 0, err
}

func (s *csvSource) close() error { return nil }

var errRecordTooLong = errors.New("record too long")

// limitReader fails once more than maxRecordBytes are read without the
// source resetting n, which it does before each record.
type limitReader struct {
	r io.Reader
	n int
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n > maxRecordBytes {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(p)
	l.n += n
	return n, err
}
