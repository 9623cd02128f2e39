package store

import (
	"fmt"
	"slices"
)

// ReportDimensions lists the names group_by and the filters accept.
var ReportDimensions = []string{"source", "campaign", "form", "country", "team", "owner", "band", "definition_version", "month", "week"}

// ReportStages are the funnel's stages after the inquiry, in the order of
// ReportLead.Reached and the *_at columns.
var ReportStages = []string{"mql", "sal", "sql", "opportunity", "won"}

// CheckReportDimensions reports a dimension name the reports do not know.
func CheckReportDimensions(names ...string) error {
	for _, n := range names {
		if !slices.Contains(ReportDimensions, n) {
			return fmt.Errorf("unknown dimension %q", n)
		}
	}
	return nil
}
