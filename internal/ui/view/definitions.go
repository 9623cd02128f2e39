package view

import "time"

// DefinitionRow is one stored version in the list.
type DefinitionRow struct {
	ID          int64
	Name        string
	Version     string
	Created     time.Time
	ActivatedAt *time.Time
	ActivatedBy string
	Active      bool
}

// Definitions lists the versions of the lead definition and compares two.
type Definitions struct {
	Base
	Rows     []DefinitionRow
	Versions []Option // for the compare form
	Other    []Option
}

// SourceLine is a line of a definition's YAML with what is wrong on it.
type SourceLine struct {
	N      int
	Text   string
	Errors []string
}

// Reeval is the progress of re-scoring every live lead with a version.
type Reeval struct {
	Total, Done int64
	Finished    bool
	Error       string
	Percent     int
}

// Definition is one version: its YAML with line numbers, and the
// re-scoring that its activation started.
type Definition struct {
	Base
	Row    DefinitionRow
	Lines  []SourceLine
	Reeval *Reeval
}

// DefinitionEdit is the editor: the YAML being written, what validation
// found, line by line, and how it differs from the version it started
// from.
type DefinitionEdit struct {
	Base
	From     int64
	Name     string
	Source   string
	Checked  bool         // validated without errors
	Problems []SourceLine // lines with errors (line 0: the file as a whole)
	Lines    []SourceLine
	Diff     []DiffLine
}

// DiffLine is a line of a comparison of two versions.
type DiffLine struct {
	Kind string // same, added, removed
	A, B int
	Text string
}

// DefinitionDiff compares two versions.
type DefinitionDiff struct {
	Base
	A, B    DefinitionRow
	Lines   []DiffLine
	Changed bool
}

// DefinitionActivate asks to confirm an activation, showing what changes
// against the active version.
type DefinitionActivate struct {
	Base
	Row     DefinitionRow
	Current *DefinitionRow
	Lines   []DiffLine
	Changed bool
	Leads   int64 // live leads that will be re-scored
}

// Int64 formats a whole number (counts of leads).
func (b *Base) Int64(v int64) string { return b.P.Int(v) }
