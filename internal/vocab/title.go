package vocab

import (
	"strings"
	"sync"
)

// titleSeniority is how a job title says its level, most specific first:
// "Senior Vice President" is svp before it is vp, "Vice President" is vp
// before "President" is c_level, "Gerente General" is c_level before
// "Gerente" is manager. Phrases are folded (see Fold) and match whole words.
var titleSeniority = []struct{ phrase, code string }{
	{"senior vice president", "svp"}, {"executive vice president", "svp"}, {"svp", "svp"}, {"evp", "svp"},
	{"vicepresidente ejecutivo", "svp"}, {"vice presidente executivo", "svp"},
	{"vice president", "vp"}, {"vicepresident", "vp"}, {"vicepresidente", "vp"}, {"vicepresidenta", "vp"},
	{"vice presidente", "vp"}, {"vice presidenta", "vp"}, {"vp", "vp"},
	{"chief", "c_level"}, {"ceo", "c_level"}, {"cfo", "c_level"}, {"coo", "c_level"}, {"cto", "c_level"},
	{"cmo", "c_level"}, {"cio", "c_level"}, {"cro", "c_level"}, {"cso", "c_level"}, {"cco", "c_level"},
	{"gerente general", "c_level"}, {"director general", "c_level"}, {"directora general", "c_level"},
	{"diretor geral", "c_level"}, {"diretora geral", "c_level"}, {"diretor presidente", "c_level"},
	{"managing director", "c_level"}, {"general manager", "c_level"}, {"president", "c_level"},
	{"presidente", "c_level"}, {"presidenta", "c_level"},
	{"owner", "owner"}, {"founder", "owner"}, {"co founder", "owner"}, {"cofounder", "owner"}, {"fundador", "owner"},
	{"fundadora", "owner"}, {"dueno", "owner"}, {"duena", "owner"}, {"propietario", "owner"}, {"propietaria", "owner"},
	{"proprietario", "owner"}, {"entrepreneur", "owner"}, {"emprendedor", "owner"}, {"emprendedora", "owner"},
	{"empreendedor", "owner"}, {"empreendedora", "owner"}, {"self employed", "owner"}, {"autonomo", "owner"},
	{"autonoma", "owner"}, {"socio", "owner"}, {"socia", "owner"}, {"partner", "owner"},
	{"director", "director"}, {"directora", "director"}, {"diretor", "director"}, {"diretora", "director"},
	{"head", "director"}, {"jefe de area", "director"},
	{"manager", "manager"}, {"gerente", "manager"}, {"jefe", "manager"}, {"jefa", "manager"}, {"gestor", "manager"},
	{"gestora", "manager"}, {"coordinador", "manager"}, {"coordinadora", "manager"}, {"coordenador", "manager"},
	{"coordenadora", "manager"}, {"supervisor", "manager"}, {"supervisora", "manager"}, {"team lead", "manager"},
	{"lead", "manager"}, {"lider", "manager"}, {"management", "manager"}, {"gerencia", "manager"}, {"gestao", "manager"},
	{"intern", "intern"}, {"internship", "intern"}, {"practicante", "intern"}, {"pasante", "intern"},
	{"becario", "intern"}, {"estagiario", "intern"}, {"estagiaria", "intern"}, {"trainee", "intern"},
	{"student", "student"}, {"estudiante", "student"}, {"estudante", "student"}, {"alumno", "student"}, {"aluno", "student"},
	{"senior", "senior"}, {"sr", "senior"}, {"especialista", "senior"}, {"specialist", "senior"}, {"principal", "senior"},
	{"analyst", "staff"}, {"analista", "staff"}, {"assistant", "staff"}, {"asistente", "staff"}, {"assistente", "staff"},
	{"engineer", "staff"}, {"ingeniero", "staff"}, {"ingeniera", "staff"}, {"engenheiro", "staff"},
	{"engenheira", "staff"}, {"associate", "staff"}, {"auxiliar", "staff"}, {"tecnico", "staff"}, {"technician", "staff"},
	{"representative", "staff"}, {"ejecutivo", "staff"}, {"ejecutiva", "staff"}, {"consultor", "staff"},
	{"consultora", "staff"}, {"consultant", "staff"},
}

// titleDepartment is how a job title names its department, first match
// wins. "Chief Revenue Officer" is sales, "Head of Lab" research, "CEO"
// executive.
var titleDepartment = []struct{ phrase, code string }{
	{"revenue", "sales"}, {"sales", "sales"}, {"ventas", "sales"}, {"vendas", "sales"}, {"comercial", "sales"},
	{"commercial", "sales"}, {"business development", "sales"}, {"desarrollo de negocios", "sales"},
	{"account", "sales"}, {"cro", "sales"},
	{"marketing", "marketing"}, {"mercadeo", "marketing"}, {"mercadotecnia", "marketing"}, {"cmo", "marketing"},
	{"growth", "marketing"}, {"brand", "marketing"}, {"marca", "marketing"},
	{"purchasing", "purchasing"}, {"procurement", "purchasing"}, {"compras", "purchasing"}, {"buyer", "purchasing"},
	{"comprador", "purchasing"}, {"compradora", "purchasing"}, {"abastecimiento", "purchasing"},
	{"suprimentos", "purchasing"}, {"sourcing", "purchasing"},
	{"finance", "finance"}, {"financial", "finance"}, {"finanzas", "finance"}, {"financas", "finance"},
	{"financiero", "finance"}, {"financiera", "finance"}, {"financeiro", "finance"}, {"financeira", "finance"},
	{"cfo", "finance"}, {"accounting", "finance"}, {"contabilidad", "finance"}, {"contabilidade", "finance"},
	{"controller", "finance"}, {"tesorero", "finance"}, {"treasurer", "finance"},
	{"lab", "research"}, {"laboratory", "research"}, {"laboratorio", "research"}, {"research", "research"},
	{"investigacion", "research"}, {"pesquisa", "research"}, {"r&d", "research"}, {"i+d", "research"},
	{"p&d", "research"}, {"scientist", "research"}, {"cientifico", "research"}, {"cientifica", "research"},
	{"science", "research"}, {"scientific", "research"},
	{"quality", "quality"}, {"calidad", "quality"}, {"qualidade", "quality"}, {"qa", "quality"}, {"qc", "quality"},
	{"regulatory", "quality"}, {"regulatorio", "quality"}, {"regulatorios", "quality"},
	{"it", "it"}, {"ti", "it"}, {"cio", "it"}, {"cto", "it"}, {"technology", "it"}, {"tecnologia", "it"},
	{"sistemas", "it"}, {"informatica", "it"}, {"information", "it"},
	{"engineering", "engineering"}, {"ingenieria", "engineering"}, {"engenharia", "engineering"},
	{"engineer", "engineering"}, {"ingeniero", "engineering"}, {"engenheiro", "engineering"}, {"product", "engineering"},
	{"operations", "operations"}, {"operaciones", "operations"}, {"operacoes", "operations"}, {"coo", "operations"},
	{"manufacturing", "operations"}, {"produccion", "operations"}, {"producao", "operations"}, {"plant", "operations"},
	{"planta", "operations"}, {"supply chain", "operations"}, {"logistics", "operations"}, {"logistica", "operations"},
	{"ops", "operations"},
	{"human resources", "hr"}, {"recursos humanos", "hr"}, {"rrhh", "hr"}, {"rh", "hr"}, {"hr", "hr"},
	{"people", "hr"}, {"talent", "hr"}, {"talento", "hr"},
	{"legal", "legal"}, {"juridico", "legal"}, {"counsel", "legal"}, {"abogado", "legal"}, {"advogado", "legal"},
	{"compliance", "legal"},
	{"support", "customer_service"}, {"soporte", "customer_service"}, {"suporte", "customer_service"},
	{"customer", "customer_service"}, {"atencion al cliente", "customer_service"}, {"atendimento", "customer_service"},
	// Last: "Senior Vice President, Sales" is in sales.
	{"chief executive", "executive"}, {"ceo", "executive"}, {"gerente general", "executive"},
	{"director general", "executive"}, {"diretor geral", "executive"}, {"general manager", "executive"},
	{"managing director", "executive"}, {"owner", "executive"}, {"founder", "executive"}, {"presidente", "executive"},
	{"president", "executive"},
}

// FromTitle infers the seniority and department a job title says:
// "VP Operations" is vp in operations, "Gerente de Compras" manager in
// purchasing, "Diretora Comercial" director in sales. Either is "" when
// the title does not say.
func FromTitle(title string) (seniority, department string) {
	k := Fold(title)
	if k == "" {
		return "", ""
	}
	idx := titleIndexes()
	return idx.seniority.find(k), idx.department.find(k)
}

// phraseIndex finds the first phrase of a list (in list order) that a
// folded title contains as whole words, looking only at the phrases that
// start with each of the title's words.
type phraseIndex struct {
	list    []struct{ phrase, code string }
	byFirst map[string][]int // first word → positions in list
}

func newPhraseIndex(list []struct{ phrase, code string }) phraseIndex {
	pi := phraseIndex{list: list, byFirst: map[string][]int{}}
	for i, p := range list {
		first, _, _ := strings.Cut(p.phrase, " ")
		pi.byFirst[first] = append(pi.byFirst[first], i)
	}
	return pi
}

func (pi phraseIndex) find(k string) string {
	best := len(pi.list)
	for rest := k; rest != ""; {
		word, after, _ := strings.Cut(rest, " ")
		for _, i := range pi.byFirst[word] {
			if i < best {
				p := pi.list[i].phrase
				if strings.HasPrefix(rest, p) && (len(rest) == len(p) || rest[len(p)] == ' ') {
					best = i
				}
			}
		}
		rest = after
	}
	if best == len(pi.list) {
		return ""
	}
	return pi.list[best].code
}

// titleIndexes indexes the title phrases once per process.
var titleIndexes = sync.OnceValue(func() struct{ seniority, department phraseIndex } {
	return struct{ seniority, department phraseIndex }{newPhraseIndex(titleSeniority), newPhraseIndex(titleDepartment)}
})
