package importer

import (
	"strings"
	"testing"
)

func TestIdentity(t *testing.T) {
	tests := []struct {
		name    string
		content string
		opts    Options
		rows    []map[string]string
	}{
		{
			name:    "no e-mail, phone or id column: file#line",
			content: "Edad,Trabajo\n30,admin\n\n41,\"tech\nnician\"\n52,x\n",
			rows: []map[string]string{
				{"external_id": "people.csv#2", "missing": ""},
				{"external_id": "people.csv#4", "missing": ""},
				{"external_id": "people.csv#6", "missing": ""},
			},
		},
		{
			name:    "an external id column",
			content: "ID,Nombre\nCRM-1,Ana\n,Bo\n",
			rows: []map[string]string{
				{"external_id": "CRM-1", "missing": ""},
				{"external_id": "", "missing": identityMissing},
			},
		},
		{
			name:    "key columns",
			content: "Documento,Tipo,Nombre\n123,CC,Ana\n4|5,TI,Bo\n,,Cy\n",
			opts:    Options{KeyColumns: []string{"documento", "Tipo"}},
			rows: []map[string]string{
				{"external_id": "people.csv#123|CC", "missing": ""},
				{"external_id": `people.csv#4\|5|TI`},
				{"external_id": "", "missing": identityMissing, "notes": "~the key columns are blank"},
			},
		},
		{
			name:    "e-mail or phone identify; neither is missing",
			content: "Email,Teléfono\nana@acme.co,\n,300 123 4567\nnot-an-email,\n,123\n",
			opts:    Options{Country: "CO"},
			rows: []map[string]string{
				// The default country is filled without a note on every row.
				{"missing": "", "external_id": "", "person.country": "CO", "notes": ""},
				{"missing": "", "person.phone": "+573001234567"},
				{"missing": identityMissing, "notes": `~person.email: "not-an-email" is not an e-mail address`},
				{"missing": identityMissing, "notes": "~person.phone: kept as typed"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Action = "list_import"
			rows := readAll(t, open(t, writeFile(t, "people.csv", tt.content), opts))
			if len(rows) != len(tt.rows) {
				t.Fatalf("%d rows; want %d", len(rows), len(tt.rows))
			}
			for i, want := range tt.rows {
				check(t, rows[i], want)
				if rows[i].Inquiry.Source.ExternalID != rows[i].ExternalID {
					t.Errorf("Inquiry.Source.ExternalID %q != ExternalID %q", rows[i].Inquiry.Source.ExternalID, rows[i].ExternalID)
				}
			}
		})
	}
}

func TestActionAndSource(t *testing.T) {
	tests := []struct {
		name    string
		content string
		opts    Options
		rows    []map[string]string
	}{
		{
			name:    "options fill every row",
			content: "Email\na@acme.co\n",
			opts:    Options{Action: "webinar_attended", ActionAt: "10/11/2026 15:00", DateOrder: "dmy", Format: "webinar_list", Campaign: "wb-nov"},
			rows: []map[string]string{{"action.type": "webinar_attended", "action.at": "2026-11-10T15:00:00Z",
				"source": "webinar_list/import/wb-nov"}},
		},
		{
			name:    "columns win over options; blanks fall back",
			content: "Email,Acción,Campaña,Canal\na@acme.co,Descarga de contenido,feria,LinkedIn\nb@acme.co,,,\n",
			opts:    Options{Action: "list_import", Campaign: "default"},
			rows: []map[string]string{
				{"action.type": "descarga_de_contenido", "source": "import/linkedin/feria"},
				{"action.type": "list_import", "source": "import/import/default"},
			},
		},
		{
			name:    "an action column without the option: blank is missing",
			content: "Email,Action\na@acme.co,price_request\nb@acme.co,\nc@acme.co,123\n",
			rows: []map[string]string{
				{"action.type": "price_request", "missing": ""},
				{"action.type": "", "missing": "action.type"},
				{"action.type": "", "missing": "action.type", "notes": `~action.type: "123" is not an action name`, "props.action": "123"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := readAll(t, open(t, writeFile(t, "a.csv", tt.content), tt.opts))
			for i, want := range tt.rows {
				check(t, rows[i], want)
			}
		})
	}
}

func TestValues(t *testing.T) {
	const header = "Email,Edad,Educación,Productos,Salario,Puntos,Cliente,Código postal,Miles,Nota,Empleados\n"
	tests := []struct {
		name string
		rows []string
		want []map[string]string
	}{
		{
			name: "typed columns",
			rows: []string{
				"a@acme.co,35,Universitaria,A; B| C,3500 USD,10.5,sí,050021,1.200,x,muchos",
				"b@acme.co,35 años,,,,-3,no,110111,2.500,,",
				"c@acme.co,35.0,,,,N/A,unknown,,,,",
			},
			want: []map[string]string{
				{"person.age": "35", "person.education": "Universitaria", "company.products": "A/B/C",
					"person.attributes.puntos": "10.5 (float64)", "person.attributes.cliente": "true (bool)",
					"person.attributes.codigo_postal": "050021 (string)", "person.attributes.miles": "1.200 (string)",
					"company.employees": "0", "props.empleados": "muchos",
					"notes": `~company.employees: "muchos" is not a number of employees; kept as action.props.empleados`},
				{"person.age": "35", "person.attributes.puntos": "-3 (float64)", "person.attributes.cliente": "false (bool)",
					"person.attributes.nota": "<none>"},
				{"person.age": "35", "person.attributes.puntos": "<none>", "person.attributes.cliente": "<none>"},
			},
		},
		{
			name: "unreadable own fields are kept in props with a note",
			rows: []string{
				"a@acme.co,treinta,,,mucho,1,yes,,,,",
				"b@acme.co,300,,,,2,tal vez,,,,",
			},
			want: []map[string]string{
				{"person.age": "0", "props.edad": "treinta", "props.salario": "mucho",
					"notes": "~person.age: \"treinta\" is not an age; kept as action.props.edad"},
				// "tal vez" among the first 10,000 rows: the column is text.
				{"person.age": "0", "props.edad": "300", "person.attributes.cliente": "tal vez (string)"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := header + strings.Join(tt.rows, "\n") + "\n"
			opts := Options{Action: "x", Map: map[string]string{"Productos": "company.products", "Salario": "person.income"}}
			rows := readAll(t, open(t, writeFile(t, "a.csv", content), opts))
			for i, want := range tt.want {
				check(t, rows[i], want)
			}
		})
	}
}

// A value after the first pass that does not fit the column's type stays
// text, with a note.
func TestLateValueKeepsItsText(t *testing.T) {
	var b strings.Builder
	b.WriteString("Email,Saldo\n")
	for range firstPassRows {
		b.WriteString("a@acme.co,100\n")
	}
	b.WriteString("b@acme.co,mucho\n")
	rows := readAll(t, open(t, writeFile(t, "a.csv", b.String()), webinar))
	check(t, rows[0], map[string]string{"person.attributes.saldo": "100 (float64)"})
	check(t, rows[len(rows)-1], map[string]string{"person.attributes.saldo": "mucho (string)",
		"notes": `person.attributes.saldo: "mucho" is not a number like the rest of the column; kept as text`})
}

func TestWholeNumber(t *testing.T) {
	for in, want := range map[string]int{"35": 35, "35.0": 35, "35,00": 35, "35 años": 35, "35 anos": 35} {
		if got, ok := wholeNumber(in); !ok || got != want {
			t.Errorf("wholeNumber(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "35.5", "35.", "-3", "x35", "35-40", "1234567890"} {
		if _, ok := wholeNumber(in); ok {
			t.Errorf("wholeNumber(%q) ok", in)
		}
	}
}
