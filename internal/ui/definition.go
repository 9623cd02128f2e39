package ui

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// definitionPage shows a version's YAML with line numbers and, after an
// activation, how far re-scoring the leads has got.
func (u *UI) definitionPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, err := u.definitionByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	p := &view.Definition{Base: u.base(r, rq, "def.version_title", d.ID), Row: definitionRow(d), Lines: sourceLines(d.Source, nil)}
	if p.Reeval, err = u.reeval(r, d.ID); err != nil {
		return err
	}
	switch get(r, "done") {
	case "saved":
		p.Flash = rq.P.T("def.saved")
	case "activated":
		p.Flash = rq.P.T("def.activated")
	}
	return u.render(w, http.StatusOK, "definition", p)
}

// definitionProgress is the re-scoring progress as JSON, polled by the
// version page's script while it runs.
func (u *UI) definitionProgress(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, err := u.definitionByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	re, err := u.reeval(r, d.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(re)
}

// reeval is the latest re-scoring of a version, or nil when it never ran.
func (u *UI) reeval(r *http.Request, id int64) (*view.Reeval, error) {
	re, err := u.db.LatestReevaluation(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := &view.Reeval{Total: re.Total, Done: re.Done, Finished: re.FinishedAt != nil, Error: re.Error, Percent: 100}
	if re.Total > 0 {
		out.Percent = int(min(100, re.Done*100/re.Total))
	}
	return out, nil
}

// sourceLines numbers a YAML's lines and attaches errors to theirs.
func sourceLines(src string, errs map[int][]string) []view.SourceLine {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	out := make([]view.SourceLine, len(lines))
	for i, l := range lines {
		out[i] = view.SourceLine{N: i + 1, Text: l, Errors: errs[i+1]}
	}
	return out
}
