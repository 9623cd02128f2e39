package webform

import "strings"

// words are the snippet's texts in English, Spanish and Portuguese.
type words struct{ en, es, pt string }

func (w words) in(lang string) string {
	switch lang {
	case "es":
		return w.es
	case "pt":
		return w.pt
	}
	return w.en
}

// labels are the visible labels of the lead fields.
var labels = map[string]words{
	"person.name":       {"Full name", "Nombre completo", "Nome completo"},
	"person.first_name": {"First name", "Nombre", "Nome"},
	"person.last_name":  {"Last name", "Apellidos", "Sobrenome"},
	"person.email":      {"Work email", "Correo electrónico", "E-mail"},
	"person.phone":      {"Phone", "Teléfono", "Telefone"},
	"person.title":      {"Job title", "Cargo", "Cargo"},
	"person.seniority":  {"Level", "Nivel del cargo", "Nível do cargo"},
	"person.department": {"Department", "Área", "Departamento"},
	"person.country":    {"Country", "País", "País"},
	"person.region":     {"State or region", "Departamento o estado", "Estado"},
	"person.city":       {"City", "Ciudad", "Cidade"},
	"person.language":   {"Language", "Idioma", "Idioma"},
	"company.name":      {"Company", "Empresa", "Empresa"},
	"company.domain":    {"Company website", "Sitio web de la empresa", "Site da empresa"},
	"company.industry":  {"Industry", "Sector", "Setor"},
	"company.employees": {"Employees", "Número de empleados", "Número de funcionários"},
	"company.revenue":   {"Annual revenue", "Ingresos anuales", "Faturamento anual"},
	"company.country":   {"Company country", "País de la empresa", "País da empresa"},
	// Free text most forms have, so its label follows lang too.
	"action.props.message":  {"Message", "Mensaje", "Mensagem"},
	"action.props.comments": {"Comments", "Comentarios", "Comentários"},
}

// seniorityLabels label the options of the seniority select.
var seniorityLabels = map[string]words{
	"intern":   {"Intern", "Practicante", "Estagiário"},
	"staff":    {"Staff", "Analista o asistente", "Analista ou assistente"},
	"senior":   {"Senior specialist", "Especialista", "Especialista"},
	"manager":  {"Manager", "Jefe o gerente de área", "Gerente ou coordenador"},
	"director": {"Director", "Director", "Diretor"},
	"vp":       {"Vice president", "Vicepresidente", "Vice-presidente"},
	"svp":      {"Senior vice president", "Vicepresidente ejecutivo", "Vice-presidente executivo"},
	"c_level":  {"C-level", "Presidencia o gerencia general", "Presidência ou diretoria geral"},
	"owner":    {"Owner or founder", "Dueño o socio", "Dono ou sócio"},
}

// employeeRanges are the options of the employees select; Map reads the
// lower bound.
var employeeRanges = []string{"1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"}

var (
	wordSubmit   = words{"Send", "Enviar", "Enviar"}
	wordChoose   = words{"Choose…", "Elige…", "Escolha…"}
	wordHoneypot = words{"Leave this field empty", "Deja este campo vacío", "Deixe este campo vazio"}
)

// autocomplete gives browsers the hint to fill in what they know.
var autocomplete = map[string]string{
	"person.name": "name", "person.first_name": "given-name", "person.last_name": "family-name",
	"person.email": "email", "person.phone": "tel", "person.title": "organization-title",
	"company.name": "organization", "person.country": "country-name", "person.region": "address-level1",
	"person.city": "address-level2", "company.domain": "url",
}

// textareaKeys are action.props keys that get a textarea: free text.
var textareaKeys = map[string]bool{
	"message": true, "mensaje": true, "mensagem": true, "comments": true, "comentarios": true,
	"notes": true, "notas": true, "observaciones": true, "observacoes": true, "details": true, "detalles": true,
}

// snippetLang reduces a language tag ("es-CO", "pt_BR") to en, es or pt.
func snippetLang(lang string) string {
	l := strings.ToLower(lang)
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	switch l {
	case "es", "pt":
		return l
	}
	return "en"
}

// humanize turns a map key into a label: "budget_range" → "Budget range".
func humanize(key string) string {
	s := strings.ReplaceAll(key, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
