package main

import (
	"encoding/json"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

// inquiryBody is the JSON of POST /api/v1/inquiries (intake.Inquiry).
type inquiryBody struct {
	Person  lead.Person  `json:"person"`
	Company lead.Company `json:"company"`
	Source  lead.Source  `json:"source"`
	Action  lead.Action  `json:"action"`
}

// eventJSON is one event of POST /api/v1/events: behaviour of the person
// with that email, known as a lead or not yet.
type eventJSON struct {
	Email string         `json:"email"`
	Type  string         `json:"type"`
	At    time.Time      `json:"at"`
	Props map[string]any `json:"props,omitempty"`
}

// inquiryBatchBody is the JSON of POST /api/v1/inquiries/batch.
type inquiryBatchBody struct {
	Inquiries []inquiryBody `json:"inquiries"`
}

type eventsBody struct {
	Events []eventJSON `json:"events"`
}

func inquiryJSON(l *lead.Lead) ([]byte, error) {
	return json.Marshal(inquiryBody{Person: l.Person, Company: l.Company, Source: l.Source, Action: l.Actions[0]})
}
