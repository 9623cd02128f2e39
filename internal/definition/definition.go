// Package definition loads the lead definition: the one YAML file that
// marketing and sales agree on (docs/definition.md). Loading validates every
// key and type-checks every expression against the lead model, reporting
// errors by file, line and rule; the result is compiled once and evaluated
// many times by package engine.
package definition

import (
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/quality"
	"github.com/pistahq/pista/internal/vocab"
)

// Definition is a compiled lead definition.
type Definition struct {
	Name        string
	Version     string // as written in the file; may be empty
	Hash        string // of the file's bytes; identifies the exact text
	File        string
	Description string
	Location    *time.Location // for calendar-day windows
	Currency    string         // the base currency money is compared in
	Rates       map[string]float64

	Calendar  *calendar.Calendar // default business calendar
	Calendars map[string]*calendar.Calendar

	Inquiry    Inquiry
	Quality    []QualityRule
	Signals    []Signal
	Lead       LeadGate
	Fit        []FitRule
	Grades     []Grade
	Engagement Engagement
	BANT       BANTScale
	Total      *Program // nil means fit + engagement
	Bands      []BandRule
	Stages     Stages
	SLA        []SLAPolicy
	Routing    Routing
	Waterfall  Waterfall

	// Facts are the quality facts rules read, so that the engine computes
	// only those (phone validation is costly).
	Facts quality.Need
	// EventTypes are the event types signals and engagement rules match;
	// ByType[i] lists which of them match EventTypes[i].
	EventTypes []string
	ByType     []TypeRules
	AnyType    TypeRules // rules without a type filter
	// Matches is the number of distinct event filters (Match.ID), and
	// HalfLives the distinct decay half-lives (EngagementRule.HalfLifeID):
	// the engine works each out once per event, however many rules share it.
	Matches   int
	HalfLives []time.Duration
	// PropKeys are the event property names filters read (PropMatch.KeyID).
	PropKeys []string

	// Vocab maps values as people write them to the codes rules compare
	// (built-in vocabularies and the file's own), compiled once.
	Vocab *vocab.Table
	// literals are the values rules compare vocabulary fields with, by
	// field (see RuleValues).
	literals map[string]map[string]bool
}

// TypeRules indexes signals and engagement rules by event type.
type TypeRules struct {
	Signals    []int
	Engagement []int
}

// Inquiry says which actions make someone an inquiry.
type Inquiry struct {
	Actions map[string]bool
	When    *Program // optional extra condition for custom actions
}

// Verdicts of quality rules, from mild to severe. Junk and fake leads are
// disqualified; suspect ones are flagged and go on.
const (
	VerdictOK      = "ok"
	VerdictSuspect = "suspect"
	VerdictJunk    = "junk"
	VerdictFake    = "fake"
)

// Severity orders verdicts.
func Severity(v string) int {
	switch v {
	case VerdictSuspect:
		return 1
	case VerdictJunk:
		return 2
	case VerdictFake:
		return 3
	}
	return 0
}

type QualityRule struct {
	Name    string
	Line    int
	When    *Program
	Verdict string
	Reason  string
}

// Match selects events: by type, by property values, and optionally by an
// expression on the event. Types and properties are checked natively, which
// keeps 200 events per lead cheap; Where is for what they cannot say.
type Match struct {
	Types []string
	Props []PropMatch
	Where *Program
	ID    int // equal filters share an ID
}

// PropMatch requires props[Key] to equal one of Values (strings, float64
// numbers or booleans).
type PropMatch struct {
	Key    string
	KeyID  int // index in Definition.PropKeys
	Values []any
}

// Signal counts matching events and fires at AtLeast. Per groups the count
// by calendar day, week or month in the definition's time zone (the best
// period counts); Within limits it to the recent past.
type Signal struct {
	Name string
	Line int
	Match
	AtLeast int
	Per     string // "", "day", "week" or "month"
	Within  time.Duration
}

type LeadGate struct {
	Line            int
	Format          *Program
	Characteristics *Program
	Behaviour       *Program
	When            *Program // nil means every part given must hold
}

type FitRule struct {
	Name   string
	Line   int
	When   *Program
	Points float64
	// Formula, when set, gives the points instead of Points (a number
	// written as an expression, e.g. person.attributes.visits * 2).
	Formula *Program
	Group   string // of the rules in a group only the first that holds counts
	// Table, when set, gives the points from a field's value instead of
	// Points; When is then optional (nil: always).
	Table *Table
}

type Grade struct {
	Name string
	From float64
	Any  bool // the catch-all grade
}

type Engagement struct {
	HalfLife time.Duration
	Rules    []EngagementRule
}

type EngagementRule struct {
	Name string
	Line int
	Match
	Points float64
	Max    float64 // 0 means no cap
	// A summary rule reads a number the lead carries (a CRM export's
	// total visits) instead of events: Counter × Points, or Formula. It
	// has no per-event dates, so it fades from the lead's latest action.
	Counter    *Program
	Formula    *Program
	HalfLife   time.Duration
	HalfLifeID int // index in Definition.HalfLives
	Within     time.Duration
}

// Summary reports whether the rule reads the lead's numbers, not events.
func (r *EngagementRule) Summary() bool { return r.Counter != nil || r.Formula != nil }

// BANTScale turns BANT answers into a score (seed 004).
type BANTScale struct {
	Line                               int
	Budget, Authority, Need, Timing    float64 // weights
	Threshold                          float64
	BudgetMinimum                      float64 // in the base currency
	BudgetMinimumText                  string
	BudgetPartial                      float64
	AuthorityScale                     map[string]float64
	NeedScale                          map[string]float64
	TimingWithin, TimingLeadTime       float64 // months
	TimingPartialWithin, TimingPartial float64
	TimingImmediate                    float64
}

// MaxScore is the BANT score of perfect answers.
func (b *BANTScale) MaxScore() float64 { return b.Budget + b.Authority + b.Need + b.Timing }

// Band actions.
const (
	ActionRoute      = "route"
	ActionNurture    = "nurture"
	ActionDisqualify = "disqualify"
)

type BandRule struct {
	Name      string
	Line      int
	From      float64
	HasFrom   bool
	When      *Program
	Action    string
	Recontact time.Duration
}

// Stages are the gates of the waterfall the engine decides on. SQL always
// also requires a human BANT qualification at or above the threshold.
type Stages struct {
	MQL *Program // nil means the lead gate
	SQL *Program // nil means no further condition
}

type SLAPolicy struct {
	Name          string
	Line          int
	When          *Program
	FirstTouch    Span
	EscalateAfter *Span
	// Reassign: at escalation the lead goes to the next member of the
	// team's rotation (on_escalation: reassign); otherwise the manager is
	// only notified.
	Reassign bool
	Calendar string // name; "" means the team's or the default
}

// Waterfall is what the file says about sales' part of the waterfall.
type Waterfall struct {
	// PauseReasons are the reasons for which a first-touch clock may be
	// paused (e.g. the customer asked to be called after a date).
	PauseReasons []string
	// Rejections maps every rejection reason to where it sends a lead.
	Rejections map[string]Rejection
}

// Rejection is where a lead rejected for one reason goes: nurture (with a
// re-contact delay) or disqualified.
type Rejection struct {
	To        string        `json:"to"`
	Recontact time.Duration `json:"recontact,omitempty"`
}

// DefaultRejections apply to reasons the file does not map.
var DefaultRejections = map[string]Rejection{
	"not_a_fit":     {To: "disqualified"},
	"no_budget":     {To: "nurture", Recontact: 8 * 7 * 24 * time.Hour},
	"wrong_contact": {To: "disqualified"},
	"duplicate":     {To: "disqualified"},
	"fake":          {To: "disqualified"},
	"bad_timing":    {To: "nurture", Recontact: 12 * 7 * 24 * time.Hour},
	"other":         {To: "nurture", Recontact: 4 * 7 * 24 * time.Hour},
}

// SLAPolicy returns the policy with that name, or nil.
func (d *Definition) SLAPolicy(name string) *SLAPolicy {
	for i := range d.SLA {
		if d.SLA[i].Name == name {
			return &d.SLA[i]
		}
	}
	return nil
}

type Routing struct {
	Default string
	Teams   map[string]Team
	Rules   []RouteRule
}

type Team struct {
	Label    string
	Calendar string
}

type RouteRule struct {
	Name string
	Line int
	When *Program
	Team string
}

// CalendarFor returns the business calendar for a team and SLA policy: the
// policy's own, else the team's, else the default.
func (d *Definition) CalendarFor(team string, sla *SLAPolicy) *calendar.Calendar {
	if sla != nil && sla.Calendar != "" {
		return d.Calendars[sla.Calendar]
	}
	if t, ok := d.Routing.Teams[team]; ok && t.Calendar != "" {
		return d.Calendars[t.Calendar]
	}
	return d.Calendar
}

// RuleCount is the number of rules of all kinds.
func (d *Definition) RuleCount() int {
	return len(d.Quality) + len(d.Signals) + len(d.Fit) + len(d.Grades) + len(d.Engagement.Rules) +
		len(d.Bands) + len(d.SLA) + len(d.Routing.Rules)
}
