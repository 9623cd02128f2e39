package view

import "time"

// Campaigns is the campaign costs page: the costs entered, and the
// upload of a CSV of more with, when it was refused, why.
type Campaigns struct {
	Base
	Rows []CostRow
	// FileError says why the whole file was refused; BadLines names
	// each bad line and field (nothing was imported).
	FileError string
	BadLines  []CostLine
}

// CostRow is one campaign's cost in one month.
type CostRow struct {
	Campaign, Month, Amount string
	Updated                 time.Time
}

// CostLine is one bad field of one line of an uploaded file.
type CostLine struct {
	Line          int
	Field, Reason string
}
