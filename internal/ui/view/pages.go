package view

import (
	"time"
)

// Login is the sign-in page.
type Login struct {
	Base
	Email   string
	Next    string
	Message string
}

// ErrorPage is a refused or failed request.
type ErrorPage struct {
	Base
	Status  int
	Heading string
	Detail  string
	Home    string
}

// SLA is a first-touch clock as a rep reads it.
type SLA struct {
	State  string // breached, soon, on_time, paused, met, none
	Text   string // "due in 3 h 20 min"
	Due    time.Time
	Policy string
}

// LeadRow is a lead in a table.
type LeadRow struct {
	ID         int64
	Name       string
	Title      string
	Company    string
	Country    string
	Band       string
	Stage      string
	Score      float64
	Owner      string // the owner's name
	OwnerEmail string
	Team       string
	Source     string
	Created    time.Time
	SLA        SLA
	Overdue    bool
	Editable   bool
	Suspicious bool // held out of the queues as suspicious
}

// Queue is a rep's home: their leads and their teams' unassigned ones,
// a page of each.
type Queue struct {
	Base
	Mine       []LeadRow
	Unassigned []LeadRow
	Total      int // my leads in the queue (with the filters), on every page
	TeamTotal  int // the teams' unassigned leads (with the filters)
	MinePage   Pager
	TeamPage   Pager
	DueToday   int
	Bands      []Option
	Stages     []Option
	NextDue    string
	Idem       string // the idempotency key of the "Take next" form
}

// Pager is where a page of a longer list is: rows From to To (counted
// from 1; 0 and 0 when empty) of Total, and links to the next page and
// back to the first ("" when there is none).
type Pager struct {
	From, To, Total int
	Next, First     string
}

// Leads is the searchable, filterable list of leads.
type Leads struct {
	Base
	Rows                                      []LeadRow
	Q, StageFilter, Band, Owner, Team, Source string
	Campaign, From, To, MinScore, MaxScore    string
	Sort                                      string
	Suspicious                                bool
	Stages, Bands, Teams, Sorts, Sources      []Option
	Next, First, Export                       string
}

// Team is a manager's home: each rep's load and first-touch record.
type Team struct {
	Base
	Teams    []TeamBlock
	Breached []LeadRow
	Reps     []Option // who a breached lead can go to
	Idem     string
}

// TeamBlock is one team.
type TeamBlock struct {
	Name, Label string
	Members     []MemberRow
}

// MemberRow is one rep's line.
type MemberRow struct {
	Name, Email                  string
	Open, Overdue, Met, Breached int
	Away                         bool
	Capacity                     int
}

// Settings is the user's own settings.
type Settings struct {
	Base
	Languages []Option
	Timezone  string
	// OrgTimezone is the organisation's time zone in force, shown to
	// those who may change it (CanOrg).
	OrgTimezone string
	CanOrg      bool
}
