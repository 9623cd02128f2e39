package definition

import (
	"time"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/quality"
)

// Env is everything an expression in a definition can read. The engine fills
// one per evaluation; the expr tags are the names written in the file
// (docs/definition.md lists them). Not every name is available everywhere:
// a fit rule cannot read the total score, which is computed after it; see
// the kinds below.
type Env struct {
	ID      string        `expr:"id"`
	Person  *lead.Person  `expr:"person"`
	Company *lead.Company `expr:"company"`
	Source  *lead.Source  `expr:"source"`
	// Action is the lead's latest action; Actions are all of them.
	Action  *lead.Action   `expr:"action"`
	Actions []lead.Action  `expr:"actions"`
	Events  []lead.Event   `expr:"events"`
	Facts   *quality.Facts `expr:"facts"`
	// Country is company.country ?? person.country: where the company is,
	// or where the person is when the company's country is unknown, so
	// that a form asking only the person's country still feeds company
	// rules.
	Country string          `expr:"country"`
	Signals map[string]bool `expr:"signals"`
	Now     time.Time       `expr:"now"`
	// Inquiry is true when one of the lead's actions is an inquiry action.
	Inquiry bool `expr:"inquiry"`
	// Quality is the verdict of the quality rules: ok, suspect, junk or fake.
	Quality string `expr:"quality"`

	Fit        float64 `expr:"fit"`
	Grade      string  `expr:"grade"`
	Engagement float64 `expr:"engagement"`
	BANT       *BANT   `expr:"bant"`

	Format          bool `expr:"format"`
	Characteristics bool `expr:"characteristics"`
	Behaviour       bool `expr:"behaviour"`
	// Lead is the outcome of the lead gate.
	Lead bool `expr:"lead"`

	Total float64 `expr:"total"`
	Band  *Band   `expr:"band"`
	Stage string  `expr:"stage"`
	// Team is the team routing chose, for SLA policies.
	Team string `expr:"team"`

	// Event is the event being matched, in signal and engagement `where`.
	Event *lead.Event `expr:"event"`
}

// BANT is the qualification as rules see it (bant.score, bant.human, ...).
type BANT struct {
	// Recorded is true when any BANT answers exist, self-reported or not.
	Recorded bool `expr:"recorded"`
	// Human is true when a person recorded them (a call, a meeting), which
	// SQL always requires (seed 004: sales never sees unqualified leads).
	Human     bool    `expr:"human"`
	Score     float64 `expr:"score"`
	Threshold float64 `expr:"threshold"`
	// Qualified is Score >= Threshold.
	Qualified bool `expr:"qualified"`
	// Budget is the top of the budget range in the definition's currency.
	Budget       float64 `expr:"budget"`
	BudgetOK     bool    `expr:"budget_ok"`
	Authority    string  `expr:"authority"`
	Need         string  `expr:"need"`
	TimingMonths float64 `expr:"timing_months"` // -1 when unknown
	TimingOK     bool    `expr:"timing_ok"`
	// Immediate: they buy within bant.timing.immediate (default 1 month).
	Immediate bool   `expr:"immediate"`
	By        string `expr:"by"`
	Role      string `expr:"role"`
	Method    string `expr:"method"`
}

// Band is the score band chosen for the lead (band.name, band.action).
type Band struct {
	Name   string `expr:"name"`
	Action string `expr:"action"`
}

// kind is a place where expressions appear; it decides which names exist.
type kind int

const (
	kindInquiry kind = iota
	kindQuality
	kindFit
	kindEventWhere
	kindLeadPart
	kindLeadWhen
	kindTotal
	kindBand
	kindStage
	kindRoute
	kindSLA
)

var baseNames = []string{"id", "person", "company", "source", "action", "actions", "events", "facts", "signals", "now", "country"}

// names lists the roots available in each kind, in evaluation order: each
// kind sees what was computed before it.
func (k kind) names() []string {
	switch k {
	case kindEventWhere:
		return []string{"event", "now"}
	case kindInquiry:
		return baseNames
	}
	n := append(append([]string(nil), baseNames...), "inquiry", "quality", "bant")
	if k == kindQuality {
		return append(baseNames[:len(baseNames):len(baseNames)], "inquiry")
	}
	if k == kindFit {
		return n
	}
	n = append(n, "fit", "grade", "engagement")
	if k == kindLeadPart {
		return n
	}
	n = append(n, "format", "characteristics", "behaviour")
	if k == kindLeadWhen {
		return n
	}
	n = append(n, "lead")
	if k == kindTotal {
		return n
	}
	n = append(n, "total")
	if k == kindBand {
		return n
	}
	n = append(n, "band")
	if k == kindStage {
		return n
	}
	n = append(n, "stage")
	if k == kindRoute {
		return n
	}
	return append(n, "team")
}

// allNames is every root, for "did you mean" and "not available here".
var allNames = kindSLA.names()
