package demo

// locale selects names, titles and company words.
type locale uint8

const (
	es locale = iota // Spanish: Colombia, Mexico, Argentina, Chile, Peru, Spain
	pt               // Brazilian Portuguese
	en               // English: US, Canada
	fr               // Quebec French
	numLocales
)

// langOf is the ISO 639-1 code written into person.language.
var langOf = [numLocales]string{es: "es", pt: "pt", en: "en", fr: "fr"}

// country is what the generator knows about one market.
type country struct {
	code     string  // ISO 3166-1 alpha-2
	currency string  // ISO 4217
	perUSD   float64 // local units per US dollar, 2026 order of magnitude
	loc      locale
	share    float64 // share of inquiries, relative
	// utcOffset (hours) shapes submission times to local working hours;
	// daylight saving is ignored, a one-hour error is fine for demo data.
	utcOffset int
	// revFactor scales revenue per employee relative to the US: a
	// 1,000-person Colombian manufacturer bills far less than an American one.
	revFactor float64
	tlds      []string // company domain suffixes, most common first
	govTLD    string
	eduTLD    string
	legal     []string // legal-form suffixes of company names
	cities    []city
	// phonePlan formats a number; see phone.go.
	phone phonePlan
}

// city is a place with its telephone area code (landlines) and, where it
// differs from the country's, its locale.
type city struct {
	name, region string
	area         string
	loc          locale
}

// countries are the markets Pista's users sell in. Shares follow the seed
// authors' markets: Colombia, Mexico and Brazil first, then North America.
var countries = []country{
	{code: "CO", currency: "COP", perUSD: 4000, loc: es, share: 18, utcOffset: -5, revFactor: 0.35,
		tlds: []string{".com.co", ".com.co", ".co", ".com"}, govTLD: ".gov.co", eduTLD: ".edu.co",
		legal: []string{"S.A.S.", "S.A.S.", "S.A.", "Ltda."}, phone: planCO,
		cities: []city{{"Bogotá", "Cundinamarca", "601", es}, {"Medellín", "Antioquia", "604", es}, {"Cali", "Valle del Cauca", "602", es},
			{"Barranquilla", "Atlántico", "605", es}, {"Bucaramanga", "Santander", "607", es}}},
	{code: "MX", currency: "MXN", perUSD: 18.5, loc: es, share: 18, utcOffset: -6, revFactor: 0.4,
		tlds: []string{".com.mx", ".com.mx", ".mx", ".com"}, govTLD: ".gob.mx", eduTLD: ".edu.mx",
		legal: []string{"S.A. de C.V.", "S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I. de C.V."}, phone: planMX,
		cities: []city{{"Ciudad de México", "CDMX", "55", es}, {"Guadalajara", "Jalisco", "33", es}, {"Monterrey", "Nuevo León", "81", es},
			{"Puebla", "Puebla", "222", es}, {"Querétaro", "Querétaro", "442", es}}},
	{code: "BR", currency: "BRL", perUSD: 5.5, loc: pt, share: 16, utcOffset: -3, revFactor: 0.4,
		tlds: []string{".com.br", ".com.br", ".com.br", ".com"}, govTLD: ".gov.br", eduTLD: ".edu.br",
		legal: []string{"Ltda.", "Ltda.", "S.A.", "S/A"}, phone: planBR,
		cities: []city{{"São Paulo", "SP", "11", pt}, {"Rio de Janeiro", "RJ", "21", pt}, {"Belo Horizonte", "MG", "31", pt},
			{"Curitiba", "PR", "41", pt}, {"Porto Alegre", "RS", "51", pt}, {"Campinas", "SP", "19", pt}, {"Recife", "PE", "81", pt}}},
	{code: "AR", currency: "ARS", perUSD: 1300, loc: es, share: 6, utcOffset: -3, revFactor: 0.35,
		tlds: []string{".com.ar", ".com.ar", ".com"}, govTLD: ".gob.ar", eduTLD: ".edu.ar",
		legal: []string{"S.A.", "S.A.", "S.R.L.", "S.A.U."}, phone: planAR,
		cities: []city{{"Buenos Aires", "CABA", "11", es}, {"Córdoba", "Córdoba", "351", es}, {"Rosario", "Santa Fe", "341", es},
			{"Mendoza", "Mendoza", "261", es}}},
	{code: "CL", currency: "CLP", perUSD: 950, loc: es, share: 6, utcOffset: -4, revFactor: 0.45,
		tlds: []string{".cl", ".cl", ".com"}, govTLD: ".gob.cl", eduTLD: ".cl",
		legal: []string{"S.A.", "SpA", "Ltda."}, phone: planCL,
		cities: []city{{"Santiago", "Región Metropolitana", "2", es}, {"Valparaíso", "Valparaíso", "32", es}, {"Concepción", "Biobío", "41", es},
			{"Antofagasta", "Antofagasta", "55", es}}},
	{code: "PE", currency: "PEN", perUSD: 3.7, loc: es, share: 5, utcOffset: -5, revFactor: 0.3,
		tlds: []string{".com.pe", ".pe", ".com"}, govTLD: ".gob.pe", eduTLD: ".edu.pe",
		legal: []string{"S.A.C.", "S.A.C.", "S.A.", "E.I.R.L."}, phone: planPE,
		cities: []city{{"Lima", "Lima", "1", es}, {"Arequipa", "Arequipa", "54", es}, {"Trujillo", "La Libertad", "44", es}}},
	{code: "US", currency: "USD", perUSD: 1, loc: en, share: 17, utcOffset: -5, revFactor: 1,
		tlds: []string{".com", ".com", ".com", ".io"}, govTLD: ".gov", eduTLD: ".edu",
		legal: []string{"Inc.", "Inc.", "LLC", "Corp."}, phone: planNANP,
		cities: []city{{"Boston", "MA", "617", en}, {"New York", "NY", "212", en}, {"San Diego", "CA", "858", en},
			{"San Francisco", "CA", "415", en}, {"Chicago", "IL", "312", en}, {"Houston", "TX", "713", en},
			{"Raleigh", "NC", "919", en}, {"Seattle", "WA", "206", en}, {"Philadelphia", "PA", "215", en},
			{"Minneapolis", "MN", "612", en}, {"Newark", "NJ", "973", en}, {"Atlanta", "GA", "404", en}}},
	{code: "CA", currency: "CAD", perUSD: 1.38, loc: en, share: 6, utcOffset: -5, revFactor: 0.85,
		tlds: []string{".ca", ".ca", ".com"}, govTLD: ".gc.ca", eduTLD: ".ca",
		legal: []string{"Inc.", "Ltd.", "Corp."}, phone: planNANP,
		cities: []city{{"Toronto", "ON", "416", en}, {"Montréal", "QC", "514", fr}, {"Québec", "QC", "418", fr},
			{"Vancouver", "BC", "604", en}, {"Calgary", "AB", "403", en}, {"Ottawa", "ON", "613", en}, {"Mississauga", "ON", "905", en}}},
	{code: "ES", currency: "EUR", perUSD: 0.92, loc: es, share: 8, utcOffset: 1, revFactor: 0.7,
		tlds: []string{".es", ".es", ".com"}, govTLD: ".gob.es", eduTLD: ".es",
		legal: []string{"S.L.", "S.L.", "S.A."}, phone: planES,
		cities: []city{{"Madrid", "Madrid", "91", es}, {"Barcelona", "Cataluña", "93", es}, {"Valencia", "Comunidad Valenciana", "96", es},
			{"Sevilla", "Andalucía", "95", es}, {"Bilbao", "País Vasco", "94", es}}},
}

// countryShares weights the countries table for pick.
var countryShares = func() []w[int] {
	t := make([]w[int], len(countries))
	for i, c := range countries {
		t[i] = w[int]{i, c.share}
	}
	return t
}()
