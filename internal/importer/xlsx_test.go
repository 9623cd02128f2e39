package importer

import (
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestXLSX(t *testing.T) {
	cards := sheet{name: "Tarjetas", rows: [][]any{
		{"Nombre", "Apellidos", "Correo", "Celular", "Empresa", "Empleados"},
		{"Ana", "Pérez", "ana@acme.co", 3001234567, "Acme", 1200},
		nil, // an empty row: skipped, and row numbers stay the sheet's
		{"Bo", "Díaz", "bo@x.co", "+55 11 98765-4321", "X", "50-200"},
	}}
	webinarSheet := sheet{name: "Asistentes", rows: [][]any{
		{"Email", "Fecha", "Acción"},
		{"cy@y.co", "2026-11-10", "Webinar attended"},
		{"di@z.co", "25/12/2026", "webinar_registered"},
	}}
	tests := []struct {
		name   string
		sheets []sheet
		opts   Options
		header string
		rows   []map[string]string
		blank  int
	}{
		{
			name: "first sheet", sheets: []sheet{cards, webinarSheet}, opts: Options{Action: "business_card", Country: "CO"},
			header: "Nombre|Apellidos|Correo|Celular|Empresa|Empleados",
			rows: []map[string]string{
				{"line": "2", "person.first_name": "Ana", "person.last_name": "Pérez", "person.phone": "+573001234567",
					"company.employees": "1200", "action.type": "business_card"},
				{"line": "4", "person.phone": "+5511987654321", "company.employees": "50"},
			},
			blank: 1,
		},
		{
			name: "named sheet, with an action column", sheets: []sheet{cards, webinarSheet}, opts: Options{Sheet: "asistentes"},
			header: "Email|Fecha|Acción",
			rows: []map[string]string{
				{"line": "2", "action.type": "webinar_attended", "action.at": "2026-11-10T00:00:00Z", "missing": ""},
				{"line": "3", "action.type": "webinar_registered", "action.at": "2026-12-25T00:00:00Z"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := open(t, writeXLSX(t, "a.xlsx", tt.sheets), tt.opts)
			if got := strings.Join(f.Header(), "|"); got != tt.header {
				t.Errorf("header %q; want %q", got, tt.header)
			}
			rows := readAll(t, f)
			if len(rows) != len(tt.rows) {
				t.Fatalf("%d rows; want %d", len(rows), len(tt.rows))
			}
			for i, want := range tt.rows {
				check(t, rows[i], want)
			}
			if f.BlankRows() != tt.blank {
				t.Errorf("BlankRows %d; want %d", f.BlankRows(), tt.blank)
			}
		})
	}
}

func TestXLSXMissingSheet(t *testing.T) {
	path := writeXLSX(t, "a.xlsx", []sheet{{name: "Leads", rows: [][]any{{"Email"}}}, {name: "Notas"}})
	_, err := Open(path, Options{Action: "x", Sheet: "Lead"})
	want := `a.xlsx: sheet "Lead" is not in the workbook (did you mean "Leads"?); its sheets are "Leads", "Notas"`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v; want %s", err, want)
	}
}

// A date cell is read from its serial number, so a date shown as
// 03/04/2026 is never ambiguous; a date typed as text still is.
func TestXLSXDateCells(t *testing.T) {
	x := excelize.NewFile()
	defer x.Close()
	rows := [][]any{
		{"Email", "Fecha"},
		{"a@acme.co", time.Date(2026, 4, 3, 15, 30, 0, 0, time.UTC)},
		{"b@acme.co", time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)},
		{"c@acme.co", "03/04/2026"},
	}
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := x.SetCellValue("Sheet1", ref, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	style, err := x.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd/mm/yyyy hh:mm")})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.SetCellStyle("Sheet1", "B2", "B2", style); err != nil {
		t.Fatal(err)
	}
	builtin, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
	if err := x.SetCellStyle("Sheet1", "B3", "B3", builtin); err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/dates.xlsx"
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f := open(t, path, webinar)
	got := readAll(t, f)
	check(t, got[0], map[string]string{"values": "a@acme.co|03/04/2026 15:30", "action.at": "2026-04-03T15:30:00Z", "notes": ""})
	check(t, got[1], map[string]string{"values": "b@acme.co|2026-11-10", "action.at": "2026-11-10T00:00:00Z"})
	check(t, got[2], map[string]string{"action.at": "", "notes": "~date 03/04/2026 is ambiguous"})
}

func ptr[T any](v T) *T { return &v }
