package quality

import "strings"

// roleLocals are local parts of shared mailboxes (a department, not a
// person), in Spanish, Portuguese and English, written without separators
// or digits, because "no-reply", "no_reply" and "noreply2" are one role.
// Two-letter words (rh, ti, hr) only match as the whole local part; a
// longer word also matches as the first dot/dash/underscore-separated part
// ("ventas.bogota@", "info-co@"). Words that are also given names (Ola, Ana)
// stay out.
var roleLocals = newSet(
	"info", "informacion", "informaciones", "informacoes", "informacao",
	"ventas", "venta", "vendas", "sales", "comercial", "comerciales",
	"contacto", "contactos", "contato", "contatos", "contact", "contacts",
	"contactus", "contactenos", "contactanos", "faleconosco", "escribenos",
	"admin", "administrador", "administracion", "administracao",
	"administrator", "administration",
	"noreply", "donotreply", "noresponder", "naoresponda", "noresponse",
	"support", "soporte", "suporte", "help", "helpdesk", "ayuda", "ajuda",
	"office", "oficina", "escritorio", "hello", "hola",
	"marketing", "mercadeo", "compras", "purchasing", "procurement",
	"rrhh", "rh", "hr", "recursoshumanos", "talentohumano", "gestionhumana",
	"jobs", "empleo", "empleos", "trabajo", "trabajos", "vagas",
	"curriculos", "careers", "carreras", "hiring", "seleccion",
	"billing", "facturacion", "facturas", "factura", "facturacionelectronica",
	"cobranza", "cobranzas", "cobros", "cartera", "financeiro", "finanzas",
	"finance", "contabilidad", "contabilidade", "accounting", "accounts",
	"tesoreria", "tesouraria", "pagos", "pagamentos", "payments",
	"recepcion", "recepcao", "reception", "gerencia", "direccion",
	"diretoria", "secretaria", "general",
	"webmaster", "postmaster", "hostmaster", "abuse", "root",
	"team", "equipo", "equipe",
	"servicio", "servicios", "servicioalcliente", "service", "servicos",
	"customerservice", "customercare", "atencion", "atencionalcliente",
	"atendimento", "sac", "clientes", "ouvidoria", "pqr", "pqrs", "pqrsd",
	"pedidos", "orders", "order", "cotizaciones", "cotizacion",
	"presupuestos", "orcamento", "orcamentos", "quotes",
	"reservas", "reservations", "booking", "bookings",
	"mail", "email", "correo", "newsletter", "notificaciones",
	"notifications", "notificacoes", "alerts", "enquiries", "inquiries",
	"legal", "juridico", "privacy", "privacidad", "security", "seguridad",
	"it", "ti", "sistemas", "tecnologia", "prensa", "imprensa", "press",
	"media", "comunicaciones", "logistica", "despachos", "eventos", "events",
	"feedback", "web", "website",
)

// IsRoleAddress reports whether email goes to a shared mailbox such as
// ventas@, contato@ or noreply@ rather than to a person; B2B definitions
// usually want a named contact. "+tags" and trailing digits are ignored.
func IsRoleAddress(email string) bool {
	s := trimSpace(email)
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || at > maxEmailLen {
		return false
	}
	return isRoleLocal(s[:at])
}

// isRoleLocal looks the local part up without allocating: it is folded
// into a stack buffer, once whole without separators and once as its first
// separated part.
func isRoleLocal(local string) bool {
	if plus := strings.IndexByte(local, '+'); plus >= 0 {
		local = local[:plus]
	}
	if local == "" || len(local) > maxLocalLen {
		return false
	}
	var buf [maxLocalLen * 2]byte
	folded := appendFolded(buf[:0], local)
	// Whole local part, separators removed, trailing digits dropped.
	var whole [maxLocalLen * 2]byte
	w := whole[:0]
	for _, c := range folded {
		if c != ' ' {
			w = append(w, c)
		}
	}
	if _, ok := roleLocals[string(trimDigits(w))]; ok {
		return true
	}
	first, rest := cutToken(folded)
	if rest == nil {
		return false
	}
	first = trimDigits(first)
	if len(first) < 3 {
		return false
	}
	_, ok := roleLocals[string(first)]
	return ok
}

// trimDigits drops trailing ASCII digits: "ventas2" is still ventas, and
// "test123" still a test.
func trimDigits(b []byte) []byte {
	for len(b) > 0 && '0' <= b[len(b)-1] && b[len(b)-1] <= '9' {
		b = b[:len(b)-1]
	}
	return b
}
