package importer

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	bogota, err := time.LoadLocation("America/Bogota")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	tests := []struct {
		in    string
		order dateOrder
		src   orderSource
		loc   *time.Location
		want  string // RFC 3339, or "!" + part of the problem
	}{
		{"2026-11-10", orderUnknown, orderNone, time.UTC, "2026-11-10T00:00:00Z"},
		{"2026-11-10T15:04:05Z", orderUnknown, orderNone, time.UTC, "2026-11-10T15:04:05Z"},
		{"2026-11-10T15:04:05.123-05:00", orderUnknown, orderNone, time.UTC, "2026-11-10T15:04:05.123-05:00"},
		{"2026-11-10T15:04:05", orderUnknown, orderNone, time.UTC, "2026-11-10T15:04:05Z"},
		{"2026-11-10 15:04", orderUnknown, orderNone, time.UTC, "2026-11-10T15:04:00Z"},
		{"2026-11-10 15:04", orderUnknown, orderNone, bogota, "2026-11-10T15:04:00-05:00"},
		{"2026/11/10", orderUnknown, orderNone, time.UTC, "2026-11-10T00:00:00Z"},
		{"2026.11.10", orderUnknown, orderNone, bogota, "2026-11-10T00:00:00-05:00"},
		{"2026-11/10", orderUnknown, orderNone, time.UTC, "2026-11-10T00:00:00Z"}, // read as numbers, year first
		{"2026-02-30", orderUnknown, orderNone, time.UTC, "!"},
		{"2026-13-01", orderUnknown, orderNone, time.UTC, "!"},
		{"25/12/2026", orderUnknown, orderNone, time.UTC, "2026-12-25T00:00:00Z"},
		{"25-12-2026", orderUnknown, orderNone, time.UTC, "2026-12-25T00:00:00Z"},
		{"25.12.2026", orderUnknown, orderNone, time.UTC, "2026-12-25T00:00:00Z"},
		{"12/25/2026", orderUnknown, orderNone, time.UTC, "2026-12-25T00:00:00Z"},
		{"5/5/2026", orderUnknown, orderNone, time.UTC, "2026-05-05T00:00:00Z"},
		{"03/04/2026", orderUnknown, orderNone, time.UTC, "!date 03/04/2026 is ambiguous; set --date-order dmy or mdy"},
		{"03/04/2026", orderUnknown, orderMixed, time.UTC, "!both day-first and month-first"},
		{"03/04/2026", orderDMY, orderDeclared, time.UTC, "2026-04-03T00:00:00Z"},
		{"03/04/2026", orderMDY, orderDeclared, time.UTC, "2026-03-04T00:00:00Z"},
		{"03/04/2026", orderDMY, orderSniffed, time.UTC, "2026-04-03T00:00:00Z"},
		{"03.04.2026 15:30", orderDMY, orderDeclared, time.UTC, "2026-04-03T15:30:00Z"},
		{"11/10/2026 3:04 PM", orderMDY, orderDeclared, time.UTC, "2026-11-10T15:04:00Z"},
		{"11/10/2026 12:15 a.m.", orderMDY, orderDeclared, time.UTC, "2026-11-10T00:15:00Z"},
		{"10/11/2026 09:05:07", orderDMY, orderDeclared, time.UTC, "2026-11-10T09:05:07Z"},
		{"12/25/2026", orderDMY, orderDeclared, time.UTC, "!date 12/25/2026 is not day/month/year as --date-order dmy says"},
		{"25/12/2026", orderMDY, orderSniffed, time.UTC, "!is not month/day/year like the column's other dates"},
		{"25/12/2026", orderYMD, orderDeclared, time.UTC, "!is not year/month/day as --date-order ymd says"},
		{"2026-12-25", orderMDY, orderDeclared, time.UTC, "2026-12-25T00:00:00Z"},
		{"10 nov 2026", orderUnknown, orderNone, time.UTC, "2026-11-10T00:00:00Z"},
		{"November 10, 2026", orderUnknown, orderNone, time.UTC, "2026-11-10T00:00:00Z"},
		{"Tuesday, November 10th, 2026 4:00 pm", orderUnknown, orderNone, time.UTC, "2026-11-10T16:00:00Z"},
		{"10 de noviembre de 2026", orderUnknown, orderNone, time.UTC, "2026-11-10T00:00:00Z"},
		{"10 de Março de 2026", orderUnknown, orderNone, time.UTC, "2026-03-10T00:00:00Z"},
		{"31/02/2026", orderDMY, orderDeclared, time.UTC, "!there is no such day"},
		{"13/13/2026", orderUnknown, orderNone, time.UTC, "!there is no such day"},
		{"10/11/26", orderDMY, orderDeclared, time.UTC, "!write the year with four digits"},
		{"mañana", orderUnknown, orderNone, time.UTC, `!"mañana" is not a date`},
		{"10/11/2026 25:00", orderDMY, orderDeclared, time.UTC, "!is not a date"},
		{"46336", orderUnknown, orderNone, time.UTC, "!is not a date"}, // a serial only in XLSX
	}
	for _, tt := range tests {
		got, problem := parseDate(tt.in, tt.order, tt.src, tt.loc, false)
		if want, ok := strings.CutPrefix(tt.want, "!"); ok {
			if !strings.Contains(problem, want) || !got.IsZero() {
				t.Errorf("parseDate(%q, %v) = %v, %q; want a problem with %q", tt.in, tt.order, got, problem, want)
			}
			continue
		}
		if problem != "" || got.Format(time.RFC3339Nano) != tt.want {
			t.Errorf("parseDate(%q, %v) = %v, %q; want %s", tt.in, tt.order, got.Format(time.RFC3339Nano), problem, tt.want)
		}
	}
	if got, _ := parseDate("46336.75", orderUnknown, orderNone, time.UTC, true); got.Format(time.RFC3339) != "2026-11-10T18:00:00Z" {
		t.Errorf("serial 46336.75 = %v", got)
	}
}

func TestDateOrderSniffing(t *testing.T) {
	tests := []struct {
		name   string
		dates  []string
		opts   Options
		order  string
		mixed  bool
		want   []string // action.at per row, or "!" + note
		ignore bool
	}{
		{
			name:  "dmy proven by a day over 12",
			dates: []string{"03/04/2026", "25/12/2026", "05/06/2026"},
			order: "dmy",
			want:  []string{"2026-04-03T00:00:00Z", "2026-12-25T00:00:00Z", "2026-06-05T00:00:00Z"},
		},
		{
			name:  "mdy proven by a day over 12 in second place",
			dates: []string{"03/04/2026", "12/25/2026 10:00", "05/06/2026"},
			order: "mdy",
			want:  []string{"2026-03-04T00:00:00Z", "2026-12-25T10:00:00Z", "2026-05-06T00:00:00Z"},
		},
		{
			name:  "no proof: ambiguous dates are never guessed",
			dates: []string{"03/04/2026", "04/04/2026", "2026-05-01", "05/06/2026"},
			order: "",
			want: []string{"!date 03/04/2026 is ambiguous; set --date-order dmy or mdy", "2026-04-04T00:00:00Z",
				"2026-05-01T00:00:00Z", "!date 05/06/2026 is ambiguous; set --date-order dmy or mdy"},
		},
		{
			name:  "both orders in one column: only the unambiguous are read",
			dates: []string{"25/12/2026", "12/25/2026", "03/04/2026"},
			order: "", mixed: true,
			want: []string{"2026-12-25T00:00:00Z", "2026-12-25T00:00:00Z", "!(this column has both day-first and month-first dates)"},
		},
		{
			name:  "declared order wins over sniffing",
			dates: []string{"03/04/2026", "25/12/2026"},
			opts:  Options{DateOrder: "mdy"},
			order: "mdy",
			want:  []string{"2026-03-04T00:00:00Z", "!date 25/12/2026 is not month/day/year as --date-order mdy says"},
		},
		{
			name:  "a blank date takes action_at",
			dates: []string{"", "n/a", "25/12/2026"},
			opts:  Options{ActionAt: "2026-11-10 15:00"},
			order: "dmy",
			want:  []string{"2026-11-10T15:00:00Z", "2026-11-10T15:00:00Z", "2026-12-25T00:00:00Z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("Email,Fecha\n")
			for i, d := range tt.dates {
				fmt.Fprintf(&b, "p%d@acme.co,%s\n", i, d)
			}
			opts := tt.opts
			opts.Action = "webinar_attended"
			f := open(t, writeFile(t, "a.csv", b.String()), opts)
			if order, mixed := f.DateOrder("Fecha"); order != tt.order || mixed != tt.mixed {
				t.Errorf("DateOrder = %q, %v; want %q, %v", order, mixed, tt.order, tt.mixed)
			}
			rows := readAll(t, f)
			for i, want := range tt.want {
				if note, ok := strings.CutPrefix(want, "!"); ok {
					check(t, rows[i], map[string]string{"action.at": "", "notes": "~" + note, "props.fecha": tt.dates[i]})
					continue
				}
				check(t, rows[i], map[string]string{"action.at": want, "notes": ""})
			}
		})
	}
}

// The order is decided from the first 10,000 rows: proof after them does
// not change how the rows before were read.
func TestDateSniffWindow(t *testing.T) {
	var b strings.Builder
	b.WriteString("Email,Fecha\n")
	for i := range firstPassRows {
		fmt.Fprintf(&b, "p%d@acme.co,03/04/2026\n", i)
	}
	b.WriteString("late@acme.co,25/12/2026\nlater@acme.co,03/04/2026\n")
	f := open(t, writeFile(t, "a.csv", b.String()), webinar)
	if order, _ := f.DateOrder("Fecha"); order != "" {
		t.Fatalf("order %q; want none", order)
	}
	rows := readAll(t, f)
	n := len(rows)
	check(t, rows[0], map[string]string{"action.at": "", "notes": "~is ambiguous"})
	check(t, rows[n-2], map[string]string{"action.at": "2026-12-25T00:00:00Z"})
	check(t, rows[n-1], map[string]string{"action.at": "", "notes": "~is ambiguous"})
}

// BenchmarkParseDate reads the usual date column (a date alone, ISO) and
// a date with a time.
func BenchmarkParseDate(b *testing.B) {
	for _, in := range []string{"2026-10-05", "2026-10-05 15:04"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, problem := parseDate(in, orderUnknown, orderNone, time.UTC, false); problem != "" {
					b.Fatal(problem)
				}
			}
		})
	}
}
