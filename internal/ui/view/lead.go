package view

import "time"

// Lead is the lead page: who, why, the timeline and the acts the user
// may take now.
type Lead struct {
	Base
	ID                                int64
	Name, Title, Company, Country     string
	Email, Phone, Industry, Revenue   string
	Employees, Source, Campaign       string
	Quality                           string
	Current, Band                     string
	Score, Fit, Engagement, BANTScore float64
	Owner, Team                       string
	SLA                               SLA
	Why                               []WhyLine // steps that gave or took points
	WhyMore                           []WhyLine // the other steps: verdicts, signals, routing
	Definition                        string
	Timeline                          []TimelineLine
	Recontact                         *time.Time
	Opportunity                       string
	Suspicious                        string // why it is held out of the queues; "" when it is not

	Idem                                         string // the forms' idempotency key
	CanAccept, CanReject, CanTouch, CanBANT      bool
	CanOpportunity, CanWon, CanLost              bool
	CanPause, CanResume, CanReassign             bool
	Reasons, LostReasons, TouchKinds, Outcomes   []Option
	PauseReasons, Reps, Currencies               []Option
	BANT                                         BANTForm
	OpportunityAmount, OpportunityCurrency, Note string
}

// WhyLine is one step of the explanation.
type WhyLine struct {
	Kind   string
	Rule   string
	Points float64
	// Rating marks points that rate the lead (the BANT score out of its
	// weights) rather than add to the total: shown without a sign.
	Rating bool
	Text   string
	Line   int
}

// TimelineLine is one thing that happened to the lead.
type TimelineLine struct {
	At   time.Time
	Text string
}

// BANTForm is the discovery call: the answers so far and what they add
// up to on the definition's weights.
type BANTForm struct {
	Amount, Currency string
	Authority, Need  []Option
	Timing           []Option
	Method           []Option
	Total, Max       float64
	Threshold        float64
	Reaches          bool
	Parts            []BANTPart
}

// BANTPart is one criterion's points.
type BANTPart struct {
	Label  string
	Points float64
	Weight float64
}
