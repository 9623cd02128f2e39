package importer

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// fuzzRead opens data as a file with ext and reads every row: any error
// is fine, a panic or an endless read is not.
func fuzzRead(t *testing.T, data []byte, ext string) {
	path := filepath.Join(t.TempDir(), "f"+ext)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := OpenLimited(path, Options{Action: "webinar_attended"}, Limits{Unzipped: 8 << 20, Rows: 1000})
	if err != nil {
		return
	}
	defer f.Close()
	for range 2000 {
		if _, err := f.Next(); err == io.EOF || err != nil {
			return
		}
	}
	t.Fatal("more rows than the file can hold")
}

// FuzzCSV reads arbitrary bytes as a CSV list.
// Run longer with: go test -fuzz FuzzCSV ./internal/importer/
func FuzzCSV(f *testing.F) {
	for _, seed := range []string{
		"Nombre;Correo\nAna;ana@acme.co\n",
		"\xef\xbb\xbfName,Email\r\n\"Ana \"\"A\"\"\",a@b.co\r\n",
		"\xff\xfeN\x00,\x00E\x00\n\x00",
		"a,b\n\"unclosed,x\n",
		"Email\n\x00\x01\x02\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, ".csv") })
}

// FuzzXLSX reads arbitrary bytes as a workbook, seeded with a real one.
// Run longer with: go test -fuzz FuzzXLSX ./internal/importer/
func FuzzXLSX(f *testing.F) {
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"Nombre", "Correo"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"Ana", "ana@acme.co"})
	buf, err := x.WriteToBuffer()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, ".xlsx") })
}
