package calendar

import (
	"math"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
)

// The national holidays of Latin American countries github.com/rickar/cal
// has no list for. Each list follows the country's labour law; the Easter
// feasts are the library's own (package aa) renamed, and the moves are
// rickar/cal substitution days (cal.AltDay), so only the data is ours.
// Where a government decides a year's move by decree, the rule here is the
// one the law states or the one recent decrees followed; docs/definition.md
// says which lists are approximate. A company puts a decree's extra days
// in the calendar's holidays.

// day is a holiday on the same date every year.
func day(name string, m time.Month, d int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: m, Day: d, Func: cal.CalcDayOfMonth}
}

// movedDay is a holiday on a fixed date observed on the day move says.
func movedDay(name string, m time.Month, d int, move []cal.AltDay) *cal.Holiday {
	h := day(name, m, d)
	h.Observed = move
	return h
}

// feast renames one of the library's Easter-based holidays (aa.GoodFriday…).
func feast(h *cal.Holiday, name string) *cal.Holiday {
	return h.Clone(&cal.Holiday{Name: name, Type: cal.ObservancePublic})
}

// holySaturday is the day before Easter; the library has no such entry.
func holySaturday() *cal.Holiday {
	return &cal.Holiday{Name: "Sábado Santo", Type: cal.ObservancePublic, Offset: -1, Func: cal.CalcEasterOffset}
}

// carnival is the Monday (offset -48) or Tuesday (-47) before Ash Wednesday.
func carnival(offset int) *cal.Holiday {
	return &cal.Holiday{Name: "Carnaval", Type: cal.ObservancePublic, Offset: offset, Func: cal.CalcEasterOffset}
}

// Substitution rules shared by several countries' laws.
func sundayToMonday() []cal.AltDay { return []cal.AltDay{{Day: time.Sunday, Offset: 1}} }

func weekendToFridayOrMonday() []cal.AltDay {
	return []cal.AltDay{{Day: time.Saturday, Offset: -1}, {Day: time.Sunday, Offset: 1}}
}

// nearestMonday moves Tuesday and Wednesday back to the Monday before and
// Thursday to Sunday forward to the Monday after (Dominican Ley 139-97,
// Paraguay, Guatemala's 30 June).
func nearestMonday() []cal.AltDay {
	return []cal.AltDay{
		{Day: time.Tuesday, Offset: -1}, {Day: time.Wednesday, Offset: -2},
		{Day: time.Thursday, Offset: 4}, {Day: time.Friday, Offset: 3},
		{Day: time.Saturday, Offset: 2}, {Day: time.Sunday, Offset: 1},
	}
}

// chile follows the Código del Trabajo and the laws that add or move days:
// Ley 19.668 (29 June and 12 October on the Monday of their week when they
// fall Tuesday to Thursday, the next Monday when Friday), Ley 20.299
// (Iglesias Evangélicas: Tuesday to the Friday before, Wednesday to the
// Friday after), Ley 20.983 (2 January when it is a Monday), 17 September
// when it is a Monday and 20 September when it is a Friday, and Ley 21.357
// (Pueblos Indígenas: the winter solstice, 21 June in 2021). Election days
// are set case by case.
func chile() []*cal.Holiday {
	mondayOfWeek := []cal.AltDay{
		{Day: time.Tuesday, Offset: -1}, {Day: time.Wednesday, Offset: -2},
		{Day: time.Thursday, Offset: -3}, {Day: time.Friday, Offset: 3},
	}
	onlyOn := func(name string, m time.Month, d int, wd time.Weekday) *cal.Holiday {
		return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Func: func(_ *cal.Holiday, year int) time.Time {
			t := time.Date(year, m, d, 0, 0, 0, 0, cal.DefaultLoc)
			if t.Weekday() != wd {
				return time.Time{}
			}
			return t
		}}
	}
	evangelical := movedDay("Día de las Iglesias Evangélicas y Protestantes", time.October, 31,
		[]cal.AltDay{{Day: time.Tuesday, Offset: -4}, {Day: time.Wednesday, Offset: 2}})
	evangelical.StartYear = 2008
	indigenous := &cal.Holiday{Name: "Día Nacional de los Pueblos Indígenas", Type: cal.ObservancePublic, StartYear: 2021, Func: chileSolstice}
	newYearBridge := onlyOn("Feriado de Año Nuevo", time.January, 2, time.Monday)
	newYearBridge.StartYear = 2017
	return []*cal.Holiday{
		day("Año Nuevo", time.January, 1),
		newYearBridge,
		feast(aa.GoodFriday, "Viernes Santo"),
		holySaturday(),
		day("Día del Trabajo", time.May, 1),
		day("Día de las Glorias Navales", time.May, 21),
		indigenous,
		movedDay("San Pedro y San Pablo", time.June, 29, mondayOfWeek),
		day("Virgen del Carmen", time.July, 16),
		day("Asunción de la Virgen", time.August, 15),
		onlyOn("Fiestas Patrias", time.September, 17, time.Monday),
		day("Independencia Nacional", time.September, 18),
		day("Glorias del Ejército", time.September, 19),
		onlyOn("Fiestas Patrias", time.September, 20, time.Friday),
		movedDay("Encuentro de Dos Mundos", time.October, 12, mondayOfWeek),
		evangelical,
		day("Todos los Santos", time.November, 1),
		day("Inmaculada Concepción", time.December, 8),
		day("Navidad", time.December, 25),
	}
}

// chileSolstice is the day of the June solstice in continental Chile
// (UTC-4 in winter), from Meeus's mean-solstice formula (Astronomical
// Algorithms, ch. 27), within minutes of the true instant; 2021, the law's
// first year, fixed 21 June.
func chileSolstice(_ *cal.Holiday, year int) time.Time {
	if year == 2021 {
		return time.Date(year, time.June, 21, 0, 0, 0, 0, cal.DefaultLoc)
	}
	y := float64(year-2000) / 1000
	jde := 2451716.56767 + 365241.62603*y + 0.00325*y*y + 0.00888*y*y*y - 0.00030*y*y*y*y
	sec := (jde - 2440587.5) * 86400
	t := time.Unix(int64(math.Round(sec)), 0).In(time.FixedZone("CLT", -4*3600))
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, cal.DefaultLoc)
}

// ecuador follows the Código del Trabajo (art. 65) as reformed in 2016: a
// holiday on Tuesday is rested the Monday before, on Wednesday or Thursday
// the Friday of that week, on Saturday the Friday before and on Sunday the
// Monday after; 1 January and 25 December only leave the weekend.
// Difuntos (2 November) and Independencia de Cuenca (3 November) are kept
// as two days beside a weekend (ecuadorNovember).
func ecuador() []*cal.Holiday {
	move := []cal.AltDay{
		{Day: time.Tuesday, Offset: -1}, {Day: time.Wednesday, Offset: 2}, {Day: time.Thursday, Offset: 1},
		{Day: time.Saturday, Offset: -1}, {Day: time.Sunday, Offset: 1},
	}
	return []*cal.Holiday{
		movedDay("Año Nuevo", time.January, 1, weekendToFridayOrMonday()),
		carnival(-48), carnival(-47),
		feast(aa.GoodFriday, "Viernes Santo"),
		movedDay("Día del Trabajo", time.May, 1, move),
		movedDay("Batalla de Pichincha", time.May, 24, move),
		movedDay("Primer Grito de Independencia", time.August, 10, move),
		movedDay("Independencia de Guayaquil", time.October, 9, move),
		{Name: "Día de los Difuntos", Type: cal.ObservancePublic, Func: ecuadorNovember(0)},
		{Name: "Independencia de Cuenca", Type: cal.ObservancePublic, Func: ecuadorNovember(1)},
		movedDay("Navidad", time.December, 25, weekendToFridayOrMonday()),
	}
}

// ecuadorNovember returns the first (i = 0) or second day of the Difuntos
// and Cuenca pair. Moved one by one by the law's rule they can land on one
// day, so recent decrees move them together: Monday and Tuesday when 2
// November is a Sunday to Tuesday, Thursday and Friday when it is a
// Wednesday or Thursday, Friday and Monday when it is a Friday or Saturday.
func ecuadorNovember(i int) cal.HolidayFn {
	return func(_ *cal.Holiday, year int) time.Time {
		d := time.Date(year, time.November, 2, 0, 0, 0, 0, cal.DefaultLoc)
		var first, second int // days from 2 November
		switch d.Weekday() {
		case time.Sunday:
			first, second = 1, 2
		case time.Monday:
			first, second = 0, 1
		case time.Tuesday:
			first, second = -1, 0
		case time.Wednesday:
			first, second = 1, 2
		case time.Thursday:
			first, second = 0, 1
		case time.Friday:
			first, second = 0, 3
		case time.Saturday:
			first, second = -1, 2
		}
		return d.AddDate(0, 0, []int{first, second}[i])
	}
}

// uruguay has five paid days off by law (Ley 12.590 and later): 1 January,
// 1 May, 18 July, 25 August and 25 December. The other "feriados" are
// worked days, except that public offices, banks and most businesses close
// for Carnaval (Monday and Tuesday) and for Holy Thursday and Good Friday of
// the Semana de Turismo, which this list includes.
func uruguay() []*cal.Holiday {
	return []*cal.Holiday{
		day("Año Nuevo", time.January, 1),
		carnival(-48), carnival(-47),
		feast(aa.MaundyThursday, "Jueves de Semana de Turismo"),
		feast(aa.GoodFriday, "Viernes de Semana de Turismo"),
		day("Día de los Trabajadores", time.May, 1),
		day("Jura de la Constitución", time.July, 18),
		day("Declaratoria de la Independencia", time.August, 25),
		day("Día de la Familia", time.December, 25),
	}
}

// paraguay follows the Código del Trabajo (art. 217) and later laws. Three
// patriotic days are moved to a Monday (Tuesday and Wednesday to the one
// before, Thursday to Sunday to the one after), as the decrees of recent
// years did: Día de los Héroes, Paz del Chaco and Victoria de Boquerón.
func paraguay() []*cal.Holiday {
	return []*cal.Holiday{
		day("Año Nuevo", time.January, 1),
		movedDay("Día de los Héroes", time.March, 1, nearestMonday()),
		feast(aa.MaundyThursday, "Jueves Santo"),
		feast(aa.GoodFriday, "Viernes Santo"),
		day("Día del Trabajador", time.May, 1),
		day("Independencia Nacional", time.May, 14),
		day("Independencia Nacional", time.May, 15),
		movedDay("Paz del Chaco", time.June, 12, nearestMonday()),
		day("Fundación de Asunción", time.August, 15),
		movedDay("Victoria de Boquerón", time.September, 29, nearestMonday()),
		day("Virgen de Caacupé", time.December, 8),
		day("Navidad", time.December, 25),
	}
}

// bolivia follows the Ley General del Trabajo and Decreto Supremo 1210 of
// 2012: a fixed-date holiday on a Sunday is rested on the Monday.
// Departmental days (La Paz 16 July, Santa Cruz 24 September…) belong in
// a team calendar's holidays.
func bolivia() []*cal.Holiday {
	fixed := func(name string, m time.Month, d int) *cal.Holiday {
		return movedDay(name, m, d, sundayToMonday())
	}
	plurinational := fixed("Día del Estado Plurinacional", time.January, 22)
	plurinational.StartYear = 2010
	andean := fixed("Año Nuevo Andino Amazónico", time.June, 21)
	andean.StartYear = 2010
	return []*cal.Holiday{
		fixed("Año Nuevo", time.January, 1),
		plurinational,
		carnival(-48), carnival(-47),
		feast(aa.GoodFriday, "Viernes Santo"),
		fixed("Día del Trabajo", time.May, 1),
		feast(aa.CorpusChristi, "Corpus Christi"),
		andean,
		fixed("Día de la Independencia", time.August, 6),
		fixed("Día de Todos los Difuntos", time.November, 2),
		fixed("Navidad", time.December, 25),
	}
}

// costaRica follows the Código de Trabajo (art. 148): the days of paid and
// unpaid rest, with 1 December (Abolición del Ejército) replacing 12
// October from 2020 and 31 August (Día de la Persona Negra) added from
// 2022. Temporary laws have moved some of them to Mondays for given years
// (2020–2024); those years' moves are not in this list.
func costaRica() []*cal.Holiday {
	cultures := day("Día de las Culturas", time.October, 12)
	cultures.EndYear = 2019
	army := day("Abolición del Ejército", time.December, 1)
	army.StartYear = 2020
	afro := day("Día de la Persona Negra y la Cultura Afrocostarricense", time.August, 31)
	afro.StartYear = 2022
	return []*cal.Holiday{
		day("Año Nuevo", time.January, 1),
		feast(aa.MaundyThursday, "Jueves Santo"),
		feast(aa.GoodFriday, "Viernes Santo"),
		day("Día de Juan Santamaría", time.April, 11),
		day("Día del Trabajador", time.May, 1),
		day("Anexión del Partido de Nicoya", time.July, 25),
		day("Virgen de los Ángeles", time.August, 2),
		day("Día de la Madre", time.August, 15),
		afro,
		day("Día de la Independencia", time.September, 15),
		cultures,
		army,
		day("Navidad", time.December, 25),
	}
}

// panama follows the Código de Trabajo (art. 46): a national holiday on a
// Sunday is rested on the Monday. Carnaval Tuesday is the national day (the
// Monday is customary, not law); 20 December (Día de Duelo Nacional) is a
// day off from 2022. 4 November (Símbolos Patrios) is not a day off.
func panama() []*cal.Holiday {
	fixed := func(name string, m time.Month, d int) *cal.Holiday {
		return movedDay(name, m, d, sundayToMonday())
	}
	mourning := fixed("Día de Duelo Nacional", time.December, 20)
	mourning.StartYear = 2022
	return []*cal.Holiday{
		fixed("Año Nuevo", time.January, 1),
		fixed("Día de los Mártires", time.January, 9),
		carnival(-47),
		feast(aa.GoodFriday, "Viernes Santo"),
		fixed("Día del Trabajador", time.May, 1),
		fixed("Separación de Panamá de Colombia", time.November, 3),
		fixed("Día de Colón", time.November, 5),
		fixed("Primer Grito de Independencia", time.November, 10),
		fixed("Independencia de Panamá de España", time.November, 28),
		fixed("Día de las Madres", time.December, 8),
		mourning,
		fixed("Navidad", time.December, 25),
	}
}

// dominicanRepublic follows the Código de Trabajo and Ley 139-97, which
// moves five holidays to a Monday (Tuesday and Wednesday to the one before,
// Thursday to Sunday to the one after); 16 August stays in place in the
// years a president takes office (2024, 2028…).
func dominicanRepublic() []*cal.Holiday {
	restoration := &cal.Holiday{Name: "Día de la Restauración", Type: cal.ObservancePublic, Func: func(_ *cal.Holiday, year int) time.Time {
		t := time.Date(year, time.August, 16, 0, 0, 0, 0, cal.DefaultLoc)
		if year >= 1996 && (year-1996)%4 == 0 {
			return t
		}
		for _, alt := range nearestMonday() {
			if alt.Day == t.Weekday() {
				return t.AddDate(0, 0, alt.Offset)
			}
		}
		return t
	}}
	return []*cal.Holiday{
		day("Año Nuevo", time.January, 1),
		movedDay("Día de los Santos Reyes", time.January, 6, nearestMonday()),
		day("Día de la Altagracia", time.January, 21),
		movedDay("Día de Duarte", time.January, 26, nearestMonday()),
		day("Día de la Independencia", time.February, 27),
		feast(aa.GoodFriday, "Viernes Santo"),
		movedDay("Día del Trabajo", time.May, 1, nearestMonday()),
		feast(aa.CorpusChristi, "Corpus Christi"),
		restoration,
		day("Día de las Mercedes", time.September, 24),
		movedDay("Día de la Constitución", time.November, 6, nearestMonday()),
		day("Navidad", time.December, 25),
	}
}

// guatemala follows the Código de Trabajo (art. 127). Decreto 19-2018
// moves 30 June (Día del Ejército) to a Monday, as nearestMonday does. The
// afternoons of 24 and 31 December are days off by law; a calendar has no
// half days, so they count as working days.
func guatemala() []*cal.Holiday {
	return []*cal.Holiday{
		day("Año Nuevo", time.January, 1),
		feast(aa.MaundyThursday, "Jueves Santo"),
		feast(aa.GoodFriday, "Viernes Santo"),
		holySaturday(),
		day("Día del Trabajo", time.May, 1),
		movedDay("Día del Ejército", time.June, 30, nearestMonday()),
		day("Día de la Independencia", time.September, 15),
		day("Día de la Revolución", time.October, 20),
		day("Todos los Santos", time.November, 1),
		day("Navidad", time.December, 25),
	}
}

// latinAmerica maps the codes above to their lists, built per call.
func latinAmerica(country string) ([]*cal.Holiday, bool) {
	build, ok := map[string]func() []*cal.Holiday{
		"BO": bolivia, "CL": chile, "CR": costaRica, "DO": dominicanRepublic, "EC": ecuador,
		"GT": guatemala, "PA": panama, "PY": paraguay, "UY": uruguay,
	}[country]
	if !ok {
		return nil, false
	}
	return build(), true
}

// latinAmericaCountries are the codes latinAmerica knows, for Countries.
func latinAmericaCountries() []string {
	return []string{"BO", "CL", "CR", "DO", "EC", "GT", "PA", "PY", "UY"}
}
