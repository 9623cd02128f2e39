package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/store/storetest"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// A file that is not text is refused as a CSV before anything is
// written: a 422 that names the file and says what it is, no import job,
// no lead. Text in the encodings Pista reads still imports.
func TestImportRefusesBinaryJunk(t *testing.T) {
	random := make([]byte, 200_000)
	rng := rand.New(rand.NewPCG(12, 1))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	var pngFile bytes.Buffer
	png.Encode(&pngFile, image.NewRGBA(image.Rect(0, 0, 40, 40)))
	var zipFile bytes.Buffer
	zw := zip.NewWriter(&zipFile)
	w, _ := zw.Create("lista.csv")
	w.Write([]byte("Nombre,Correo\nAna,ana@acme-bio.com\n"))
	zw.Close()
	text := "Nombre;Correo;Empresa\nJosé;jose@acme-bio.com;Acme Bio\n"
	latin1, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	// Text first, junk after the part that is sniffed.
	lateJunk := append([]byte(strings.Repeat("Ana;ana@acme-bio.com;Acme Bio\n", 2000)), random[:5000]...)
	lateJunk = append([]byte("Nombre;Correo;Empresa\n"), lateJunk...)

	cases := []struct {
		name string
		data []byte
		want string // in the reason; "" means accepted
	}{
		{"random bytes", random, "not a text file"},
		{"a PNG image", pngFile.Bytes(), "PNG image"},
		{"a zip archive", zipFile.Bytes(), "zip archive"},
		{"junk after a text start", lateJunk, "not a text file"},
		{"UTF-8 text", []byte(text), ""},
		{"Windows-1252 text", latin1, ""},
		{"UTF-16 text with a BOM", utf16, ""},
	}
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			e := startAPI(t, target)
			accepted := 0
			for _, c := range cases {
				r := e.uploadXLSX(t, "lista.csv", c.data)
				if c.want == "" {
					if r.Status != 202 {
						t.Errorf("%s: want 202, got %s", c.name, r)
					}
					accepted++
					continue
				}
				p := checkProblem(t, r, 422, "file")
				if len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Reason, c.want) || !strings.Contains(p.Errors[0].Reason, "lista.csv") {
					t.Errorf("%s: want a reason naming the file with %q, got %s", c.name, c.want, r)
				}
			}
			jobs, err := e.DB.Imports(context.Background(), 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(jobs) != accepted {
				t.Errorf("%d import jobs recorded, want %d (the text files only)", len(jobs), accepted)
			}
			eventually(t, "the text imports to finish", func() bool { return len(e.leads("")) == 1 })
		})
	}
}
