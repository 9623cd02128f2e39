package importer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// genCSV writes n rows of a typical webinar list with 12 columns.
func genCSV(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "big.csv")
	file, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(file, 1<<16)
	fmt.Fprintln(w, "Nombre,Apellidos,Correo electrónico,Teléfono,Empresa,Cargo,País,Ciudad,Empleados,Ingresos,Fecha de registro,¿Cómo nos conoció?")
	countries := []string{"Colombia", "México", "Brasil", "Perú", "Chile"}
	for i := range n {
		fmt.Fprintf(w, "Ana %d,Pérez López,ana.perez%d@empresa%d.com.co,+57 300 %03d %04d,Empresa %d S.A.S.,Gerente de compras,%s,Bogotá,%d-%d,%d.5M USD,%02d/%02d/2026 10:%02d,\"LinkedIn, anuncio\"\n",
			i, i, i%5000, i%1000, i%10000, i%5000, countries[i%len(countries)], 50+i%100, 200+i%100, 1+i%50, 13+i%15, 1+i%12, i%60)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := file.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// Reading a 300,000-row file keeps the heap small: Next holds one row.
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 300,000-row file")
	}
	const rows = 300_000
	path := genCSV(t, rows)
	runtime.GC()
	f := open(t, path, Options{Action: "webinar_attended", Format: "webinar_list"})
	var ms runtime.MemStats
	peak, n := uint64(0), 0
	for {
		row, err := f.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if row.Err != nil || len(row.Missing) > 0 {
			t.Fatalf("line %d: %v %v", row.Line, row.Err, row.Missing)
		}
		if n++; n%5_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if n != rows {
		t.Fatalf("%d rows; want %d", n, rows)
	}
	t.Logf("%d rows, peak HeapAlloc %.1f MB", n, float64(peak)/(1<<20))
	if peak > 30<<20 {
		t.Errorf("peak HeapAlloc %.1f MB; want under 30 MB", float64(peak)/(1<<20))
	}
}

// BenchmarkNext reads a generated 100,000-row CSV with 12 columns: header
// suggestions, the first pass, webform's cleaning, dates and phones.
// About half of the time is libphonenumber (quality.NormalizePhone); the
// second case ignores the phone column to show the rest.
func BenchmarkNext(b *testing.B) {
	const rows = 100_000
	path := genCSV(b, rows)
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"12_columns", Options{Action: "webinar_attended", Format: "webinar_list", Country: "CO"}},
		{"phone_ignored", Options{Action: "webinar_attended", Format: "webinar_list", Country: "CO",
			Map: map[string]string{"Teléfono": ignore}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for range b.N {
				f, err := Open(path, bc.opts)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					_, err := f.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				f.Close()
				if n != rows {
					b.Fatalf("%d rows", n)
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
