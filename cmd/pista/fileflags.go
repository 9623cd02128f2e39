package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/pistahq/pista/internal/importer"
)

// fileFlags are the options that say how to read a spreadsheet of leads,
// shared by every command that reads one (import, score --input, lab), so
// that a file is read the same way whichever command reads it.
type fileFlags struct {
	o       importer.Options
	maps    mapFlags
	mapping *string
	delim   *string
	keys    *string
}

func (f *fileFlags) register(fs *flag.FlagSet) {
	f.maps = mapFlags{}
	fs.Var(f.maps, "map", "header=field: map a column to a lead field (repeatable); header=- ignores it")
	f.mapping = fs.String("mapping", "", "a saved mapping (YAML), e.g. examples/imports/bank-marketing.yaml")
	fs.StringVar(&f.o.Sheet, "sheet", "", "XLSX sheet (default: the first)")
	f.delim = fs.String("delimiter", "", "CSV delimiter (default: sniffed among , ; tab |)")
	fs.StringVar(&f.o.Format, "format", "", "how the list arrived: webinar_list, business_cards, purchased_list, import, ...")
	fs.StringVar(&f.o.Action, "action", "", "the action every row records, e.g. webinar_attended")
	fs.StringVar(&f.o.ActionAt, "action-at", "", "when that action happened, e.g. the webinar's date 2026-11-10")
	fs.StringVar(&f.o.DateOrder, "date-order", "", "dmy, mdy or ymd for dates like 03/04/2026 (default: sniffed, never guessed)")
	fs.StringVar(&f.o.Country, "country", "", "default country (ISO code) for phones and people")
	fs.StringVar(&f.o.Campaign, "campaign", "", "source.campaign for every row")
	fs.StringVar(&f.o.Timezone, "timezone", "", "IANA time zone of dates written without one (default UTC)")
	f.keys = fs.String("key", "", "comma-separated headers whose values identify a row (its external id)")
}

// options returns the import options: a saved mapping, overridden by the
// flags given, with --map entries on top.
func (f *fileFlags) options() (importer.Options, error) {
	o := f.o
	if *f.keys != "" {
		for _, k := range strings.Split(*f.keys, ",") {
			o.KeyColumns = append(o.KeyColumns, strings.TrimSpace(k))
		}
	}
	if *f.mapping != "" {
		saved, err := importer.LoadMapping(*f.mapping)
		if err != nil {
			return o, err
		}
		o = mergeOptions(saved, o)
	}
	if o.Map == nil {
		o.Map = map[string]string{}
	}
	for h, field := range f.maps {
		o.Map[h] = field
	}
	if *f.delim != "" {
		r := []rune(strings.ReplaceAll(*f.delim, `\t`, "\t"))
		if len(r) != 1 {
			return o, fmt.Errorf("--delimiter: want one character, like ; or \\t")
		}
		o.Delimiter = r[0]
	}
	return o, nil
}
