package importer

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// headerFields maps header names as exports and people write them in
// Spanish, Portuguese and English, compared by squash (lower case, no
// accents, letters and digits only), to lead fields. Names with two common
// meanings ("Departamento": a department, or a region in Colombia) are
// left out on purpose: they become attributes, nothing is misfiled.
var headerFields = squashSynonyms(headerSynonyms)

var headerSynonyms = map[string][]string{
	"person.email": {"email", "e-mail", "mail", "correo", "correo electrónico", "correo corporativo", "email address",
		"e-mail address", "work email", "business email", "dirección de correo", "endereço de e-mail", "email corporativo"},
	"person.name": {"name", "full name", "nombre completo", "nome completo", "nombre y apellido", "nombres y apellidos",
		"nome e sobrenome", "contact name", "contacto", "contato", "attendee name", "participante"},
	"person.first_name": {"nombre", "nombres", "nome", "primeiro nome", "first name", "firstname", "given name", "primer nombre"},
	"person.last_name": {"apellido", "apellidos", "apellido(s)", "sobrenome", "último nome", "last name", "lastname",
		"surname", "family name"},
	"person.phone": {"teléfono", "telefono", "telefone", "tel", "celular", "móvil", "movil", "phone", "phone number",
		"mobile", "mobile phone", "cell", "cell phone", "whatsapp", "número de teléfono", "número de celular", "fone"},
	"person.title":      {"cargo", "puesto", "job title", "title", "título", "position", "posición", "role", "rol", "função"},
	"person.seniority":  {"nivel", "nível", "seniority", "level", "nivel del cargo", "nível do cargo"},
	"person.department": {"área", "department", "dept"},
	"person.country":    {"país", "country", "país de residencia"},
	"person.region":     {"estado", "state", "región", "region", "provincia", "province", "estado/provincia", "state/province"},
	"person.city":       {"ciudad", "cidade", "city", "municipio", "município", "town"},
	"person.language":   {"idioma", "language", "língua", "lengua"},
	"person.age":        {"edad", "idade", "age"},
	"person.gender":     {"género", "gênero", "sexo", "gender", "sex"},
	"person.education": {"educación", "educação", "education", "escolaridad", "escolaridade", "nivel educativo",
		"nivel de estudios", "formação"},
	"person.years_experience": {"años de experiencia", "anos de experiência", "years of experience", "experience", "experiencia"},
	"person.income":           {"salario", "salário", "salary", "income", "renda", "ingreso personal"},
	"company.name": {"empresa", "compañía", "compania", "company", "company name", "organización", "organização",
		"organization", "organisation", "nombre de la empresa", "nome da empresa", "razón social", "razão social", "account name"},
	"company.domain": {"sitio web", "website", "web", "página web", "site", "url", "dominio", "domínio", "domain",
		"company website", "site da empresa", "sitio web de la empresa"},
	"company.industry": {"industria", "industry", "sector", "setor", "segmento", "segment", "vertical", "ramo",
		"business segment", "segmento de negocio", "segmento de negócio"},
	"company.employees": {"empleados", "funcionários", "employees", "número de empleados", "número de funcionários",
		"company size", "tamaño de la empresa", "tamaño de empresa", "tamanho da empresa", "headcount",
		"employee count", "colaboradores", "number of employees"},
	"company.revenue": {"ingresos", "ingresos anuales", "faturamento", "faturamento anual", "revenue", "annual revenue",
		"ventas", "ventas anuales", "receita", "receita anual"},
	"company.country": {"país de la empresa", "país da empresa", "company country"},
	"source.campaign": {"campaña", "campanha", "campaign"},
	"source.channel": {"canal", "channel", "lead source", "source", "fuente", "origen", "origem", "origem do lead",
		"origen del lead", "lead origin", "origin", "canal de origen", "canal de origem", "medium"},
	"source.referrer": {"referido por", "indicado por", "referred by", "referrer"},
	"source.external_id": {"id", "código", "código de cliente", "customer code", "external id", "id externo", "customer id", "lead id", "contact id", "record id", "registrant id",
		"lead number", "prospect id", "prospect number", "id cliente", "id del cliente", "id do cliente", "customer number",
		"número de cliente", "número do cliente", "lead no", "id lead", "mql id", "sql id"},
	"action.type": {"acción", "ação", "action", "tipo de acción", "action type"},
	"action.at": {"fecha", "data", "date", "fecha de registro", "data de registro", "registration date",
		"fecha de asistencia", "fecha del evento", "data do evento", "event date", "join time", "attended at",
		"data de criação", "fecha de creación", "created", "created at", "created date", "creation date", "lead created date",
		"first_contact_date", "first contact date", "fecha de primer contacto", "data do primeiro contato", "data de cadastro"},
}

// weakHeaders are names that suggest a field only when no other column of
// the file names it more plainly: a CRM export with "Lead Origin" (how the
// record was made: "API", "Landing Page Submission") beside "Lead Source"
// (the channel) keeps the first as an attribute, while a file whose only
// such column is "origin" reads it as the channel.
var weakHeaders = map[string]bool{squash("lead origin"): true, squash("origin"): true, squash("origen"): true,
	squash("origem"): true, squash("medium"): true}

func squashSynonyms(synonyms map[string][]string) map[string]string {
	out := map[string]string{}
	for path, names := range synonyms {
		for _, n := range names {
			out[squash(n)] = path
		}
	}
	return out
}

// suggestFor returns the lead field a header suggests, or "".
func suggestFor(header string) string { return headerFields[squash(header)] }

// squash keeps the letters and digits of s, lower case and without
// accents, so that "Correo electrónico", "correo_electronico" and
// "CORREO-ELECTRONICO" compare equal.
func squash(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// snake turns a header into a map key: "Fecha de nacimiento" →
// "fecha_de_nacimiento", "2º apellido" → "c_2o_apellido". It returns ""
// when nothing is left.
func snake(s string) string {
	var b strings.Builder
	under := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(unicode.ToLower(r))
		default:
			under = true
		}
	}
	k := b.String()
	if k != "" && (k[0] < 'a' || k[0] > 'z') {
		k = "c_" + k
	}
	if len(k) > 64 {
		k = strings.TrimRight(k[:64], "_")
	}
	return k
}

// columnName is what a header cell that is blank is called.
func columnName(i int) string { return fmt.Sprintf("column_%d", i+1) }
