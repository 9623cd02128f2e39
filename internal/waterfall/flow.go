package waterfall

import (
	"encoding/json"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// Flow is what the waterfall remembers about a lead beyond its stage,
// stored as JSON on the lead (store.Lead.Flow) and shown by the API.
type Flow struct {
	AcceptedAt  *time.Time   `json:"accepted_at,omitempty"`
	AcceptedBy  string       `json:"accepted_by,omitempty"`
	Rejection   *Rejected    `json:"rejection,omitempty"`
	NurtureFrom *time.Time   `json:"nurture_from,omitempty"`
	RecontactAt *time.Time   `json:"recontact_at,omitempty"`
	Recycled    int          `json:"recycled,omitempty"`
	RecycledAt  *time.Time   `json:"recycled_at,omitempty"`
	Opportunity *Opportunity `json:"opportunity,omitempty"`
	WonAt       *time.Time   `json:"won_at,omitempty"`
	LostAt      *time.Time   `json:"lost_at,omitempty"`
	LostReason  string       `json:"lost_reason,omitempty"`
	LostText    string       `json:"lost_text,omitempty"`
}

// Rejected is the last rejection of the lead.
type Rejected struct {
	Reason string    `json:"reason"`
	Text   string    `json:"text,omitempty"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	To     string    `json:"to"`
}

// Opportunity is the deal a SQL became.
type Opportunity struct {
	Name     string  `json:"name,omitempty"`
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
	// Base is the amount in the definition's currency, when its exchange
	// rates know Currency.
	Base         float64   `json:"base_amount,omitempty"`
	BaseCurrency string    `json:"base_currency,omitempty"`
	By           string    `json:"by"`
	At           time.Time `json:"at"`
}

// FlowOf decodes a lead's flow; a lead the waterfall never touched has
// an empty one.
func FlowOf(l *store.Lead) Flow {
	var f Flow
	if len(l.Flow) > 0 {
		_ = json.Unmarshal(l.Flow, &f) // written by setFlow only
	}
	return f
}

func setFlow(l *store.Lead, f Flow) {
	b, _ := json.Marshal(f) // plain values: cannot fail
	if string(b) == "{}" {
		b = nil
	}
	l.Flow = b
}

func ptr(t time.Time) *time.Time { return &t }
