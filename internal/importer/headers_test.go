package importer

import (
	"strings"
	"testing"
)

func TestSuggestFor(t *testing.T) {
	tests := []struct{ header, want string }{
		// Spanish
		{"Correo", "person.email"}, {"Correo electrónico", "person.email"}, {"CORREO ELECTRONICO", "person.email"},
		{"correo_electronico", "person.email"}, {"Nombre", "person.first_name"}, {"Nombre completo", "person.name"},
		{"Apellido(s)", "person.last_name"}, {"Apellidos", "person.last_name"}, {"Empresa", "company.name"},
		{"Compañía", "company.name"}, {"Razón social", "company.name"}, {"Cargo", "person.title"},
		{"Puesto", "person.title"}, {"Título", "person.title"}, {"Teléfono", "person.phone"}, {"Celular", "person.phone"},
		{"Móvil", "person.phone"}, {"País", "person.country"}, {"Ciudad", "person.city"}, {"Industria", "company.industry"},
		{"Sector", "company.industry"}, {"Empleados", "company.employees"}, {"Número de empleados", "company.employees"},
		{"Ingresos", "company.revenue"}, {"Sitio web", "company.domain"}, {"Página web", "company.domain"},
		{"Fecha", "action.at"}, {"Fecha de registro", "action.at"}, {"Edad", "person.age"}, {"Campaña", "source.campaign"},
		// Portuguese
		{"Nome", "person.first_name"}, {"Nome completo", "person.name"}, {"Sobrenome", "person.last_name"},
		{"Telefone", "person.phone"}, {"Cidade", "person.city"}, {"Setor", "company.industry"},
		{"Funcionários", "company.employees"}, {"Faturamento", "company.revenue"}, {"Data", "action.at"},
		{"Razão social", "company.name"}, {"Idade", "person.age"}, {"Escolaridade", "person.education"},
		{"Endereço de e-mail", "person.email"},
		// English
		{"E-mail", "person.email"}, {"Email", "person.email"}, {"email address", "person.email"},
		{"First name", "person.first_name"}, {"first_name", "person.first_name"}, {"FirstName", "person.first_name"},
		{"Last name", "person.last_name"}, {"Surname", "person.last_name"}, {"Company", "company.name"},
		{"Company Name", "company.name"}, {"Job title", "person.title"}, {"Job Title:", "person.title"},
		{"Phone", "person.phone"}, {"Phone Number", "person.phone"}, {"Country", "person.country"}, {"City", "person.city"},
		{"Industry", "company.industry"}, {"Employees", "company.employees"}, {"Revenue", "company.revenue"},
		{"Annual Revenue", "company.revenue"}, {"Website", "company.domain"}, {"Date", "action.at"},
		{"Seniority", "person.seniority"}, {"Education", "person.education"}, {"Age", "person.age"}, {"ID", "source.external_id"},
		{"Action", "action.type"}, {"Full Name", "person.name"}, {"  e - mail  ", "person.email"},
		// Real exports (issue 16): identifiers, dates, channels and origins.
		{"Lead Number", "source.external_id"}, {"Prospect ID", "source.external_id"}, {"ID Cliente", "source.external_id"},
		{"Fecha", "action.at"}, {"Data de criação", "action.at"}, {"first_contact_date", "action.at"},
		{"Lead Source", "source.channel"}, {"Origem", "source.channel"}, {"Canal", "source.channel"},
		// Not known: attributes
		{"Departamento", ""}, {"Comentarios", ""}, {"balance", ""},
	}
	if len(tests) < 40 {
		t.Fatalf("only %d spellings", len(tests))
	}
	for _, tt := range tests {
		if got := suggestFor(tt.header); got != tt.want {
			t.Errorf("suggestFor(%q) = %q; want %q", tt.header, got, tt.want)
		}
	}
}

func TestSuggested(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   map[string]string
	}{
		{
			name:   "a webinar export",
			header: "Nombre,Apellidos,Correo electrónico,Empresa,Cargo,País,Fecha de registro,¿Cómo nos conoció?",
			want: map[string]string{"Nombre": "person.first_name", "Apellidos": "person.last_name",
				"Correo electrónico": "person.email", "Empresa": "company.name", "Cargo": "person.title",
				"País": "person.country", "Fecha de registro": "action.at",
				"¿Cómo nos conoció?": "person.attributes.como_nos_conocio"},
		},
		{
			name:   "a single name column is the full name",
			header: "Nome,E-mail,Telefone",
			want:   map[string]string{"Nome": "person.name", "E-mail": "person.email", "Telefone": "person.phone"},
		},
		{
			name:   "a fixed field goes to the first column that suggests it",
			header: "Teléfono,Celular,Email,Correo",
			want: map[string]string{"Teléfono": "person.phone", "Celular": "person.attributes.celular",
				"Email": "person.email", "Correo": "person.attributes.correo"},
		},
		{
			name:   "attribute keys stay unique and snake_case",
			header: "Fecha nac.,Fecha nac,2º contacto,Ñandú",
			want: map[string]string{"Fecha nac.": "person.attributes.fecha_nac", "Fecha nac": "person.attributes.fecha_nac_2",
				"2º contacto": "person.attributes.c_2o_contacto", "Ñandú": "person.attributes.nandu"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := tt.header + "\n" + strings.Repeat("x,", strings.Count(tt.header, ",")) + "x\n"
			f := open(t, writeFile(t, "a.csv", content), webinar)
			got := f.Suggested()
			for h, w := range tt.want {
				if got[h] != w {
					t.Errorf("%q → %q; want %q", h, got[h], w)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("got %v", got)
			}
		})
	}
}

func TestMappingOverrides(t *testing.T) {
	const content = "Correo,Nombre,Celular,Teléfono,Notas,Código\nana@acme.co,Ana Pérez,300 123 4567,601 555 1234,hola,007\n"
	tests := []struct {
		name    string
		opts    Options
		mapping map[string]string // part of the mapping
		row     map[string]string
	}{
		{
			name:    "suggestions alone",
			mapping: map[string]string{"Celular": "person.phone", "Teléfono": "person.attributes.telefono", "Código": "source.external_id"},
			row:     map[string]string{"person.phone": "+573001234567", "external_id": "007"},
		},
		{
			name: "an override takes a field from a suggested column",
			opts: Options{Map: map[string]string{"telefono": "person.phone", "Celular": "person.attributes.movil"}},
			mapping: map[string]string{"Teléfono": "person.phone", "Celular": "person.attributes.movil",
				"Correo": "person.email"},
			row: map[string]string{"person.phone": "+576015551234", "person.attributes.movil": "300 123 4567 (string)"},
		},
		{
			name:    "- ignores a column",
			opts:    Options{Map: map[string]string{"Notas": "-", "CÓDIGO": "-"}},
			mapping: map[string]string{"Notas": "-", "Código": "-"},
			row:     map[string]string{"person.attributes.notas": "<none>", "external_id": "", "values": "~|hola|007"},
		},
		{
			name:    "to props and company attributes",
			opts:    Options{Map: map[string]string{"Notas": "action.props.message", "Código": "company.attributes.code"}},
			mapping: map[string]string{"Notas": "action.props.message"},
			row:     map[string]string{"props.message": "hola", "company.attributes.code": "007"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Action, opts.Country = "contact_form", "Colombia"
			f := open(t, writeFile(t, "a.csv", content), opts)
			m, _ := f.Mapping()
			for h, w := range tt.mapping {
				if m[h] != w {
					t.Errorf("mapping %q = %q; want %q (all: %v)", h, m[h], w, m)
				}
			}
			rows := readAll(t, f)
			check(t, rows[0], tt.row)
		})
	}
}

func TestOpenErrors(t *testing.T) {
	const content = "Correo,Nombre,Fecha\nana@acme.co,Ana,2026-11-10\n"
	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"misspelt lead field", Options{Action: "x", Map: map[string]string{"Correo": "person.emial"}},
			[]string{`a.csv: columns."Correo": unknown lead field "person.emial" (did you mean person.email?)`}},
		{"misspelt attributes", Options{Action: "x", Map: map[string]string{"Nombre": "person.atributes.nick"}},
			[]string{`columns."Nombre": unknown lead field "person.atributes.nick" (did you mean person.attributes.nick?)`}},
		{"an importer-only field", Options{Action: "x", Map: map[string]string{"Nombre": "person.agee"}},
			[]string{`(did you mean person.age?)`}},
		{"bad attribute key", Options{Action: "x", Map: map[string]string{"Nombre": "person.attributes.Mi Clave"}},
			[]string{`must be snake_case`}},
		{"column not in the header", Options{Action: "x", Map: map[string]string{"Corre": "person.email"}},
			[]string{`columns."Corre": no column "Corre" in the header of a.csv (did you mean "Correo"?); the columns are "Correo", "Nombre", "Fecha"`}},
		{"no action", Options{},
			[]string{`a.csv: action: missing: set the action every row records (--action`}},
		{"bad options", Options{Action: "Webinar Attended", Format: "webinar", DateOrder: "dd/mm", Country: "Narnia", Timezone: "Mars/Base"},
			[]string{`format: "webinar": use one of web_form`, `action: "Webinar Attended": use snake_case`,
				`date_order: "dd/mm": use dmy`, `country: "Narnia"`, `timezone: "Mars/Base"`}},
		{"ambiguous action_at", Options{Action: "x", ActionAt: "03/04/2026"},
			[]string{`action_at: date 03/04/2026 is ambiguous; set --date-order dmy or mdy`}},
		{"bad key column", Options{Action: "x", KeyColumns: []string{"Nombre", "Documento"}},
			[]string{`key_columns[1]: no column "Documento"`}},
		{"source.format is an option", Options{Action: "x", Map: map[string]string{"Nombre": "source.format"}},
			[]string{`source.format is the same for the whole file`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open(writeFile(t, "a.csv", content), tt.opts)
			if err == nil {
				defer f.Close()
				if f.Header()[0] != "Correo" || f.Suggested()["Correo"] != "person.email" {
					t.Errorf("Header %v, Suggested %v", f.Header(), f.Suggested())
				}
				_, err = f.Mapping()
				if _, nextErr := f.Next(); nextErr == nil || err == nil || nextErr.Error() != err.Error() {
					t.Errorf("Next: %v; want the Mapping error", nextErr)
				}
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant it to contain\n%s", err, w)
				}
			}
		})
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"Fecha de nacimiento": "fecha_de_nacimiento", "¿Cómo nos conoció?": "como_nos_conocio", "2º apellido": "c_2o_apellido",
		"UTM Source": "utm_source", "___": "", "Ação": "acao", strings.Repeat("ab ", 40): strings.TrimRight(strings.Repeat("ab_", 22)[:64], "_"),
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q; want %q", in, got, want)
		}
	}
}
