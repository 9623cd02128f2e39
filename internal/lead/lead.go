// Package lead holds Pista's public data shape: the person and company behind
// an inquiry, where it came from, what they did and what sales learned in a
// BANT call. The engine evaluates it, the API accepts it and imports fill it,
// so its JSON names are part of the public contract (docs/lead-model.md).
package lead

import "time"

// Lead is one person (and their company) as known at evaluation time.
// Events and the BANT qualification travel separately because they grow on
// their own timelines; see engine.Evaluate.
type Lead struct {
	ID      string  `json:"id,omitempty" expr:"id"`
	Person  Person  `json:"person" expr:"person"`
	Company Company `json:"company" expr:"company"`
	Source  Source  `json:"source" expr:"source"`
	// Actions are the things this person did that may make them an inquiry
	// (newsletter sign-up, price request, ...), oldest first. A lead merged
	// from several submissions has several.
	Actions []Action `json:"actions,omitempty" expr:"actions"`
	// Mappings say how values were read into codes (see Mapping), the
	// latest per field.
	Mappings []Mapping `json:"mappings,omitempty" expr:"-"`
}

// Person is the human behind the inquiry (demographics).
type Person struct {
	Email     string `json:"email,omitempty" expr:"email"`
	FirstName string `json:"first_name,omitempty" expr:"first_name"`
	LastName  string `json:"last_name,omitempty" expr:"last_name"`
	Phone     string `json:"phone,omitempty" expr:"phone"`
	Title     string `json:"title,omitempty" expr:"title"`
	// Seniority is a normalised level: intern, staff, senior, manager,
	// director, vp, svp, c_level, owner.
	Seniority       string   `json:"seniority,omitempty" expr:"seniority"`
	Department      string   `json:"department,omitempty" expr:"department"`
	Gender          string   `json:"gender,omitempty" expr:"gender"`
	Age             int      `json:"age,omitempty" expr:"age"`
	Education       string   `json:"education,omitempty" expr:"education"`
	YearsExperience int      `json:"years_experience,omitempty" expr:"years_experience"`
	Income          Money    `json:"income,omitzero" expr:"income"`
	Specialties     []string `json:"specialties,omitempty" expr:"specialties"`
	// Country is an ISO 3166-1 alpha-2 code (CO, MX, BR, US, ...).
	Country  string `json:"country,omitempty" expr:"country"`
	Region   string `json:"region,omitempty" expr:"region"`
	City     string `json:"city,omitempty" expr:"city"`
	Language string `json:"language,omitempty" expr:"language"`
	// Attributes are free-form fields a company tracks beyond the above.
	Attributes map[string]any `json:"attributes,omitempty" expr:"attributes"`
}

// Company is the organisation the person works for (firmographics).
type Company struct {
	Name      string `json:"name,omitempty" expr:"name"`
	Domain    string `json:"domain,omitempty" expr:"domain"`
	Industry  string `json:"industry,omitempty" expr:"industry"`
	Employees int    `json:"employees,omitempty" expr:"employees"`
	Revenue   Money  `json:"revenue,omitzero" expr:"revenue"`
	// Country is where the company has its headquarters (ISO alpha-2).
	Country   string   `json:"country,omitempty" expr:"country"`
	Divisions int      `json:"divisions,omitempty" expr:"divisions"`
	Products  []string `json:"products,omitempty" expr:"products"`
	Markets   []string `json:"markets,omitempty" expr:"markets"`
	// Rankings the company appears in, e.g. "fortune_500", "inc_5000".
	Rankings   []string       `json:"rankings,omitempty" expr:"rankings"`
	Attributes map[string]any `json:"attributes,omitempty" expr:"attributes"`
}

// Formats are how an inquiry reached the company (seed 002).
var Formats = []string{"web_form", "api", "import", "business_cards", "webinar_list", "purchased_list", "referral", "handwritten_list"}

// Source says how and through which channel the lead arrived.
type Source struct {
	Format   string `json:"format,omitempty" expr:"format"`
	Channel  string `json:"channel,omitempty" expr:"channel"`
	Campaign string `json:"campaign,omitempty" expr:"campaign"`
	Referrer string `json:"referrer,omitempty" expr:"referrer"`
	// Trusted marks a referral from a source the company vouches for.
	Trusted bool `json:"trusted,omitempty" expr:"trusted"`
	// ExternalID identifies the person in the system or file they came
	// from (a CRM id, a purchased list's row key). Leads without e-mail or
	// phone are recognised by it.
	ExternalID string `json:"external_id,omitempty" expr:"external_id"`
}

// Action is something a person did that can make them an inquiry.
type Action struct {
	Type  string         `json:"type" expr:"type"`
	At    time.Time      `json:"at,omitzero" expr:"at"`
	Props map[string]any `json:"props,omitempty" expr:"props"`
}

// Event is website or email behaviour: a page view, an asset download, ...
type Event struct {
	Type  string         `json:"type" expr:"type"`
	At    time.Time      `json:"at" expr:"at"`
	Props map[string]any `json:"props,omitempty" expr:"props"`
}

// Prop returns the event property as a string, or "" if absent or not text.
func (e *Event) Prop(name string) string {
	s, _ := e.Props[name].(string)
	return s
}

// Authority answers, from the BANT call.
const (
	DecisionMaker = "decision_maker"
	Influencer    = "influencer"
	Gatekeeper    = "gatekeeper"
	Unknown       = "unknown"
)

// Need answers, from the BANT call.
const (
	NeedConfirmed = "confirmed"
	NeedLatent    = "latent"
	NeedNone      = "none"
)

// Qualification holds the BANT answers a person recorded, with who and when.
type Qualification struct {
	// Budget is a single amount (Min == Max) or a range, in one currency.
	Budget *Budget `json:"budget,omitempty"`
	// Authority: decision_maker, influencer, gatekeeper or unknown.
	Authority string `json:"authority,omitempty"`
	// Need: confirmed, latent or none.
	Need string `json:"need,omitempty"`
	// TimingMonths is when they intend to buy, in months from the call
	// (0.1 is about three days). Nil means unknown.
	TimingMonths *float64 `json:"timing_months,omitempty"`
	// By names the person who qualified (email or user id). Empty means
	// self-reported, e.g. a form field, which never counts as human BANT.
	By string `json:"by,omitempty"`
	// Role of the qualifier: bdr, rep, manager, ...
	Role string `json:"role,omitempty"`
	// Method: call, meeting, email or form.
	Method string    `json:"method,omitempty"`
	At     time.Time `json:"at,omitzero"`
	Notes  string    `json:"notes,omitempty"`
}

// Budget is an amount or a range of amounts in one currency. A budget with
// only one of Min and Max is a single amount.
type Budget struct {
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	Currency string  `json:"currency"`
}

// Mapping records how intake read one value through the definition's
// vocabularies: the value as written, the code it became and how
// ("synonym", "fuzzy", "title", "placeholder", "unmatched", ...; see
// package vocab). The explanation shows it; coverage counts the unmatched.
type Mapping struct {
	Field string  `json:"field"`
	Raw   string  `json:"raw"`
	Code  string  `json:"code,omitempty"`
	How   string  `json:"how"`
	Score float64 `json:"score,omitempty"`
}
