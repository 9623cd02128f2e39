package importer

import (
	"fmt"
	"io"
	"strings"

	"github.com/pistahq/pista/internal/suggest"
	"github.com/xuri/excelize/v2"
)

// xlsxFile is an open workbook and the sheet to read.
type xlsxFile struct {
	f     *excelize.File
	sheet string
	// raw also reads every row without number formats, for the date
	// columns: a date cell is then its serial number, exact, instead of
	// text such as 03/04/2026 whose order would have to be guessed.
	raw bool
	lim Limits
}

func openXLSX(path, sheet string, lim Limits) (*xlsxFile, error) {
	if err := checkXLSX(path, lim); err != nil {
		return nil, err
	}
	// Excel's default short date (format 14) follows the computer's
	// locale; reading it as ISO keeps the order beyond doubt.
	f, err := excelize.OpenFile(path, excelize.Options{ShortDatePattern: "yyyy-mm-dd",
		UnzipSizeLimit: lim.Unzipped, UnzipXMLSizeLimit: lim.InMemory, TmpDir: lim.TempDir})
	if err != nil {
		return nil, fmt.Errorf("reading the workbook: %w", err)
	}
	x, err := pickSheet(f, sheet, lim)
	if err == nil {
		err = x.checkDimension()
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

// checkDimension refuses at once a sheet whose stated size is over the
// row limit; reading stops at the limit all the same, for a sheet that
// understates it.
func (x *xlsxFile) checkDimension() error {
	dim, err := x.f.GetSheetDimension(x.sheet)
	if err != nil || dim == "" {
		return nil
	}
	_, last, ok := strings.Cut(dim, ":")
	if !ok {
		return nil
	}
	if _, row, err := excelize.CellNameToCoordinates(last); err == nil && row > x.lim.Rows+1 {
		return rowLimit(x.lim.Rows)
	}
	return nil
}

func rowLimit(n int) error {
	return &LimitError{Limit: "rows", Max: int64(n), Msg: fmt.Sprintf("the sheet has more than %d rows, the limit for one file", n)}
}

func pickSheet(f *excelize.File, sheet string, lim Limits) (*xlsxFile, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("the workbook has no sheets")
	}
	if sheet == "" {
		return &xlsxFile{f: f, sheet: sheets[0], lim: lim}, nil
	}
	for _, s := range sheets {
		if s == sheet {
			return &xlsxFile{f: f, sheet: s, lim: lim}, nil
		}
	}
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(sheet)) {
			return &xlsxFile{f: f, sheet: s, lim: lim}, nil
		}
	}
	msg := fmt.Sprintf("sheet %q is not in the workbook", sheet)
	if s := suggest.Closest(sheet, sheets, len(sheet)/2+2); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return nil, fmt.Errorf("%s; its sheets are %s", msg, quoteList(sheets))
}

func (x *xlsxFile) opener() opener {
	return func() (source, error) {
		rows, err := x.f.Rows(x.sheet)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", x.sheet, err)
		}
		s := &xlsxSource{rows: rows, lim: x.lim}
		if x.raw {
			if s.rawRows, err = x.f.Rows(x.sheet); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sheet %q: %w", x.sheet, err)
			}
		}
		return s, nil
	}
}

// xlsxSource streams a sheet's rows: excelize decodes the sheet's XML as
// it goes (from a temporary file when it is large), never the whole sheet.
type xlsxSource struct {
	rows, rawRows *excelize.Rows
	n             int // row number
	lim           Limits
}

func (s *xlsxSource) next() (rec, raw []string, line int, err error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, nil, 0, err
		}
		return nil, nil, 0, io.EOF
	}
	s.n++
	if s.n > s.lim.Rows+1 { // the header and Rows data rows
		return nil, nil, s.n, rowLimit(s.lim.Rows)
	}
	if rec, err = s.rows.Columns(); err != nil {
		return nil, nil, s.n, fmt.Errorf("row %d: %w", s.n, err)
	}
	if err := checkCells(rec, s.n, s.lim.Cell); err != nil {
		return nil, nil, s.n, err
	}
	if s.rawRows != nil && s.rawRows.Next() {
		if raw, err = s.rawRows.Columns(excelize.Options{RawCellValue: true}); err != nil {
			return nil, nil, s.n, fmt.Errorf("row %d: %w", s.n, err)
		}
	}
	return rec, raw, s.n, nil
}

func (s *xlsxSource) close() error {
	err := s.rows.Close()
	if s.rawRows != nil {
		if e := s.rawRows.Close(); err == nil {
			err = e
		}
	}
	return err
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
