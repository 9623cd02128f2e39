package importer

import (
	"maps"
	"slices"
	"strings"
)

// Fields lists the lead fields a column can be mapped to (besides
// attributes.<name>), for choosing a column's field in a form.
func Fields() []string {
	return slices.Sorted(maps.Keys(headerSynonyms))
}

// Who names a row's person for people reading a preview: the name and
// e-mail, else the row's external id.
func (r Row) Who() string {
	p := r.Inquiry.Person
	who := strings.TrimSpace(p.FirstName + " " + p.LastName)
	if p.Email != "" {
		who += " <" + p.Email + ">"
	}
	if who == "" {
		who = r.Inquiry.Source.ExternalID
	}
	return who
}
