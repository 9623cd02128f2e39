package importer

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits bound what reading one file may cost. An XLSX file is a zip
// archive: a 2 MB upload can expand to gigabytes in one cell, and the
// spreadsheet library would hold that cell in memory and spill the sheet
// to a temporary file. Each limit, when crossed, is a *LimitError that
// names it.
type Limits struct {
	// Unzipped bounds an XLSX file's parts decompressed, all together. It
	// also bounds the temporary space the file may use.
	Unzipped int64
	// InMemory is the size above which a worksheet is decompressed to a
	// temporary file in TempDir rather than kept in memory.
	InMemory int64
	// Run bounds a run of XML between two tags: a cell's text, or
	// whitespace, which the XML reader would otherwise take whole.
	Run int
	// Rows bounds the data rows of an XLSX sheet (Excel's own limit is
	// 1,048,576).
	Rows int
	// Cell bounds the characters of one XLSX cell (Excel's own limit is
	// 32,767).
	Cell int
	// TempDir holds the temporary files; "" means the system's.
	TempDir string
}

// DefaultLimits are generous for any spreadsheet Excel itself can save.
func DefaultLimits() Limits {
	return Limits{Unzipped: 1 << 30, InMemory: 16 << 20, Run: 256 << 10, Rows: 1_048_576, Cell: 32_767}
}

// orDefaults fills the zero fields of l from DefaultLimits.
func (l Limits) orDefaults() Limits {
	d := DefaultLimits()
	if l.Unzipped <= 0 {
		l.Unzipped = d.Unzipped
	}
	if l.InMemory <= 0 {
		l.InMemory = min(d.InMemory, l.Unzipped)
	}
	if l.Run <= 0 {
		l.Run = d.Run
	}
	if l.Rows <= 0 {
		l.Rows = d.Rows
	}
	if l.Cell <= 0 {
		l.Cell = d.Cell
	}
	return l
}

// LimitError is a file refused for crossing one of its Limits.
type LimitError struct {
	Limit string // the limit's name: unzipped_size, xml_run, rows, cell
	Max   int64
	Msg   string
}

func (e *LimitError) Error() string { return e.Msg }

// checkXLSX reads an XLSX file's archive before the spreadsheet library
// does: the parts' declared sizes against l.Unzipped (the zip reader
// refuses a part that decompresses to more than it declares), and every
// worksheet and the shared strings for a run of text longer than l.Run.
func checkXLSX(path string, l Limits) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("not an XLSX workbook (%v); save the sheet as .xlsx or .csv", err)
	}
	defer z.Close()
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if total > uint64(l.Unzipped) {
			return &LimitError{Limit: "unzipped_size", Max: l.Unzipped,
				Msg: fmt.Sprintf("the workbook decompresses to more than %s, the limit for one file", bytesText(l.Unzipped))}
		}
	}
	for _, f := range z.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))
		if !strings.HasPrefix(name, "xl/worksheets/") && name != "xl/sharedstrings.xml" {
			continue
		}
		if err := checkRuns(f, l.Run); err != nil {
			return err
		}
	}
	return nil
}

// checkRuns reads one part for a run of bytes between two '<' longer
// than max.
func checkRuns(f *zip.File, max int) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	defer rc.Close()
	r := bufio.NewReaderSize(rc, 64<<10)
	run := 0
	for {
		chunk, err := r.ReadSlice('<')
		run += len(chunk)
		if run > max {
			return &LimitError{Limit: "xml_run", Max: int64(max),
				Msg: fmt.Sprintf("%s holds a cell or a run of text longer than %s, the limit for one cell", f.Name, bytesText(int64(max)))}
		}
		switch {
		case err == nil:
			run = 0
		case errors.Is(err, bufio.ErrBufferFull):
		case err == io.EOF:
			return nil
		default:
			return fmt.Errorf("%s: %w (is the workbook damaged?)", f.Name, err)
		}
	}
}

// checkCells refuses a row with a cell longer than max characters.
func checkCells(rec []string, row, max int) error {
	for i, v := range rec {
		if len(v) > max && utf8.RuneCountInString(v) > max {
			return &LimitError{Limit: "cell", Max: int64(max),
				Msg: fmt.Sprintf("row %d, column %d: a cell of more than %d characters (Excel's own limit)", row, i+1, max)}
		}
	}
	return nil
}

// bytesText writes a size in the largest whole unit.
func bytesText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
