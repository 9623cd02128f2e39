package ui

import (
	"net/http"

	"github.com/pistahq/pista/internal/textdiff"
	"github.com/pistahq/pista/internal/ui/view"
)

// definitionDiffPage compares two versions line by line (?a=ID&b=ID).
func (u *UI) definitionDiffPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	a, err := u.definitionByID(r.Context(), get(r, "a"))
	if err != nil {
		return err
	}
	b, err := u.definitionByID(r.Context(), get(r, "b"))
	if err != nil {
		return err
	}
	lines := textdiff.Lines(a.Source, b.Source)
	p := &view.DefinitionDiff{Base: u.base(r, rq, "def.diff_title", a.ID, b.ID), A: definitionRow(a), B: definitionRow(b),
		Lines: diffLines(lines), Changed: textdiff.Changed(lines)}
	return u.render(w, http.StatusOK, "definition_diff", p)
}

// diffLines turns a diff into rows for a table.
func diffLines(d []textdiff.Line) []view.DiffLine {
	out := make([]view.DiffLine, len(d))
	for i, l := range d {
		kind := "same"
		switch l.Kind {
		case textdiff.Added:
			kind = "added"
		case textdiff.Removed:
			kind = "removed"
		}
		out[i] = view.DiffLine{Kind: kind, A: l.A, B: l.B, Text: l.Text}
	}
	return out
}
