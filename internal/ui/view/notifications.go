package view

import "time"

// Notification is one thing the user was told.
type Notification struct {
	ID         int64
	Subject    string
	Body       string
	At         time.Time
	Unread     bool
	LeadID     int64
	MailFailed bool
}

// Notifications is the user's list, newest first.
type Notifications struct {
	Base
	Items []Notification
	Older int64 // the ID to list below for the next page; 0: none
}

// PasswordReset is the page of a one-time password link.
type PasswordReset struct {
	Base
	Email string
	Token string
}
