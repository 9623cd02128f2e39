package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/textdiff"
	"github.com/pistahq/pista/internal/ui/view"
)

// editFile is the file name errors are reported against.
const editFile = "definition.yaml"

// definitionEditPage opens the editor on a version's YAML (?from=ID; the
// active one by default), to write the next version.
func (u *UI) definitionEditPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	from := get(r, "from")
	if from == "" {
		if a := u.svc.Active(); a != nil {
			from = itoa64(a.ID)
		}
	}
	p := &view.DefinitionEdit{Base: u.base(r, rq, "def.edit_title"), Name: editFile}
	if from != "" {
		d, err := u.definitionByID(r.Context(), from)
		if err != nil {
			return err
		}
		p.From, p.Source = d.ID, d.Source
	}
	p.Lines = sourceLines(p.Source, nil)
	return u.render(w, http.StatusOK, "definition_edit", p)
}

// definitionSave validates the YAML in the editor with the definition's
// own parser (the API's), showing each file:line error on its line; with
// action=save a valid YAML is stored as a new version, not yet active.
func (u *UI) definitionSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := &view.DefinitionEdit{Base: u.base(r, rq, "def.edit_title"), Name: strings.TrimSpace(r.PostFormValue("name")),
		Source: strings.ReplaceAll(r.PostFormValue("source"), "\r\n", "\n")}
	if p.Name == "" {
		p.Name = editFile
	}
	p.From, _ = strconv.ParseInt(r.PostFormValue("from"), 10, 64)
	_, err := definition.Parse(p.Name, []byte(p.Source))
	var list definition.Errors
	switch {
	case errors.As(err, &list):
		byLine := map[int][]string{}
		for _, e := range list {
			msg := strings.TrimPrefix(e.Error(), e.File+":"+strconv.Itoa(e.Line)+": ")
			byLine[e.Line] = append(byLine[e.Line], msg)
			p.Problems = append(p.Problems, view.SourceLine{N: e.Line, Errors: []string{msg}})
		}
		p.Lines = sourceLines(p.Source, byLine)
		p.Error = rq.P.T("def.has_errors", len(list))
		return u.render(w, http.StatusUnprocessableEntity, "definition_edit", p)
	case err != nil:
		return err
	}
	if r.PostFormValue("action") == "save" {
		res, err := u.svc.AddDefinitionAs(r.Context(), rq.User.Email, p.Name, []byte(p.Source), false)
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/app/definitions/"+itoa64(res.Definition.ID)+"?done=saved", http.StatusSeeOther)
		return nil
	}
	p.Checked = true
	p.Flash = rq.P.T("def.valid")
	p.Lines = sourceLines(p.Source, nil)
	if p.From != 0 {
		if d, err := u.definitionByID(r.Context(), itoa64(p.From)); err == nil {
			p.Diff = diffLines(textdiff.Lines(d.Source, p.Source))
		}
	}
	return u.render(w, http.StatusOK, "definition_edit", p)
}
