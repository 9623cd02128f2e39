package view

import "time"

// UserRow is a person in the users list.
type UserRow struct {
	ID        int64
	Name      string
	Email     string
	Role      string
	Language  string
	Timezone  string
	Active    bool
	Away      bool
	AwayUntil *time.Time
	Teams     []string // "norteamerica ×1.5"
}

// Users lists the people and creates (invites) new ones.
type Users struct {
	Base
	Rows      []UserRow
	Roles     []Option
	Languages []Option
	Invite    string // a new user's one-time link, shown once
	Invited   string // their e-mail
	Form      UserForm
}

// UserForm is what the create and edit forms hold.
type UserForm struct {
	Name, Email, Role, Language, Timezone string
	Active                                bool
	AwayFrom, AwayUntil                   string // dates, yyyy-mm-dd
}

// UserEdit changes one person.
type UserEdit struct {
	Base
	ID        int64
	Form      UserForm
	Roles     []Option
	Languages []Option
	Teams     []string
}
