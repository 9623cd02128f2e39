package view

import "time"

// ImportRow is a past import.
type ImportRow struct {
	ID       int64
	Name     string
	Status   string
	Dry      bool
	Started  time.Time
	Rows     int
	Created  int
	Merged   int
	Invalid  int
	Finished bool
}

// Imports lists past imports and starts a new one.
type Imports struct {
	Base
	Rows []ImportRow
}

// ImportColumn is a column of an uploaded file and the lead field it goes
// to.
type ImportColumn struct {
	Index   int
	Header  string
	Sample  string
	Fields  []Option // the chosen one selected; value "-" ignores the column
	Unknown bool     // no field was suggested
	// Ask explains why a column was not mapped to the field its name
	// suggests (a "campaign" of numbers) and asks which it is.
	Ask string
}

// ImportMapping is step 2: the suggested mapping to confirm or change,
// then (after a dry run) the first rows' verdicts.
type ImportMapping struct {
	Base
	Upload   string // the uploaded file's token
	Name     string
	Campaign string
	Action   string
	Actions  []Option
	Columns  []ImportColumn
	Preview  []ImportPreviewRow
	Stats    *ImportStats
	Reasons  []ImportReason // the dry run's reasons, grouped
}

// ImportReason is one kind of reason rows were refused, flagged or
// changed: how many rows, and the first lines as examples.
type ImportReason struct {
	Reason, Rows, Lines string
}

// ImportAsk is a column read differently from what its name suggests,
// and why.
type ImportAsk struct {
	Header, Text string
}

// ImportPreviewRow is what a dry run says of one row.
type ImportPreviewRow struct {
	Line    int
	Who     string
	Status  string
	Quality string
	Stage   string
	Reason  string
}

// ImportStats counts what an import did or would do.
type ImportStats struct {
	Rows, Created, Merged, Unchanged, Invalid int
}

// ImportJob is a running or finished import with its progress.
type ImportJob struct {
	Base
	Row     ImportRow
	Total   int
	Percent int
	Error   string
	Report  bool
	Stats   ImportStats
	Reasons []ImportReason
	Asks    []ImportAsk // the mapping page's questions, still answered as shown there
}
