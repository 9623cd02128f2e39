// Package stage is the lead waterfall's stage machine: the stages, how the
// definition's automatic stage and the last human act combine into the
// stage a lead shows, and which human acts are legal from which stage. It
// is pure: the store and the waterfall service both use it, so the rules
// live in one place.
package stage

import (
	"fmt"
	"slices"
)

// The stages. Inquiry, MQL, SQL, Nurture and Disqualified can come from the
// definition (the engine); SAL, Opportunity, Won and Lost only from people.
// Recycled is not a stage a lead shows: it is the human state of a lead
// that came back from nurture to be contacted again.
const (
	None         = "none"
	Inquiry      = "inquiry"
	MQL          = "mql"
	SAL          = "sal"
	SQL          = "sql"
	Opportunity  = "opportunity"
	Won          = "won"
	Lost         = "lost"
	Nurture      = "nurture"
	Disqualified = "disqualified"
	Recycled     = "recycled"
)

// Effective is the stage a lead shows, from the definition's stage and the
// state the last human act (or re-contact timer) left ("" if none).
//
//   - Opportunity, Won, Lost and Disqualified set by a person are final
//     until another person moves the lead: the definition cannot undo them.
//   - SAL holds until the definition says SQL (a human BANT at or above the
//     threshold, and whatever else the file's sql gate asks).
//   - Nurture set by a person (a rejection) holds until the re-contact.
//   - Recycled: back from nurture. The lead is an inquiry to call again
//     unless the definition now says more (MQL, SQL) or disqualifies it.
func Effective(engine, human string) string {
	switch human {
	case "":
		return engine
	case Opportunity, Won, Lost, Disqualified, Nurture:
		return human
	case SAL:
		if engine == SQL {
			return SQL
		}
		return SAL
	case Recycled:
		switch engine {
		case MQL, SQL, Disqualified:
			return engine
		}
		return Inquiry
	}
	return engine
}

// Open reports whether a lead in this stage is still being worked by
// sales: it can be routed, owned and have a first-touch clock.
func Open(s string) bool {
	switch s {
	case Inquiry, MQL, SAL, SQL, Opportunity:
		return true
	}
	return false
}

// OpenStages lists the stages Open holds, for a query that selects them.
func OpenStages() []string { return []string{Inquiry, MQL, SAL, SQL, Opportunity} }

// AfterQualification is the human state after a person records a BANT
// call: the call is new evidence, so a rejection to nurture or a recycle
// no longer holds and the definition decides again. Other acts hold.
func AfterQualification(human string) string {
	if human == Nurture || human == Recycled {
		return ""
	}
	return human
}

// Acts people perform on a lead.
const (
	ActAccept      = "accept"
	ActReject      = "reject"
	ActOpportunity = "opportunity"
	ActWon         = "won"
	ActLost        = "lost"
)

// from lists, for each act, the stages it may start from.
var from = map[string][]string{
	ActAccept:      {MQL},
	ActReject:      {Inquiry, MQL, SAL},
	ActOpportunity: {SQL},
	ActWon:         {Opportunity},
	ActLost:        {SAL, SQL, Opportunity},
}

// hints say what to do instead when an act is not legal.
var hints = map[string]string{
	ActAccept:      "only an MQL can be accepted (SAL); an inquiry needs its BANT call first (POST /api/v1/leads/{id}/qualification)",
	ActReject:      "only an inquiry, MQL or SAL can be rejected",
	ActOpportunity: "an opportunity needs an SQL: a human BANT at or above the definition's threshold",
	ActWon:         "only an opportunity can be won",
	ActLost:        "only a SAL, SQL or opportunity can be lost; reject an inquiry or MQL instead",
}

var verbs = map[string]string{ActAccept: "accept", ActReject: "reject", ActOpportunity: "open an opportunity for",
	ActWon: "mark as won", ActLost: "mark as lost"}

// Check reports whether an act is legal from a stage, with an error that
// says why not and what to do.
func Check(act, current string) error {
	starts, ok := from[act]
	if !ok {
		return fmt.Errorf("unknown act %q", act)
	}
	if slices.Contains(starts, current) {
		return nil
	}
	return fmt.Errorf("cannot %s a lead in stage %s: %s", verbs[act], current, hints[act])
}

// Rejection reasons sales may give (their feedback on the definition).
const (
	ReasonNotAFit      = "not_a_fit"
	ReasonNoBudget     = "no_budget"
	ReasonWrongContact = "wrong_contact"
	ReasonDuplicate    = "duplicate"
	ReasonFake         = "fake"
	ReasonBadTiming    = "bad_timing"
	ReasonOther        = "other"
)

// Reasons lists the rejection reasons.
var Reasons = []string{ReasonNotAFit, ReasonNoBudget, ReasonWrongContact, ReasonDuplicate, ReasonFake, ReasonBadTiming, ReasonOther}

// LostReasons lists why an opportunity or accepted lead is lost.
var LostReasons = []string{"price", "competitor", "no_decision", "no_budget", "timing", "product_gap", "other"}

// Rank orders stages by how far along the waterfall a lead is, for rules
// that must never move a lead back (see intake's untrusted inquiries):
// nothing, then nurture, inquiry, MQL, SAL, SQL, opportunity, and the
// closed stages last. Disqualified ranks with none.
func Rank(s string) int {
	switch s {
	case Nurture:
		return 1
	case Inquiry, Recycled:
		return 2
	case MQL:
		return 3
	case SAL:
		return 4
	case SQL:
		return 5
	case Opportunity:
		return 6
	case Won, Lost:
		return 7
	}
	return 0
}
