package importer

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/webform"
)

// Options come from the command line, the API (as JSON, with the names
// below) or a mapping file (see LoadMapping). The zero value reads a CSV
// or the first sheet, suggests every column's lead field from its header
// and needs an action column.
type Options struct {
	// Sheet is the XLSX sheet to read; "" means the first.
	Sheet string `json:"sheet,omitempty"`
	// Delimiter separates CSV fields; 0 sniffs among , ; tab and |.
	Delimiter rune `json:"delimiter,omitempty"`
	// Map overrides the suggested lead field of a column: header → lead
	// field path, or "-" to ignore the column. Headers match without
	// regard to case, accents, spaces or punctuation.
	Map map[string]string `json:"map,omitempty"`
	// Format is source.format for every row: webinar_list, business_cards,
	// purchased_list, import (the default), ... (lead.Formats).
	Format string `json:"format,omitempty"`
	// Action is the inquiry action of every row whose action.type column
	// is missing or blank, e.g. webinar_attended. With neither, Open fails.
	Action string `json:"action,omitempty"`
	// ActionAt is when that action happened (the webinar's date), in any
	// format the date columns accept. A row's action.at column wins.
	ActionAt string `json:"action_at,omitempty"`
	// DateOrder is "dmy", "mdy" or "ymd" for dates such as 03/04/2026, or
	// "" to sniff it per column from values that prove it (see doc.go).
	DateOrder string `json:"date_order,omitempty"`
	// Country (ISO alpha-2 or a common name) reads phones written without
	// +country code and fills person.country when a row has none.
	Country string `json:"country,omitempty"`
	// Campaign is source.campaign for rows whose campaign column is blank.
	Campaign string `json:"campaign,omitempty"`
	// KeyColumns are headers whose values, joined, identify a row within
	// the file: its external id is "<file name>#<values joined by |>".
	KeyColumns []string `json:"key_columns,omitempty"`
	// Timezone is the IANA zone of dates written without an offset; ""
	// means UTC.
	Timezone string `json:"timezone,omitempty"`
}

// optionProblem is one bad option; key is its name in a mapping file.
type optionProblem struct {
	key string // format, columns."Correo", key_columns[1], ...
	msg string
}

// settings are the checked options, ready to use.
type settings struct {
	Options
	actionAt time.Time
	order    dateOrder
	loc      *time.Location
	country  string
}

// check reads and checks the options that need no file. Column names are
// checked by Open, against the header.
func (o *Options) check() (settings, []optionProblem) {
	s := settings{Options: *o, loc: time.UTC}
	var probs []optionProblem
	add := func(key, format string, args ...any) {
		probs = append(probs, optionProblem{key, fmt.Sprintf(format, args...)})
	}
	if s.Format == "" {
		s.Format = "import"
	}
	if !slices.Contains(lead.Formats, s.Format) {
		add("format", "%q: use one of %s", s.Format, strings.Join(lead.Formats, ", "))
	}
	if s.Action != "" && !isKey(s.Action) {
		add("action", "%q: use snake_case (a-z, 0-9, _), e.g. webinar_attended", s.Action)
	}
	switch d := s.Delimiter; {
	case d == 0:
	case d == '"' || d == '\r' || d == '\n' || d == utf8.RuneError || !utf8.ValidRune(d):
		add("delimiter", "%q cannot separate fields; use , ; | or a tab", d)
	}
	order, orderOK := parseOrder(s.DateOrder)
	s.order = order
	if !orderOK {
		add("date_order", "%q: use dmy (31/12/2026), mdy (12/31/2026) or ymd (2026/12/31), or leave it empty to sniff it", s.DateOrder)
	}
	if s.Timezone != "" {
		loc, err := time.LoadLocation(s.Timezone)
		if err != nil {
			add("timezone", "%q: use an IANA time zone such as America/Bogota", s.Timezone)
		} else {
			s.loc = loc
		}
	}
	if s.Country != "" {
		var ok bool
		if s.country, ok = webform.CountryCode(s.Country); !ok {
			add("country", "%q: use an ISO 3166 two-letter code such as CO, MX, BR, US", s.Country)
		}
	}
	if s.ActionAt != "" && orderOK {
		t, prob := parseDate(s.ActionAt, s.order, orderDeclared, s.loc, false)
		if prob != "" {
			add("action_at", "%s", prob)
		}
		s.actionAt = t
	}
	for _, h := range sortedKeys(s.Map) {
		if p := s.Map[h]; p != ignore {
			if err := checkPath(p); err != nil {
				add(fmt.Sprintf("columns.%q", h), "%v", err)
			}
		}
	}
	for i, k := range s.KeyColumns {
		if strings.TrimSpace(k) == "" {
			add(fmt.Sprintf("key_columns[%d]", i), "empty: name a column of the header")
		}
	}
	return s, probs
}

// ignore, as the lead field of a column, skips it.
const ignore = "-"

// OptionError is a bad option, or a mapping that does not fit a file.
type OptionError struct {
	File   string `json:"file,omitempty"` // the spreadsheet, when the problem is about it
	Option string `json:"option"`         // as in a mapping file: format, columns."Correo", ...
	Msg    string `json:"message"`
}

func (e *OptionError) Error() string {
	if e.File != "" {
		return e.File + ": " + e.Option + ": " + e.Msg
	}
	return e.Option + ": " + e.Msg
}

// OptionErrors is every bad option found at once.
type OptionErrors []*OptionError

func (es OptionErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

func toOptionErrors(file string, probs []optionProblem) error {
	if len(probs) == 0 {
		return nil
	}
	out := make(OptionErrors, len(probs))
	for i, p := range probs {
		out[i] = &OptionError{File: file, Option: p.key, Msg: p.msg}
	}
	return out
}

// isKey reports whether s is snake_case: a-z first, then a-z, 0-9 or _.
func isKey(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
