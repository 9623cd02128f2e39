package importer

import (
	"fmt"
	"strings"

	"github.com/pistahq/pista/internal/suggest"
	"github.com/pistahq/pista/internal/webform"
)

// fieldKind says who reads a column into the inquiry: webform.Map, for the
// fields a web form can fill, or the importer, for the rest.
type fieldKind uint8

const (
	kindForm       fieldKind = iota // webform.Map
	kindInt                         // person.age, ...: a whole number within bounds
	kindText                        // person.education, person.gender
	kindMoney                       // person.income: lead.ParseMoney
	kindList                        // company.products, ...: split on ; | ,
	kindExternalID                  // source.external_id
	kindActionType                  // action.type
	kindActionAt                    // action.at: a date
)

// ownFields are the lead fields only spreadsheets fill: a web form does
// not ask for an age or an external id, a list often has them.
var ownFields = []struct {
	path     string
	kind     fieldKind
	min, max int
	what     string // for "is not ..." notes
}{
	{"person.age", kindInt, 1, 120, "an age"},
	{"person.years_experience", kindInt, 0, 80, "a number of years"},
	{"person.gender", kindText, 0, 0, ""},
	{"person.education", kindText, 0, 0, ""},
	{"person.income", kindMoney, 0, 0, "an amount such as \"3500 USD\""},
	{"company.divisions", kindInt, 0, 1_000_000, "a number of divisions"},
	{"person.specialties", kindList, 0, 0, ""},
	{"company.products", kindList, 0, 0, ""},
	{"company.markets", kindList, 0, 0, ""},
	{"company.rankings", kindList, 0, 0, ""},
	{"source.external_id", kindExternalID, 0, 0, ""},
	{"action.type", kindActionType, 0, 0, ""},
	{"action.at", kindActionAt, 0, 0, ""},
}

// mapPrefixes are the lead maps whose keys a mapping chooses (webform
// reads them).
var mapPrefixes = []string{"person.attributes.", "company.attributes.", "action.props."}

// propNotes is the action.props key holding a row's Notes, so that a
// stored lead says what the import cleaned.
const propNotes = "import_notes"

func ownField(path string) (int, bool) {
	for i, f := range ownFields {
		if f.path == path {
			return i, true
		}
	}
	return 0, false
}

// checkPath returns nil if a column can fill the lead field path, else an
// error naming the path with a did-you-mean.
func checkPath(path string) error {
	if _, ok := ownField(path); ok {
		return nil
	}
	switch path {
	case "action.props." + propNotes:
		return fmt.Errorf("lead field %q: action.props.%s is written by pista; choose another key", path, propNotes)
	case "source.format":
		return fmt.Errorf("source.format is the same for the whole file: set the format option (webinar_list, purchased_list, ...)")
	}
	err := webform.CheckPath(path)
	if err == nil {
		return nil
	}
	for _, p := range mapPrefixes {
		if strings.HasPrefix(path, p) {
			return err // the key is wrong; webform says how
		}
	}
	candidates := allPaths()
	if last := path[strings.LastIndexByte(path, '.')+1:]; isKey(last) {
		for _, p := range mapPrefixes {
			candidates = append(candidates, p+last)
		}
	}
	if s := suggest.Closest(path, candidates, len(path)/3+1); s != "" {
		return fmt.Errorf("unknown lead field %q (did you mean %s?)", path, s)
	}
	return fmt.Errorf("unknown lead field %q; use person.email, person.name, company.name, ..., person.attributes.<key>, company.attributes.<key> or action.props.<key>, or %q to ignore the column", path, ignore)
}

// allPaths lists every fixed lead field path a column can fill.
func allPaths() []string {
	out := webform.Paths()
	for _, f := range ownFields {
		out = append(out, f.path)
	}
	return out
}
