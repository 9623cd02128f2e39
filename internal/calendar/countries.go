package calendar

import (
	"slices"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ar"
	calat "github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cy"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/ee"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fi"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/hu"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/is"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/ke"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lu"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/mt"
	"github.com/rickar/cal/v2/mw"
	"github.com/rickar/cal/v2/nc"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/pt"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/rs"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
	"github.com/rickar/cal/v2/th"
	"github.com/rickar/cal/v2/ua"
	"github.com/rickar/cal/v2/za"
)

// libraryHolidays are the national lists github.com/rickar/cal/v2 keeps,
// by ISO 3166-1 code, used as they are. US, CA, BR and MX are handled in
// nationalHolidays (BR with a start year the library lacks, MX by the
// Ley Federal del Trabajo rather than the library's weekend moves).
var libraryHolidays = map[string][]*cal.Holiday{
	"AR": ar.Holidays, "AT": calat.Holidays, "BE": be.Holidays, "BG": bg.Holidays, "CH": ch.Holidays,
	"CY": cy.Holidays, "CZ": cz.Holidays, "DE": de.Holidays, "DK": dk.Holidays, "EE": ee.Holidays,
	"ES": es.Holidays, "FI": fi.Holidays, "FR": fr.Holidays, "GB": gb.Holidays, "GR": gr.Holidays,
	"HR": hr.Holidays, "HU": hu.Holidays, "IE": ie.Holidays, "IS": is.Holidays, "IT": it.Holidays,
	"JP": jp.Holidays, "KE": ke.Holidays, "LT": lt.Holidays, "LU": lu.Holidays, "LV": lv.Holidays,
	"MT": mt.Holidays, "MW": mw.Holidays, "NC": nc.Holidays, "NL": nl.Holidays, "NO": no.Holidays,
	"NZ": nz.Holidays, "PL": pl.Holidays, "PT": pt.Holidays, "RO": ro.Holidays, "RS": rs.Holidays,
	"RU": ru.Holidays, "SE": se.Holidays, "SI": si.Holidays, "SK": sk.Holidays, "TH": th.Holidays,
	"UA": ua.Holidays, "ZA": za.Holidays,
	// Australia has no national list in the library, only each state's:
	// these are the days every state keeps.
	"AU": {au.NewYear, au.AustraliaDay, au.GoodFriday, au.EasterMonday, au.AnzacDay, au.ChristmasDay, au.BoxingDay},
}

// peru follows Decreto Legislativo 713 and the laws that added days
// (Ley 31788 and 31822 of 2023: 7 June and 23 July; Ley 31530 of 2022:
// 6 August and 9 December). Peru moves none of them.
func peru() []*cal.Holiday {
	fixed := func(name string, m time.Month, d, from int) *cal.Holiday {
		return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: m, Day: d, Func: cal.CalcDayOfMonth, StartYear: from}
	}
	easter := func(name string, offset int) *cal.Holiday {
		return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Offset: offset, Func: cal.CalcEasterOffset}
	}
	return []*cal.Holiday{
		fixed("Año Nuevo", time.January, 1, 0),
		easter("Jueves Santo", -3),
		easter("Viernes Santo", -2),
		fixed("Día del Trabajo", time.May, 1, 0),
		fixed("Batalla de Arica y Día de la Bandera", time.June, 7, 2024),
		fixed("San Pedro y San Pablo", time.June, 29, 0),
		fixed("Día de la Fuerza Aérea del Perú", time.July, 23, 2024),
		fixed("Fiestas Patrias", time.July, 28, 0),
		fixed("Fiestas Patrias", time.July, 29, 0),
		fixed("Batalla de Junín", time.August, 6, 2022),
		fixed("Santa Rosa de Lima", time.August, 30, 0),
		fixed("Combate de Angamos", time.October, 8, 0),
		fixed("Todos los Santos", time.November, 1, 0),
		fixed("Inmaculada Concepción", time.December, 8, 0),
		fixed("Batalla de Ayacucho", time.December, 9, 2022),
		fixed("Navidad", time.December, 25, 0),
	}
}

// libraryCountries are the codes of libraryHolidays, for Countries.
func libraryCountries() []string {
	out := make([]string, 0, len(libraryHolidays))
	for c := range libraryHolidays {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}
