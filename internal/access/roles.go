// Package access says who may do what: roles and their permissions, API
// tokens, users' fields, passwords, sign-in sessions and the limits on
// failed sign-ins. The JSON API and the web app both ask here, so a rule
// is written once and the two doors cannot drift apart.
package access

import (
	"slices"
	"strings"
)

// The roles. A token may have any of them; a person (a user) any but
// Integration, which is for systems that send inquiries.
const (
	Admin       = "admin"
	Marketing   = "marketing"
	Manager     = "manager"
	BDR         = "bdr"
	Rep         = "rep"
	Integration = "integration"
)

// Roles lists every role a token may have.
var Roles = []string{Admin, Marketing, Manager, BDR, Rep, Integration}

// UserRoles are the roles a user (a person, unlike a token) may have.
var UserRoles = []string{Admin, Marketing, Manager, BDR, Rep}

// Permission is a kind of act; each is granted to a fixed set of roles.
type Permission int

const (
	Read         Permission = iota + 1 // read leads, definitions, users, reports
	Send                               // send inquiries, batches and events
	Qualify                            // work leads: accept, reject, touches, BANT, deals
	Define                             // definitions, forms, imports
	Undo                               // undo a merge
	Webhooks                           // webhooks send lead data to any URL
	ManagePeople                       // users and teams
	ManageLeads                        // reassign any lead of the teams one manages
	// Vouch: inquiries sent with this role may change what is known about
	// a lead; an integration token's, like a public form's, only fill
	// blanks (intake.Inquiry.Untrusted).
	Vouch
	// Analyse: the dashboards of the web app (funnel, follow-up, bands),
	// for those who steer the team or the definition; a rep works leads.
	Analyse
	// Configure: the organisation's settings (its time zone).
	Configure
	// Report: the report API (funnel, follow-up, bands, campaigns, SLA,
	// rejections). Reports count whole teams' leads, so a rep, who sees
	// only their own and their teams' unassigned leads, is refused, as on
	// the web app's reports page; a manager's count their teams' leads
	// (LeadScope.ReportScope).
	Report
)

var grants = map[Permission][]string{
	Read:         {Admin, Marketing, Manager, BDR, Rep, Integration},
	Send:         {Admin, Marketing, Integration},
	Qualify:      {Admin, Manager, BDR, Rep},
	Define:       {Admin, Marketing},
	Undo:         {Admin, Marketing, Manager},
	Webhooks:     {Admin},
	ManagePeople: {Admin, Manager},
	ManageLeads:  {Admin, Manager},
	Vouch:        {Admin, Marketing},
	Analyse:      {Admin, Marketing, Manager},
	Configure:    {Admin},
	Report:       {Admin, Marketing, Manager, BDR, Integration},
}

// Allows reports whether a role has a permission.
func Allows(role string, p Permission) bool { return slices.Contains(grants[p], role) }

// RolesWith lists the roles that have a permission, for error messages.
func RolesWith(p Permission) string { return strings.Join(grants[p], ", ") }

// SeesAllLeads reports whether a role sees every lead. A rep sees the
// leads assigned to them and their teams' unassigned queue; a manager
// their teams' leads; the others (who qualify inbound, own the definition
// or run everything) all leads.
func SeesAllLeads(role string) bool {
	return role == Admin || role == Marketing || role == BDR
}

// Granted lists the roles that have a permission.
func Granted(p Permission) []string { return slices.Clone(grants[p]) }
