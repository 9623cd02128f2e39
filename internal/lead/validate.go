package lead

import (
	"fmt"
	"slices"
	"strings"
)

// FieldError names the field of the lead model that is wrong, e.g.
// "events[3].at: missing". The API turns these into problem+json entries.
type FieldError struct {
	Field string `json:"field"`
	Msg   string `json:"message"`
	// Code and Args, when set, name the catalog message ("field.<Code>")
	// that says Msg in es, pt or en (see problem.Field).
	Code string `json:"-"`
	Args []any  `json:"-"`
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// FieldErrors is every problem found in one lead.
type FieldErrors []*FieldError

func (es FieldErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Limits on one lead, so that a single record cannot exhaust the engine
// or the database: every text (a name, an action's type, a value inside
// attributes) has at most MaxText bytes, a list MaxList items, and each
// free-form map (person.attributes, company.attributes, an action's or an
// event's props) at most MaxFreeFormBytes of keys and values, nested at
// most MaxDepth deep.
const (
	MaxEvents        = 100_000
	MaxActions       = 1_000
	MaxText          = 10_000
	MaxList          = 1_000
	MaxFreeFormBytes = 64 << 10
	MaxDepth         = 5
)

// Validate checks what the engine relies on: events and actions have a type
// and a time, answers come from the BANT scales, amounts are sane. It
// returns nil or FieldErrors.
func Validate(l *Lead, events []Event, q *Qualification) error {
	var errs FieldErrors
	add := func(field, format string, args ...any) {
		if len(errs) < 20 {
			errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
		}
	}
	if len(l.Actions) > MaxActions {
		add("actions", "%d actions; the limit is %d", len(l.Actions), MaxActions)
	}
	for i, a := range l.Actions {
		if a.Type == "" {
			add(fmt.Sprintf("actions[%d].type", i), "missing: say what they did, e.g. price_request")
		}
	}
	if len(events) > MaxEvents {
		add("events", "%d events; the limit is %d", len(events), MaxEvents)
	}
	for i := range events {
		if events[i].Type == "" {
			add(fmt.Sprintf("events[%d].type", i), "missing, e.g. page_view")
		}
		if events[i].At.IsZero() {
			add(fmt.Sprintf("events[%d].at", i), "missing: when it happened, as RFC 3339 (2026-11-20T15:04:05Z)")
		}
	}
	checkText(l, events, q, add)
	if f := l.Source.Format; f != "" && !slices.Contains(Formats, f) {
		add("source.format", "%q: use one of %s", f, strings.Join(Formats, ", "))
	}
	if l.Company.Employees < 0 {
		add("company.employees", "must not be negative")
	}
	if l.Company.Revenue.Amount < 0 {
		add("company.revenue.amount", "must not be negative")
	}
	if q != nil {
		switch q.Authority {
		case "", DecisionMaker, Influencer, Gatekeeper, Unknown:
		default:
			add("qualification.authority", "%q: use decision_maker, influencer, gatekeeper or unknown", q.Authority)
		}
		switch q.Need {
		case "", NeedConfirmed, NeedLatent, NeedNone:
		default:
			add("qualification.need", "%q: use confirmed, latent or none", q.Need)
		}
		switch q.Method {
		case "", "call", "meeting", "email", "form":
		default:
			add("qualification.method", "%q: use call, meeting, email or form", q.Method)
		}
		if q.TimingMonths != nil && *q.TimingMonths < 0 {
			add("qualification.timing_months", "must not be negative")
		}
		if b := q.Budget; b != nil {
			if b.Min < 0 || b.Max < 0 {
				add("qualification.budget", "amounts must not be negative")
			}
			if b.Max != 0 && b.Max < b.Min {
				add("qualification.budget", "max %v is below min %v", b.Max, b.Min)
			}
			if _, err := normCurrency(b.Currency); err != nil {
				add("qualification.budget.currency", "%v", err)
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}
