package importer

import (
	"errors"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestParseMapping(t *testing.T) {
	const good = `# a webinar
format: webinar_list
action: webinar_attended
action_at: 2026-11-10        # a YAML date: kept as written
date_order: dmy
delimiter: "\t"
country: Colombia
campaign: wb-2026-11
timezone: America/Bogota
sheet: Asistentes
key_columns: [Documento, Tipo]
columns:
  Correo: person.email
  Comentario: "-"
  Encuesta: ignore
  Edad: person.age
`
	o, err := ParseMapping("webinar.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := Options{Format: "webinar_list", Action: "webinar_attended", ActionAt: "2026-11-10", DateOrder: "dmy",
		Delimiter: '\t', Country: "Colombia", Campaign: "wb-2026-11", Timezone: "America/Bogota", Sheet: "Asistentes",
		KeyColumns: []string{"Documento", "Tipo"},
		Map:        map[string]string{"Correo": "person.email", "Comentario": "-", "Encuesta": "-", "Edad": "person.age"}}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("got  %+v\nwant %+v", o, want)
	}

	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "format: import\nactoin: x\n", []string{"m.yaml:2: unknown key \"actoin\" (did you mean action?)"}},
		{"bad format", "action: x\nformat: webinar\n", []string{`m.yaml:2: format: "webinar": use one of web_form, api, import`}},
		{"bad lead field", "action: x\ncolumns:\n  Correo: person.emial\n  Edad: person.agee\n",
			[]string{`m.yaml:3: columns."Correo": unknown lead field "person.emial" (did you mean person.email?)`,
				`m.yaml:4: columns."Edad": unknown lead field "person.agee" (did you mean person.age?)`}},
		{"empty lead field", "columns:\n  Correo:\n", []string{`m.yaml:2: columns."Correo": give a lead field such as person.email, or "-"`}},
		{"columns as a list", "columns: [a, b]\n", []string{`m.yaml:1: columns: want a mapping of column names to lead fields`}},
		{"twice", "action: x\naction: y\n", []string{`m.yaml:2: action: given twice (first at line 1)`}},
		{"bad date", "action: x\naction_at: 03/04/2026\n", []string{`m.yaml:2: action_at: date 03/04/2026 is ambiguous; set --date-order dmy or mdy`}},
		{"bad delimiter", "delimiter: ';;'\n", []string{`m.yaml:1: delimiter: ";;": give one character`}},
		{"a list where a value goes", "action: [a, b]\n", []string{`m.yaml:1: action: want a single value`}},
		{"not YAML", "action: [a\n", []string{`m.yaml:`}},
		{"unquoted -", "columns:\n  Notas: -\n", []string{`m.yaml:2: block sequence entries are not allowed in this context: to ignore a column, write "-" in quotes, or ignore`}},
		{"not a mapping", "- a\n- b\n", []string{`m.yaml:1: the file must be a YAML mapping`}},
		{"empty", "# nothing\n", []string{`m.yaml: the file is empty`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMapping("m.yaml", []byte(tt.yaml))
			var me MappingErrors
			if !errors.As(err, &me) {
				t.Fatalf("err = %v (%T); want MappingErrors", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant it to contain\n%s", err, w)
				}
			}
		})
	}
}

func TestExampleMapping(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "examples", "imports", "bank-marketing.yaml")
	o, err := LoadMapping(path)
	if err != nil {
		t.Fatal(err)
	}
	if o.Format != "purchased_list" || o.Action != "list_import" || o.Map["duration"] != "-" || o.Map["age"] != "person.age" {
		t.Errorf("got %+v", o)
	}
	if _, err := LoadMapping(filepath.Join(t.TempDir(), "none.yaml")); err == nil || !strings.HasPrefix(err.Error(), "none.yaml: ") {
		t.Errorf("missing file: %v", err)
	}
}
