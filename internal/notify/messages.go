package notify

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// Languages are the languages messages are written in; a user whose
// language is none of them reads the server's default.
var Languages = []string{"es", "pt", "en"}

// texts holds, per kind and language, a subject and a body line. Words
// follow the app's glossary (primer contacto, responsable, vencido...).
// Placeholders: {lead}, {company}, {due}, {owner}, {to}, {by}.
var texts = map[string]map[string][2]string{
	store.NotifyAssigned: {
		"es": {"Nuevo lead asignado: {lead}", "{lead}{company} es tuyo ahora. Haz el primer contacto antes de que venza."},
		"pt": {"Novo lead atribuído: {lead}", "{lead}{company} agora é seu. Faça o primeiro contato antes que vença."},
		"en": {"New lead assigned: {lead}", "{lead}{company} is yours now. Make the first touch before it falls due."},
	},
	store.NotifyReassigned: {
		"es": {"Lead reasignado a ti: {lead}", "{by} te reasignó {lead}{company}. Haz el primer contacto antes de que venza."},
		"pt": {"Lead reatribuído a você: {lead}", "{by} reatribuiu {lead}{company} a você. Faça o primeiro contato antes que vença."},
		"en": {"Lead reassigned to you: {lead}", "{by} reassigned {lead}{company} to you. Make the first touch before it falls due."},
	},
	store.NotifyTakenAway: {
		"es": {"Lead reasignado: {lead}", "{lead}{company} ya no es tuyo: {by} lo reasignó a {to}."},
		"pt": {"Lead reatribuído: {lead}", "{lead}{company} não é mais seu: {by} o reatribuiu a {to}."},
		"en": {"Lead reassigned: {lead}", "{lead}{company} is no longer yours: {by} reassigned it to {to}."},
	},
	store.NotifyDueSoon: {
		"es": {"Primer contacto vence pronto: {lead}", "El primer contacto con {lead}{company} vence el {due}."},
		"pt": {"Primeiro contato vence em breve: {lead}", "O primeiro contato com {lead}{company} vence em {due}."},
		"en": {"First touch due soon: {lead}", "The first touch of {lead}{company} is due {due}."},
	},
	store.NotifyBreached: {
		"es": {"Primer contacto vencido: {lead}", "{owner} no hizo el primer contacto con {lead}{company}, que vencía el {due}."},
		"pt": {"Primeiro contato vencido: {lead}", "{owner} não fez o primeiro contato com {lead}{company}, que vencia em {due}."},
		"en": {"First touch breached: {lead}", "{owner} did not make the first touch of {lead}{company}, due {due}."},
	},
}

// words are the few other texts of a message.
var words = map[string]map[string]string{
	"greeting": {"es": "Hola {name}:", "pt": "Olá {name},", "en": "Hi {name},"},
	"open":     {"es": "Abrir el lead:", "pt": "Abrir o lead:", "en": "Open the lead:"},
	"all":      {"es": "Todas tus notificaciones:", "pt": "Todas as suas notificações:", "en": "All your notifications:"},
	"nobody":   {"es": "Nadie", "pt": "Ninguém", "en": "Nobody"},
	"pista":    {"es": "Pista", "pt": "Pista", "en": "Pista"},
}

// dateLayouts writes a deadline in each language's usual form.
var dateLayouts = map[string]string{"es": "02/01/2006 15:04 MST", "pt": "02/01/2006 15:04 MST", "en": "Jan 2, 2006 3:04 PM MST"}

// Language picks the language a user reads: theirs when messages exist in
// it (es-CO reads es), else def.
func Language(userLang, def string) string {
	base, _, _ := strings.Cut(strings.ToLower(userLang), "-")
	for _, l := range Languages {
		if l == base {
			return l
		}
	}
	if def != "" && def != userLang {
		return Language(def, "")
	}
	return "es"
}

// Text is a notification as words: the subject (also the line shown in
// the app) and the sentence that explains it, in lang, with times in loc.
func Text(n *store.Notification, lang string, loc *time.Location) (subject, body string) {
	var d struct {
		Lead    string    `json:"lead_name"`
		Company string    `json:"company"`
		Due     time.Time `json:"due_at"`
		Owner   string    `json:"owner"`
		To      string    `json:"to"`
		By      string    `json:"by"`
	}
	_ = json.Unmarshal(n.Data, &d) // written by the waterfall; a missing field stays empty
	if loc == nil {
		loc = time.UTC
	}
	company := ""
	if d.Company != "" && d.Company != d.Lead {
		company = " (" + d.Company + ")"
	}
	owner := d.Owner
	if owner == "" {
		owner = words["nobody"][lang]
	}
	due := ""
	if !d.Due.IsZero() {
		due = d.Due.In(loc).Format(dateLayouts[lang])
	}
	r := strings.NewReplacer("{lead}", d.Lead, "{company}", company, "{due}", due, "{owner}", owner, "{to}", d.To, "{by}", d.By)
	t, ok := texts[n.Kind][lang]
	if !ok {
		return n.Kind, ""
	}
	// The subject names the lead without the company, to stay short.
	return strings.NewReplacer("{lead}", d.Lead).Replace(t[0]), r.Replace(t[1])
}

// location is a user's time zone, UTC when unset or unknown.
func location(tz string) *time.Location {
	if tz == "" {
		return time.UTC
	}
	if l, err := time.LoadLocation(tz); err == nil {
		return l
	}
	return time.UTC
}
