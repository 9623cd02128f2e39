package notify

import (
	"encoding/json"
	"time"

	"github.com/pistahq/pista/internal/i18n"
	"github.com/pistahq/pista/internal/store"
)

// Text is a notification as words in p's language: the subject (also the
// line shown in the app) and the sentence that explains it, with times in
// loc. The messages are the catalog's notify.<kind>.subject and .body.
func Text(p *i18n.Printer, n *store.Notification, loc *time.Location) (subject, body string) {
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
		owner = p.T("notify.nobody")
	}
	due := ""
	if !d.Due.IsZero() {
		due = p.DateTime(d.Due, loc) + " " + d.Due.In(loc).Format("MST")
	}
	args := []any{d.Lead, company, due, owner, d.To, d.By}
	return p.Maybe("notify."+n.Kind+".subject", n.Kind, args...), p.Maybe("notify."+n.Kind+".body", "", args...)
}

// Location is a user's time zone, UTC when unset or unknown.
func Location(tz string) *time.Location {
	if tz == "" {
		return time.UTC
	}
	if l, err := time.LoadLocation(tz); err == nil {
		return l
	}
	return time.UTC
}
