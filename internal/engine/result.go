package engine

import "time"

// Stages the engine can decide on its own. SAL, opportunity, won and lost
// are human acts recorded by the waterfall; "none" means the person did
// nothing that makes them an inquiry yet (known activity only).
const (
	StageNone         = "none"
	StageInquiry      = "inquiry"
	StageMQL          = "mql"
	StageSQL          = "sql"
	StageNurture      = "nurture"
	StageDisqualified = "disqualified"
)

// ActionNone is the action for people who are not inquiries.
const ActionNone = "none"

// Result is everything the definition decided about one lead, with the
// explanation of each decision.
type Result struct {
	LeadID      string        `json:"lead_id,omitempty"`
	Definition  DefinitionRef `json:"definition"`
	EvaluatedAt time.Time     `json:"evaluated_at"`

	Inquiry bool   `json:"inquiry"`
	Quality string `json:"quality"`
	// Anonymous: the lead has no e-mail, phone or name and is known by
	// its external id (a row of an anonymised list). Its contact data is
	// not judged: there is none to judge.
	Anonymous  bool       `json:"anonymous,omitempty"`
	Fit        float64    `json:"fit"`
	Grade      string     `json:"grade,omitempty"`
	Engagement float64    `json:"engagement"`
	BANT       BANTResult `json:"bant"`
	Lead       bool       `json:"lead"`
	Total      float64    `json:"total"`
	Band       string     `json:"band"`
	Action     string     `json:"action"`
	// RecontactAt is when a nurtured lead should be tried again.
	RecontactAt *time.Time `json:"recontact_at,omitempty"`
	Stage       string     `json:"stage"`
	Team        string     `json:"team,omitempty"`
	SLA         *SLAResult `json:"sla,omitempty"`

	// Explanation lists, in evaluation order, every rule that fired and
	// every decision taken, with points and the rule's line in the file.
	Explanation []Step `json:"explanation"`
	// Errors are rules that could not be evaluated for this lead (e.g. a
	// free attribute holding text where a rule expects a number). Such a
	// rule counts as not holding; the rest of the evaluation goes on.
	Errors []string `json:"errors,omitempty"`
}

// DefinitionRef identifies the exact definition a result came from.
type DefinitionRef struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Hash    string `json:"hash"`
}

// BANTResult is the BANT score and its parts.
type BANTResult struct {
	Recorded  bool    `json:"recorded"`
	Human     bool    `json:"human"`
	Score     float64 `json:"score"`
	Threshold float64 `json:"threshold"`
	Qualified bool    `json:"qualified"`
	Budget    float64 `json:"budget_points"`
	Authority float64 `json:"authority_points"`
	Need      float64 `json:"need_points"`
	Timing    float64 `json:"timing_points"`
}

// SLAResult is the first-touch promise for a routed lead.
type SLAResult struct {
	Policy     string     `json:"policy"`
	FirstTouch string     `json:"first_touch"`
	Due        time.Time  `json:"due"`
	EscalateAt *time.Time `json:"escalate_at,omitempty"`
	Calendar   string     `json:"calendar,omitempty"`
}

// Step is one line of the explanation.
type Step struct {
	// Kind: vocabulary (how a value was read into a code), inquiry,
	// quality, signal, fit, grade, engagement, bant, lead,
	// total, band, stage, routing or sla.
	Kind   string  `json:"kind"`
	Rule   string  `json:"rule,omitempty"`
	Line   int     `json:"line,omitempty"`
	Points float64 `json:"points,omitempty"`
	// Count is the number of events behind a signal or engagement rule
	// (for a per-period signal, the count of its best period).
	Count int `json:"count,omitempty"`
	// Value is the outcome: a verdict, a grade, a band, a stage, a team,
	// "true"/"false" for lead gate parts.
	Value string `json:"value,omitempty"`
	Note  string `json:"note,omitempty"`
	// Inputs are the values a rule whose points come from a formula or a
	// counter read, in the order the formula names them.
	Inputs []Input `json:"inputs,omitempty"`
}

// Input is one value a formula read: a field path and its value (a
// number, text, true/false, or null when the lead has none).
type Input struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}
