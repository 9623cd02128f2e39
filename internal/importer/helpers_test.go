package importer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeFile writes content to name in a fresh temporary directory.
func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeXLSX writes sheets (name → rows of cells) in order; a cell may be
// a string, a number or a time.Time (a date cell).
func writeXLSX(t testing.TB, name string, sheets []sheet) string {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := x.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := x.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := x.SetCellValue(s.name, ref, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

type sheet struct {
	name string
	rows [][]any
}

// open opens path with opts and fails the test on an error.
func open(t testing.TB, path string, opts Options) *File {
	t.Helper()
	f, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	if _, err := f.Mapping(); err != nil {
		t.Fatalf("Mapping: %v", err)
	}
	return f
}

// readAll reads every row.
func readAll(t testing.TB, f *File) []Row {
	t.Helper()
	var rows []Row
	for {
		r, err := f.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rows = append(rows, r)
	}
}

// field reads a value of a row by a short path, for table tests.
func field(r Row, path string) string {
	in := r.Inquiry
	if k, ok := strings.CutPrefix(path, "person.attributes."); ok {
		v, ok := in.Person.Attributes[k]
		if !ok {
			return "<none>"
		}
		return fmt.Sprintf("%v (%T)", v, v)
	}
	if k, ok := strings.CutPrefix(path, "company.attributes."); ok {
		return fmt.Sprint(in.Company.Attributes[k])
	}
	if k, ok := strings.CutPrefix(path, "props."); ok {
		return fmt.Sprint(in.Action.Props[k])
	}
	switch path {
	case "person.email":
		return in.Person.Email
	case "person.first_name":
		return in.Person.FirstName
	case "person.last_name":
		return in.Person.LastName
	case "person.phone":
		return in.Person.Phone
	case "person.country":
		return in.Person.Country
	case "person.title":
		return in.Person.Title
	case "person.age":
		return fmt.Sprint(in.Person.Age)
	case "person.education":
		return in.Person.Education
	case "company.name":
		return in.Company.Name
	case "company.employees":
		return fmt.Sprint(in.Company.Employees)
	case "company.revenue":
		return fmt.Sprintf("%v %s", in.Company.Revenue.Amount, in.Company.Revenue.Currency)
	case "company.products":
		return strings.Join(in.Company.Products, "/")
	case "source.campaign":
		return in.Source.Campaign
	case "source.channel":
		return in.Source.Channel
	case "source":
		return in.Source.Format + "/" + in.Source.Channel + "/" + in.Source.Campaign
	case "action.type":
		return in.Action.Type
	case "action.at":
		if in.Action.At.IsZero() {
			return ""
		}
		return in.Action.At.Format("2006-01-02T15:04:05Z07:00")
	case "external_id":
		return r.ExternalID
	case "missing":
		return strings.Join(r.Missing, ",")
	case "notes":
		return strings.Join(r.Notes, "\n")
	case "line":
		return fmt.Sprint(r.Line)
	case "values":
		return strings.Join(r.Values, "|")
	}
	panic("test bug: unknown path " + path)
}

// check compares fields of a row; a want starting with "~" must be
// contained.
func check(t *testing.T, r Row, want map[string]string) {
	t.Helper()
	for path, w := range want {
		got := field(r, path)
		if sub, ok := strings.CutPrefix(w, "~"); ok {
			if !strings.Contains(got, sub) {
				t.Errorf("line %d %s = %q; want it to contain %q", r.Line, path, got, sub)
			}
			continue
		}
		if got != w {
			t.Errorf("line %d %s = %q; want %q", r.Line, path, got, w)
		}
	}
}

// import opts for tests: every row is a webinar attendee.
var webinar = Options{Action: "webinar_attended", Format: "webinar_list"}
