package importer

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func TestCSVShapes(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		content string
		opts    Options
		delim   rune
		enc     string
		header  string
		rows    []map[string]string
	}{
		{
			name: "comma", file: "a.csv", delim: ',', enc: "utf-8",
			content: "Email,Nombre,Empresa\nana@acme.co,Ana Pérez,Acme\nbo@x.co,Bo,X S.A.\n",
			header:  "Email|Nombre|Empresa",
			rows: []map[string]string{
				{"line": "2", "person.email": "ana@acme.co", "person.first_name": "Ana", "person.last_name": "Pérez", "company.name": "Acme"},
				{"line": "3", "person.email": "bo@x.co", "company.name": "X S.A."},
			},
		},
		{
			name: "semicolon with decimal commas", file: "a.csv", delim: ';', enc: "utf-8",
			content: "Email;Ingresos;Empleados\nana@acme.co;1,5M USD;1.200\nbo@x.co;2,5M USD;50-200\n",
			header:  "Email|Ingresos|Empleados",
			rows: []map[string]string{
				{"company.revenue": "1.5e+06 USD", "company.employees": "1200"},
				{"company.revenue": "2.5e+06 USD", "company.employees": "50"},
			},
		},
		{
			name: "tab", file: "a.txt", delim: '\t', enc: "utf-8",
			content: "Email\tCompany, Inc.\tPhone\nana@acme.co\tAcme, Inc.\t+57 300 123 4567\n",
			header:  "Email|Company, Inc.|Phone",
			rows:    []map[string]string{{"person.phone": "+573001234567"}},
		},
		{
			name: "pipe", file: "a.csv", delim: '|', enc: "utf-8",
			content: "Email|Empresa|Cargo\nana@acme.co|Acme; Ltd|CEO\n",
			header:  "Email|Empresa|Cargo",
			rows:    []map[string]string{{"company.name": "Acme; Ltd", "person.title": "CEO"}},
		},
		{
			name: "tsv prefers tab", file: "a.tsv", delim: '\t', enc: "utf-8",
			content: "Email\tEmpresa\nana@acme.co\tAcme\n",
			header:  "Email|Empresa",
			rows:    []map[string]string{{"company.name": "Acme"}},
		},
		{
			name: "declared delimiter", file: "a.csv", opts: Options{Delimiter: ';'}, delim: ';', enc: "utf-8",
			content: "Email,x;Empresa\nana@acme.co,y;Acme\n",
			header:  "Email,x|Empresa",
			rows:    []map[string]string{{"company.name": "Acme", "person.attributes.email_x": "ana@acme.co,y (string)"}},
		},
		{
			name: "BOM and CRLF", file: "a.csv", delim: ',', enc: "utf-8",
			content: "\ufeffEmail,Empresa\r\nana@acme.co,Acme\r\nbo@x.co,X\r\n",
			header:  "Email|Empresa",
			rows:    []map[string]string{{"line": "2", "person.email": "ana@acme.co"}, {"line": "3", "company.name": "X"}},
		},
		{
			name: "quoted separators, quotes and newlines", file: "a.csv", delim: ',', enc: "utf-8",
			content: "Email,Empresa,Notas\n\"ana@acme.co\",\"Acme, \"\"the best\"\"\",\"line one\nline two\"\nbo@x.co,X,\"a\r\nb\r\nc\"\ncy@y.co,Y,z\n",
			header:  "Email|Empresa|Notas",
			rows: []map[string]string{
				{"line": "2", "company.name": `Acme, "the best"`, "person.attributes.notas": "line one\nline two (string)"},
				{"line": "4", "person.email": "bo@x.co"},
				{"line": "7", "person.email": "cy@y.co"},
			},
		},
		{
			name: "missing final newline", file: "a.csv", delim: ',', enc: "utf-8",
			content: "Email,Empresa\nana@acme.co,Acme\nbo@x.co,X",
			header:  "Email|Empresa",
			rows:    []map[string]string{{"company.name": "Acme"}, {"company.name": "X"}},
		},
		{
			name: "ragged rows: short padded, extras kept in a note", file: "a.csv", delim: ',', enc: "utf-8",
			content: "Email,Empresa,Cargo\nana@acme.co,Acme\nbo@x.co,X,CEO,surplus,,\ncy@y.co,Y,CTO,,\n",
			header:  "Email|Empresa|Cargo",
			rows: []map[string]string{
				{"company.name": "Acme", "person.title": "", "notes": "~the row has 2 fields and the header 3"},
				{"person.title": "CEO", "notes": `~1 values beyond the header's 3 columns, not mapped: "surplus"`, "props.import_notes": "~surplus"},
				{"person.title": "CTO", "notes": ""},
			},
		},
		{
			name: "trailing empty columns and blank lines", file: "a.csv", delim: ',', enc: "utf-8",
			content: "Email,Empresa,,\nana@acme.co,Acme,,\n,,,\n\nbo@x.co,X,,\n",
			header:  "Email|Empresa",
			rows:    []map[string]string{{"line": "2", "notes": ""}, {"line": "5", "company.name": "X"}},
		},
		{
			name: "blank header cell inside", file: "a.csv", delim: ',', enc: "utf-8",
			content: "Email,,Empresa\nana@acme.co,loose,Acme\n",
			header:  "Email|column_2|Empresa",
			rows:    []map[string]string{{"person.attributes.column_2": "loose (string)"}},
		},
		{
			name: "blank words mean missing", file: "a.csv", delim: ',', enc: "utf-8",
			content: "Email,Empresa,Cargo,Ciudad,País,Industria,Sector de interés,Teléfono\n" +
				"ana@acme.co,N/A,Select,unknown,ninguno,não informado,sin dato,null\nbo@x.co,n/a,-,none,,#N/A,SELECT,\n",
			header: "Email|Empresa|Cargo|Ciudad|País|Industria|Sector de interés|Teléfono",
			rows: []map[string]string{
				{"company.name": "", "person.title": "", "person.country": "", "person.phone": "",
					"person.attributes.sector_de_interes": "<none>", "notes": ""},
				{"company.name": "", "person.title": "", "person.attributes.sector_de_interes": "<none>"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Action = "webinar_attended"
			f := open(t, writeFile(t, tt.file, tt.content), opts)
			if f.Delimiter() != tt.delim {
				t.Errorf("delimiter %q; want %q", f.Delimiter(), tt.delim)
			}
			if f.Encoding() != tt.enc {
				t.Errorf("encoding %q; want %q", f.Encoding(), tt.enc)
			}
			if got := strings.Join(f.Header(), "|"); got != tt.header {
				t.Errorf("header %q; want %q", got, tt.header)
			}
			rows := readAll(t, f)
			if len(rows) != len(tt.rows) {
				t.Fatalf("%d rows; want %d: %+v", len(rows), len(tt.rows), rows)
			}
			for i, want := range tt.rows {
				if rows[i].Err != nil {
					t.Errorf("row %d: %v", i, rows[i].Err)
				}
				check(t, rows[i], want)
			}
		})
	}
}

func TestCSVEncodings(t *testing.T) {
	text := "Correo;Compañía;Cargo\nana@acme.co;Señal Ltda;Gerente de Operações\n"
	latin, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(text, ";", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, content, enc string }{
		{"windows-1252 from Excel on Windows", latin, "windows-1252"},
		{"utf-16 from Excel's Unicode text", utf16, "utf-16"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := open(t, writeFile(t, "a.txt", tt.content), webinar)
			if f.Encoding() != tt.enc {
				t.Errorf("encoding %q; want %q", f.Encoding(), tt.enc)
			}
			if got := strings.Join(f.Header(), "|"); got != "Correo|Compañía|Cargo" {
				t.Errorf("header %q", got)
			}
			rows := readAll(t, f)
			if len(rows) != 1 {
				t.Fatalf("%d rows", len(rows))
			}
			check(t, rows[0], map[string]string{"company.name": "Señal Ltda", "person.title": "Gerente de Operações"})
		})
	}
}

func TestSniffDelimiterRagged(t *testing.T) {
	// Most lines agree with the header on ";" even though one is short,
	// while "," splits inside values.
	sample := "a;b;c\n1,5;2;3\n4;5;6\n7;8\n9;1,2;3\n"
	if d := sniffDelimiter([]byte(sample), true, false); d != ';' {
		t.Errorf("got %q; want ';'", d)
	}
	if d := sniffDelimiter([]byte("only\none\ncolumn\n"), true, false); d != ',' {
		t.Errorf("one column: got %q; want ','", d)
	}
}

func TestUnclosedQuoteIsBounded(t *testing.T) {
	// A quote never closed must not read the whole file into one field.
	var b strings.Builder
	b.WriteString("Email,Empresa\nana@acme.co,\"Acme\n")
	line := strings.Repeat("x", 1023) + "\n"
	for b.Len() < maxRecordBytes+(1<<20) {
		b.WriteString(line)
	}
	f := open(t, writeFile(t, "a.csv", b.String()), webinar)
	_, err := f.Next()
	if err == nil || !strings.Contains(err.Error(), "is a quote (\") not closed?") {
		t.Fatalf("err = %v; want the unclosed quote explained", err)
	}
}

func TestUnsupportedExtension(t *testing.T) {
	for ext, want := range map[string]string{
		".xls":  "a.xls: pista cannot read .xls files; save the sheet as .xlsx or .csv",
		".json": "a.json: pista cannot read .json files; it reads .csv, .tsv, .txt and .xlsx",
		"":      "a: the file name has no extension",
	} {
		_, err := Open(writeFile(t, "a"+ext, "x"), webinar)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v; want %q", ext, err, want)
		}
	}
}

func TestEmptyFile(t *testing.T) {
	_, err := Open(writeFile(t, "a.csv", "\n\n"), webinar)
	if err == nil || !strings.Contains(err.Error(), "a.csv: the file is empty") {
		t.Fatalf("err = %v", err)
	}
}
