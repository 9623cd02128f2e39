package web_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/web"
	"github.com/xuri/excelize/v2"
)

// workbook is a valid XLSX of webinar attendees whose first sheet's XML
// is then replaced by part(sheetXML) when part is not nil: the crafted
// files below differ only there.
func workbook(t *testing.T, rows int, part func(w *zip.Writer, name string, xml []byte)) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Nombre", "Correo", "Empresa"})
	for i := range rows {
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+2), &[]any{"Ana", fmt.Sprintf("ana%d@acme-bio.com", i), "Acme Bio"})
	}
	// Excel states the used range; excelize leaves "A1" unless told.
	f.SetSheetDimension("Sheet1", fmt.Sprintf("A1:C%d", rows+1))
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	if part == nil {
		return buf.Bytes()
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if zf.Name == "xl/worksheets/sheet1.xml" {
			part(zw, zf.Name, b)
			continue
		}
		w, _ := zw.Create(zf.Name)
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// deflated compresses b as a zip entry's raw data.
func deflated(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// uploadXLSX posts a workbook to POST /api/v1/imports.
func (e *apiEnv) uploadXLSX(t *testing.T, name string, data []byte) apiResp {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.WriteField("options", `{"format": "webinar_list", "action": "webinar_attended", "action_at": "2026-11-10"}`)
	mw.Close()
	req, _ := http.NewRequest("POST", e.URL+"/api/v1/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer pst_test_marketing")
	return e.send(req)
}

// A crafted spreadsheet is refused at once with a 422 that names the limit
// it crosses, before the server decompresses it.
func TestImportLimits(t *testing.T) {
	bigCell := strings.Repeat("A", 2<<20)
	cases := []struct {
		name string
		file func(t *testing.T) []byte
		want string
	}{
		{"a part that declares 2 GiB", func(t *testing.T) []byte {
			return workbook(t, 1, func(zw *zip.Writer, name string, xml []byte) {
				w, _ := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, UncompressedSize64: 2 << 30, CompressedSize64: uint64(len(deflated(xml)))})
				w.Write(deflated(xml))
			})
		}, "decompresses to more than 1 GiB"},
		{"a part that decompresses to more than it declares", func(t *testing.T) []byte {
			return workbook(t, 1, func(zw *zip.Writer, name string, xml []byte) {
				bomb := bytes.Replace(xml, []byte("<sheetData>"), []byte("<sheetData>"+strings.Repeat(" ", 4<<20)), 1)
				raw := deflated(bomb)
				w, _ := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, UncompressedSize64: uint64(len(xml)), CompressedSize64: uint64(len(raw))})
				w.Write(raw)
			})
		}, "damaged"},
		{"one 2 MiB cell", func(t *testing.T) []byte {
			return workbook(t, 1, func(zw *zip.Writer, name string, xml []byte) {
				bomb := bytes.Replace(xml, []byte("<sheetData>"), []byte(`<sheetData><row r="9"><c r="A9" t="inlineStr"><is><t>`+bigCell+`</t></is></c></row>`), 1)
				w, _ := zw.Create(name)
				w.Write(bomb)
			})
		}, "longer than 256 KiB"},
		{"not a workbook", func(t *testing.T) []byte { return []byte("PK\x03\x04 but nothing else") }, "not an XLSX workbook"},
	}
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			e := startAPI(t, target)
			for _, c := range cases {
				r := e.uploadXLSX(t, "lista.xlsx", c.file(t))
				p := checkProblem(t, r, 422, "file")
				if len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Reason, c.want) {
					t.Errorf("%s: want a reason with %q, got %s", c.name, c.want, r)
				}
			}
			if n := len(e.leads("")); n != 0 {
				t.Errorf("%d leads stored from refused files", n)
			}
		})
	}
}

// The server's limits on rows and temporary space: a sheet over the row
// limit is refused naming it, and a sheet read from a temporary file
// leaves nothing in the data directory or the system's temporary folder.
func TestImportLimitsConfigured(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			dataDir := t.TempDir()
			e := startAPI(t, target, func(c *web.Config) {
				c.DataDir = dataDir
				c.ImportLimits = importer.Limits{Rows: 20, InMemory: 1 << 10}
			})
			r := e.uploadXLSX(t, "lista.xlsx", workbook(t, 25, nil))
			if p := checkProblem(t, r, 422, "file"); len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Reason, "more than 20 rows") {
				t.Errorf("25 rows: %s", r)
			}
			before, _ := filepath.Glob(filepath.Join(os.TempDir(), "excelize-*"))
			r = e.uploadXLSX(t, "lista.xlsx", workbook(t, 20, nil))
			if r.Status != 202 {
				t.Fatalf("20 rows: %s", r)
			}
			eventually(t, "the import to finish", func() bool { return len(e.leads("")) == 20 })
			eventually(t, "the temporary files to go", func() bool {
				left, _ := os.ReadDir(filepath.Join(dataDir, "tmp"))
				return len(left) == 0
			})
			after, _ := filepath.Glob(filepath.Join(os.TempDir(), "excelize-*"))
			if len(after) > len(before) {
				t.Errorf("temporary files in the system's folder: %v", after)
			}

			// A sheet that understates its size stops at the limit.
			understated := workbook(t, 25, func(zw *zip.Writer, name string, xml []byte) {
				w, _ := zw.Create(name)
				w.Write(bytes.Replace(xml, []byte(`<dimension ref="A1:C26">`), []byte(`<dimension ref="A1">`), 1))
			})
			r = e.uploadXLSX(t, "lista.xlsx", understated)
			var job struct {
				ID     int64  `json:"id"`
				Status string `json:"status"`
				Error  string `json:"error"`
			}
			if r.Status != 202 || json.Unmarshal(r.Body, &job) != nil {
				t.Fatalf("understated: %s", r)
			}
			eventually(t, "the import to stop", func() bool {
				e.mustCall(200, &job, "rep", "GET", fmt.Sprintf("/api/v1/imports/%d", job.ID), nil)
				return job.Status != "running"
			})
			if job.Status != "failed" || !strings.Contains(job.Error, "more than 20 rows") {
				t.Errorf("understated sheet: %+v", job)
			}
		})
	}
}
