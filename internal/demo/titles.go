package demo

// Seniority levels (lead.Person.Seniority).
const (
	senStaff    = "staff"
	senManager  = "manager"
	senDirector = "director"
	senVP       = "vp"
	senSVP      = "svp"
	senCLevel   = "c_level"
	senOwner    = "owner"
	senStudent  = "student"
)

// dept is a department: its code (lead.Person.Department) and its name in
// each locale, for titles.
type dept struct {
	code  string
	names [numLocales]string
	share float64
}

var depts = []dept{
	{"quality", [numLocales]string{"Calidad", "Qualidade", "Quality", "Qualité"}, 20},
	{"operations", [numLocales]string{"Operaciones", "Operações", "Operations", "Opérations"}, 15},
	{"procurement", [numLocales]string{"Compras", "Compras", "Procurement", "Approvisionnement"}, 12},
	{"lab", [numLocales]string{"Laboratorio", "Laboratório", "Laboratory", "Laboratoire"}, 12},
	{"production", [numLocales]string{"Producción", "Produção", "Production", "Production"}, 10},
	{"maintenance", [numLocales]string{"Mantenimiento", "Manutenção", "Maintenance", "Maintenance"}, 6},
	{"logistics", [numLocales]string{"Logística", "Logística", "Supply Chain", "Logistique"}, 6},
	{"it", [numLocales]string{"Tecnología", "TI", "IT", "TI"}, 5},
	{"finance", [numLocales]string{"Finanzas", "Finanças", "Finance", "Finances"}, 4},
	{"research", [numLocales]string{"Investigación y Desarrollo", "P&D", "R&D", "Recherche"}, 6},
	{"marketing", [numLocales]string{"Marketing", "Marketing", "Marketing", "Marketing"}, 3},
	{"hr", [numLocales]string{"Recursos Humanos", "Recursos Humanos", "Human Resources", "Ressources humaines"}, 1},
}

var deptShares = func() []w[int] {
	t := make([]w[int], len(depts))
	for i, d := range depts {
		t[i] = w[int]{i, d.share}
	}
	return t
}()

// titles[locale][seniority] are job titles, [male, female] where the
// language inflects them; %s is the department. Titles without %s belong
// to the whole company (CEO, owner) or to nobody's department (student).
var titles = [numLocales]map[string][][2]string{
	es: {
		senStaff: {{"Analista de %s", "Analista de %s"}, {"Coordinador de %s", "Coordinadora de %s"}, {"Ingeniero de %s", "Ingeniera de %s"},
			{"Técnico de %s", "Técnica de %s"}, {"Asistente de %s", "Asistente de %s"}, {"Profesional de %s", "Profesional de %s"}},
		senManager:  {{"Gerente de %s", "Gerente de %s"}, {"Jefe de %s", "Jefa de %s"}, {"Líder de %s", "Líder de %s"}},
		senDirector: {{"Director de %s", "Directora de %s"}, {"Director Nacional de %s", "Directora Nacional de %s"}},
		senVP:       {{"Vicepresidente de %s", "Vicepresidenta de %s"}},
		senSVP:      {{"Vicepresidente Ejecutivo de %s", "Vicepresidenta Ejecutiva de %s"}, {"Vicepresidente Senior de %s", "Vicepresidenta Senior de %s"}},
		senCLevel: {{"Gerente General", "Gerente General"}, {"Director General", "Directora General"}, {"CEO", "CEO"},
			{"Director Financiero", "Directora Financiera"}, {"Director de Operaciones (COO)", "Directora de Operaciones (COO)"}},
		senOwner:   {{"Propietario", "Propietaria"}, {"Fundador", "Fundadora"}, {"Socio Fundador", "Socia Fundadora"}, {"Dueño", "Dueña"}},
		senStudent: {{"Estudiante", "Estudiante"}, {"Estudiante de Ingeniería", "Estudiante de Ingeniería"}, {"Practicante", "Practicante"}, {"Tesista de Maestría", "Tesista de Maestría"}},
	},
	pt: {
		senStaff: {{"Analista de %s", "Analista de %s"}, {"Coordenador de %s", "Coordenadora de %s"}, {"Engenheiro de %s", "Engenheira de %s"},
			{"Técnico de %s", "Técnica de %s"}, {"Assistente de %s", "Assistente de %s"}},
		senManager:  {{"Gerente de %s", "Gerente de %s"}, {"Supervisor de %s", "Supervisora de %s"}},
		senDirector: {{"Diretor de %s", "Diretora de %s"}},
		senVP:       {{"Vice-presidente de %s", "Vice-presidente de %s"}},
		senSVP:      {{"Vice-presidente Executivo de %s", "Vice-presidente Executiva de %s"}},
		senCLevel: {{"CEO", "CEO"}, {"Diretor-Presidente", "Diretora-Presidente"}, {"Diretor Financeiro (CFO)", "Diretora Financeira (CFO)"},
			{"Diretor de Operações (COO)", "Diretora de Operações (COO)"}},
		senOwner:   {{"Sócio-Proprietário", "Sócia-Proprietária"}, {"Fundador", "Fundadora"}, {"Proprietário", "Proprietária"}},
		senStudent: {{"Estudante", "Estudante"}, {"Estagiário", "Estagiária"}, {"Mestrando", "Mestranda"}},
	},
	en: {
		senStaff: {{"%s Analyst", ""}, {"%s Specialist", ""}, {"%s Technician", ""}, {"%s Engineer", ""}, {"%s Coordinator", ""},
			{"Senior %s Associate", ""}},
		senManager:  {{"%s Manager", ""}, {"Senior %s Manager", ""}, {"%s Lead", ""}},
		senDirector: {{"Director of %s", ""}, {"%s Director", ""}, {"Senior Director, %s", ""}},
		senVP:       {{"VP %s", ""}, {"VP of %s", ""}, {"Vice President, %s", ""}},
		senSVP:      {{"SVP %s", ""}, {"Senior Vice President, %s", ""}, {"EVP %s", ""}},
		senCLevel: {{"CEO", ""}, {"COO", ""}, {"CFO", ""}, {"CTO", ""}, {"Chief Quality Officer", ""}, {"Chief Scientific Officer", ""},
			{"Chief Operating Officer", ""}},
		senOwner:   {{"Owner", ""}, {"Founder", ""}, {"Co-founder", ""}, {"President & Owner", ""}},
		senStudent: {{"Student", ""}, {"Graduate Student", ""}, {"PhD Candidate", ""}, {"Intern", ""}},
	},
	fr: {
		senStaff:    {{"Analyste, %s", "Analyste, %s"}, {"Technicien, %s", "Technicienne, %s"}, {"Ingénieur, %s", "Ingénieure, %s"}},
		senManager:  {{"Gestionnaire, %s", "Gestionnaire, %s"}, {"Chef, %s", "Cheffe, %s"}},
		senDirector: {{"Directeur, %s", "Directrice, %s"}},
		senVP:       {{"Vice-président, %s", "Vice-présidente, %s"}},
		senSVP:      {{"Vice-président principal, %s", "Vice-présidente principale, %s"}},
		senCLevel:   {{"Président-directeur général", "Présidente-directrice générale"}, {"Chef de la direction financière", "Cheffe de la direction financière"}},
		senOwner:    {{"Propriétaire", "Propriétaire"}, {"Fondateur", "Fondatrice"}},
		senStudent:  {{"Étudiant", "Étudiante"}, {"Stagiaire", "Stagiaire"}},
	},
}

// seniorityShares depend on company size (a 20-person company is run by
// its owner and has no SVPs) and industry (students come from
// universities).
func seniorityShares(employees, ind int) []w[string] {
	t := []w[string]{{senStaff, 32}, {senManager, 24}, {senDirector, 14}, {senVP, 6}, {senSVP, 2},
		{senCLevel, 6}, {senOwner, 2}, {senStudent, 1.5}}
	if employees < 50 {
		t[3].weight, t[4].weight, t[5].weight, t[6].weight = 1, 0, 10, 18
	}
	if ind == indEducation {
		t[6].weight, t[7].weight = 0, 30
	}
	return t
}

// fitOfSeniority is the seniority's contribution to the hidden fit: seed
// 002's ideal contact is VP or more senior.
var fitOfSeniority = map[string]float64{
	senStaff: -0.4, senManager: 0.1, senDirector: 0.5, senVP: 0.9, senSVP: 1.0, senCLevel: 1.0, senOwner: 0.3, senStudent: -2.0,
}
