package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// dateOrder is how a date with the year last (03/04/2026) is read.
type dateOrder uint8

const (
	orderUnknown dateOrder = iota
	orderDMY
	orderMDY
	orderYMD
)

func parseOrder(s string) (dateOrder, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return orderUnknown, true
	case "dmy":
		return orderDMY, true
	case "mdy":
		return orderMDY, true
	case "ymd":
		return orderYMD, true
	}
	return orderUnknown, false
}

func (o dateOrder) String() string {
	return [...]string{"", "dmy", "mdy", "ymd"}[o]
}

func (o dateOrder) words() string {
	return [...]string{"", "day/month/year", "month/day/year", "year/month/day"}[o]
}

// orderSource is how a column's order became known, for the notes.
type orderSource uint8

const (
	orderNone     orderSource = iota // no evidence: ambiguous dates are not read
	orderDeclared                    // Options.DateOrder
	orderSniffed                     // the first pass found dates that prove it
	orderMixed                       // the first pass found both orders
)

// ISO 8601 and close relatives; the year comes first, so the order is
// never in doubt.
var isoLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05",
	"2006-01-02 15:04", "2006-01-02", "2006/01/02", "2006/01/02 15:04:05", "2006/01/02 15:04", "2006.01.02",
}

var (
	// clockRE finds the time of day in a date such as "10/11/2026 3:04 PM".
	clockRE = regexp.MustCompile(`(?i)(?:^|[\sT,])(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([ap])?\.?\s*(?:m\.?)?\s*(?:h|hrs)?\s*$`)
	// dateTokenRE splits the rest into numbers and words.
	dateTokenRE = regexp.MustCompile(`\d+|\pL+`)
	serialRE    = regexp.MustCompile(`^\d{1,7}(?:\.\d+)?$`)
)

// monthNames are month names and abbreviations in en/es/pt (squashed).
var monthNames = map[string]time.Month{
	"jan": 1, "january": 1, "ene": 1, "enero": 1, "janeiro": 1,
	"feb": 2, "february": 2, "febrero": 2, "fev": 2, "fevereiro": 2,
	"mar": 3, "march": 3, "marzo": 3, "marco": 3,
	"apr": 4, "april": 4, "abr": 4, "abril": 4,
	"may": 5, "mayo": 5, "mai": 5, "maio": 5,
	"jun": 6, "june": 6, "junio": 6, "junho": 6,
	"jul": 7, "july": 7, "julio": 7, "julho": 7,
	"aug": 8, "august": 8, "ago": 8, "agosto": 8,
	"sep": 9, "sept": 9, "september": 9, "septiembre": 9, "setiembre": 9, "set": 9, "setembro": 9,
	"oct": 10, "october": 10, "octubre": 10, "out": 10, "outubro": 10,
	"nov": 11, "november": 11, "noviembre": 11, "novembro": 11,
	"dec": 12, "december": 12, "dic": 12, "diciembre": 12, "dez": 12, "dezembro": 12,
}

// dateFiller are words in written dates that carry no date: "10 de
// noviembre de 2026", "Tuesday, November 10th, 2026".
var dateFiller = map[string]bool{
	"de": true, "del": true, "of": true, "the": true, "st": true, "nd": true, "rd": true, "th": true,
	"mon": true, "monday": true, "tue": true, "tuesday": true, "wed": true, "wednesday": true, "thu": true,
	"thursday": true, "fri": true, "friday": true, "sat": true, "saturday": true, "sun": true, "sunday": true,
	"lunes": true, "martes": true, "miercoles": true, "jueves": true, "viernes": true, "sabado": true, "domingo": true,
	"segunda": true, "terca": true, "quarta": true, "quinta": true, "sexta": true, "feira": true,
}

// parseDate reads a date or date-time: ISO 8601 (2026-11-10,
// 2026-11-10T15:04:05Z, 2026-11-10 15:04), day and month with the year last
// (10/11/2026, 10-11-2026, 10.11.2026, with an optional time), month
// names in en/es/pt (10 nov 2026, November 10, 2026, 10 de noviembre de
// 2026) and, for XLSX, date serial numbers. A date without an offset is in
// loc. problem is "" or says, for a person, why the value was not read;
// an ambiguous date is never guessed.
func parseDate(s string, order dateOrder, src orderSource, loc *time.Location, excel bool) (t time.Time, problem string) {
	s = strings.TrimSpace(s)
	if excel && serialRE.MatchString(s) {
		return excelDate(s, loc)
	}
	if len(s) >= 8 && isDigits(s[:4]) && (s[4] == '-' || s[4] == '/' || s[4] == '.') {
		// A date alone, the usual column, is read without first failing
		// the layouts with a time (an error each).
		if len(s) == len("2006-01-02") {
			layout := "2006-01-02"
			switch s[4] {
			case '/':
				layout = "2006/01/02"
			case '.':
				layout = "2006.01.02"
			}
			if t, err := time.ParseInLocation(layout, s, loc); err == nil {
				return t, ""
			}
		}
		for _, layout := range isoLayouts {
			if t, err := time.ParseInLocation(layout, s, loc); err == nil {
				return t, ""
			}
		}
	}
	hour, minute, sec, rest, ok := clock(s)
	if !ok {
		return time.Time{}, notADate(s)
	}
	var nums []string
	var month time.Month
	for _, tok := range dateTokenRE.FindAllString(rest, -1) {
		switch {
		case isDigits(tok):
			nums = append(nums, tok)
		case monthNames[squash(tok)] != 0 && month == 0:
			month = monthNames[squash(tok)]
		case dateFiller[squash(tok)]:
		default:
			return time.Time{}, notADate(s)
		}
	}
	var y, m, d int
	switch {
	case month != 0 && len(nums) == 2:
		m = int(month)
		switch {
		case len(nums[0]) == 4 && len(nums[1]) <= 2:
			y, d = atoi(nums[0]), atoi(nums[1])
		case len(nums[1]) == 4 && len(nums[0]) <= 2:
			y, d = atoi(nums[1]), atoi(nums[0])
		default:
			return time.Time{}, yearProblem(s)
		}
	case month == 0 && len(nums) == 3 && len(nums[0]) == 4:
		y, m, d = atoi(nums[0]), atoi(nums[1]), atoi(nums[2])
	case month == 0 && len(nums) == 3 && len(nums[2]) == 4 && len(nums[0]) <= 2 && len(nums[1]) <= 2:
		y = atoi(nums[2])
		var why string
		if d, m, why = dayMonth(s, atoi(nums[0]), atoi(nums[1]), order, src); why != "" {
			return time.Time{}, why
		}
	case month == 0 && len(nums) == 3:
		return time.Time{}, yearProblem(s)
	default:
		return time.Time{}, notADate(s)
	}
	t = time.Date(y, time.Month(m), d, hour, minute, sec, 0, loc)
	if m < 1 || m > 12 || t.Day() != d || y < 1000 {
		return time.Time{}, fmt.Sprintf("%q is not a date: there is no such day", s)
	}
	return t, ""
}

// dayMonth reads the first two numbers of a date whose year is last.
func dayMonth(s string, a, b int, order dateOrder, src orderSource) (day, month int, problem string) {
	dmy := a >= 1 && a <= 31 && b >= 1 && b <= 12
	mdy := a >= 1 && a <= 12 && b >= 1 && b <= 31
	switch {
	case !dmy && !mdy:
		return 0, 0, fmt.Sprintf("%q is not a date: there is no such day", s)
	case order == orderUnknown && dmy && mdy && a != b:
		if src == orderMixed {
			return 0, 0, fmt.Sprintf("date %s is ambiguous; set --date-order dmy or mdy (this column has both day-first and month-first dates)", s)
		}
		return 0, 0, fmt.Sprintf("date %s is ambiguous; set --date-order dmy or mdy", s)
	case order == orderUnknown && dmy, order == orderDMY && dmy:
		return a, b, ""
	case order == orderUnknown, order == orderMDY && mdy:
		return b, a, ""
	}
	if src == orderSniffed {
		return 0, 0, fmt.Sprintf("date %s is not %s like the column's other dates; check it or set --date-order", s, order.words())
	}
	return 0, 0, fmt.Sprintf("date %s is not %s as --date-order %s says", s, order.words(), order)
}

// evidence says which order a date proves: 25/12/2026 proves dmy,
// 12/25/2026 proves mdy, 03/04/2026 and ISO dates prove nothing.
func evidence(s string) dateOrder {
	_, _, _, rest, ok := clock(strings.TrimSpace(s))
	if !ok {
		return orderUnknown
	}
	toks := dateTokenRE.FindAllString(rest, -1)
	if len(toks) != 3 || !isDigits(toks[0]) || !isDigits(toks[1]) || len(toks[2]) != 4 || !isDigits(toks[2]) ||
		len(toks[0]) > 2 || len(toks[1]) > 2 {
		return orderUnknown
	}
	a, b := atoi(toks[0]), atoi(toks[1])
	switch {
	case a > 12 && a <= 31 && b >= 1 && b <= 12:
		return orderDMY
	case b > 12 && b <= 31 && a >= 1 && a <= 12:
		return orderMDY
	}
	return orderUnknown
}

// clock cuts the time of day off the end of a date, if any.
func clock(s string) (hour, minute, sec int, rest string, ok bool) {
	loc := clockRE.FindStringSubmatchIndex(s)
	if loc == nil {
		return 0, 0, 0, s, true
	}
	sub := func(i int) string {
		if loc[2*i] < 0 {
			return ""
		}
		return s[loc[2*i]:loc[2*i+1]]
	}
	hour, minute = atoi(sub(1)), atoi(sub(2))
	if v := sub(3); v != "" {
		sec = atoi(v)
	}
	switch strings.ToLower(sub(4)) {
	case "a":
		if hour == 12 {
			hour = 0
		}
		ok = hour <= 12
	case "p":
		if hour < 12 {
			hour += 12
		}
		ok = hour <= 23
	default:
		ok = true
	}
	ok = ok && hour <= 23 && minute <= 59 && sec <= 60
	return hour, minute, sec, s[:loc[0]], ok
}

// excelDate reads a date serial number of a spreadsheet cell as the wall
// clock time it shows, in loc.
func excelDate(s string, loc *time.Location) (time.Time, string) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 1 || f > 2958465 {
		return time.Time{}, notADate(s)
	}
	t, err := excelize.ExcelDateToTime(f, false)
	if err != nil {
		return time.Time{}, notADate(s)
	}
	t = t.Round(time.Second)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc), ""
}

func notADate(s string) string {
	return fmt.Sprintf("%q is not a date; write it like 2026-11-10, 10/11/2026 or 10 nov 2026", clip(s))
}

func yearProblem(s string) string {
	return fmt.Sprintf("date %q: write the year with four digits, like 10/11/2026", clip(s))
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// atoi reads a short run of digits; callers check isDigits first.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// clip shortens a value quoted in a note.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	r := []rune(s)
	if len(r) <= 60 {
		return s
	}
	return string(r[:60]) + "…"
}
