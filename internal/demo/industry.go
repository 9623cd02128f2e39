package demo

// word is an industry word in a company name ("Laboratorios", "Foods")
// and the part of the domain it becomes; before puts that part in front of
// the root ("ualtamira.edu.co") instead of after it ("redwoodfoods.com").
type word struct {
	text, dom string
	before    bool
}

// industry holds what differs by industry: how common it is among
// inquiries, how big and how rich its companies are, how well it fits the
// ideal customer of the seed 002 instrument maker (life sciences first),
// and how its companies are named.
type industry struct {
	code      string
	share     float64
	empMedian float64 // employees, median
	revPerEmp float64 // US dollars of revenue per employee in the US
	fit       float64 // contribution to the hidden fit behind outcomes
	words     [numLocales][]word
}

// Industry indexes into industries, for the special cases.
const (
	indEducation  = 5
	indGovernment = 9
)

var industries = []industry{
	{code: "life_sciences", share: 12, empMedian: 300, revPerEmp: 380e3, fit: 1.2, words: [numLocales][]word{
		es: {{"Biociencias", "bio", false}, {"Laboratorios", "labs", false}, {"Diagnósticos", "diagnosticos", false}},
		pt: {{"Biociências", "bio", false}, {"Laboratórios", "labs", false}, {"Diagnósticos", "diagnosticos", false}},
		en: {{"Biosciences", "bio", false}, {"Life Sciences", "lifesciences", false}, {"Diagnostics", "dx", false}, {"Labs", "labs", false}},
		fr: {{"Biosciences", "bio", false}, {"Laboratoires", "labs", false}}}},
	{code: "pharma", share: 10, empMedian: 400, revPerEmp: 450e3, fit: 0.8, words: [numLocales][]word{
		es: {{"Farmacéutica", "farma", false}, {"Laboratorios Farmacéuticos", "farmaceutica", false}},
		pt: {{"Farmacêutica", "farma", false}, {"Medicamentos", "medicamentos", false}},
		en: {{"Pharma", "pharma", false}, {"Pharmaceuticals", "pharmaceuticals", false}, {"Therapeutics", "tx", false}},
		fr: {{"Pharma", "pharma", false}}}},
	{code: "food", share: 14, empMedian: 250, revPerEmp: 300e3, fit: 0.5, words: [numLocales][]word{
		es: {{"Alimentos", "alimentos", false}, {"Lácteos", "lacteos", false}, {"Bebidas", "bebidas", false}},
		pt: {{"Alimentos", "alimentos", false}, {"Laticínios", "laticinios", false}, {"Bebidas", "bebidas", false}},
		en: {{"Foods", "foods", false}, {"Dairy", "dairy", false}, {"Beverages", "beverages", false}},
		fr: {{"Aliments", "aliments", false}, {"Laiterie", "laiterie", false}}}},
	{code: "manufacturing", share: 16, empMedian: 200, revPerEmp: 280e3, fit: 0.2, words: [numLocales][]word{
		es: {{"Industrias", "industrias", false}, {"Manufacturas", "manufacturas", false}, {"Plásticos", "plasticos", false}},
		pt: {{"Indústrias", "industrias", false}, {"Metalúrgica", "metalurgica", false}, {"Plásticos", "plasticos", false}},
		en: {{"Manufacturing", "mfg", false}, {"Industries", "industries", false}, {"Plastics", "plastics", false}},
		fr: {{"Industries", "industries", false}}}},
	{code: "retail", share: 10, empMedian: 350, revPerEmp: 220e3, fit: -0.3, words: [numLocales][]word{
		es: {{"Almacenes", "almacenes", false}, {"Supermercados", "super", false}, {"Comercializadora", "comercial", false}},
		pt: {{"Supermercados", "super", false}, {"Lojas", "lojas", false}, {"Comércio", "comercio", false}},
		en: {{"Stores", "stores", false}, {"Markets", "markets", false}, {"Retail", "retail", false}},
		fr: {{"Marchés", "marches", false}}}},
	{code: "education", share: 9, empMedian: 600, revPerEmp: 110e3, fit: -0.6, words: [numLocales][]word{
		es: {{"Universidad", "u", true}, {"Colegio", "colegio", true}, {"Instituto", "instituto", true}},
		pt: {{"Universidade", "uni", true}, {"Faculdade", "fac", true}, {"Colégio", "colegio", true}},
		en: {{"University", "", false}, {"College", "college", false}, {"Institute", "institute", false}},
		fr: {{"Université", "u", true}, {"Collège", "college", true}}}},
	{code: "software", share: 9, empMedian: 120, revPerEmp: 250e3, fit: -0.2, words: [numLocales][]word{
		es: {{"Software", "soft", false}, {"Tecnología", "tech", false}, {"Sistemas", "sistemas", false}},
		pt: {{"Tecnologia", "tech", false}, {"Software", "software", false}, {"Sistemas", "sistemas", false}},
		en: {{"Software", "software", false}, {"Systems", "systems", false}, {"Technologies", "tech", false}},
		fr: {{"Technologies", "tech", false}, {"Logiciels", "logiciels", false}}}},
	{code: "logistics", share: 8, empMedian: 250, revPerEmp: 230e3, fit: 0.1, words: [numLocales][]word{
		es: {{"Logística", "logistica", false}, {"Transportes", "transportes", false}, {"Cadena de Frío", "frio", false}},
		pt: {{"Logística", "log", false}, {"Transportes", "transportes", false}},
		en: {{"Logistics", "logistics", false}, {"Freight", "freight", false}, {"Cold Chain", "coldchain", false}},
		fr: {{"Logistique", "logistique", false}, {"Transport", "transport", false}}}},
	{code: "energy", share: 6, empMedian: 500, revPerEmp: 650e3, fit: 0, words: [numLocales][]word{
		es: {{"Energía", "energia", false}, {"Petróleos", "petroleos", false}, {"Gas", "gas", false}},
		pt: {{"Energia", "energia", false}, {"Petróleo", "petroleo", false}},
		en: {{"Energy", "energy", false}, {"Power", "power", false}, {"Oil & Gas", "oilgas", false}},
		fr: {{"Énergie", "energie", false}, {"Hydro", "hydro", false}}}},
	// Government names come from govNames, not from words and roots.
	{code: "government", share: 6, empMedian: 900, fit: -0.4},
}

// govName is a public body: its name with %s for the city and the domain
// label with %s for the folded city.
type govName struct{ name, dom string }

var govNames = [numLocales][]govName{
	es: {{"Secretaría de Salud de %s", "salud%s"}, {"Alcaldía de %s", "alcaldia%s"}, {"Hospital Público de %s", "hospital%s"},
		{"Secretaría de Agricultura de %s", "agricultura%s"}},
	pt: {{"Prefeitura de %s", "prefeitura%s"}, {"Secretaria de Saúde de %s", "saude%s"}, {"Hospital Municipal de %s", "hospital%s"}},
	en: {{"City of %s", "%s"}, {"%s Public Health Department", "%shealth"}, {"%s Water Authority", "%swater"}},
	fr: {{"Ville de %s", "ville%s"}, {"Santé publique %s", "sante%s"}},
}

// industryShares weights industries for pick.
var industryShares = func() []w[int] {
	t := make([]w[int], len(industries))
	for i, ind := range industries {
		t[i] = w[int]{i, ind.share}
	}
	return t
}()
