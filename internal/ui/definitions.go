package ui

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// definitionsPage is marketing's home: the versions of the lead
// definition, who activated each and when, and a form to compare two.
func (u *UI) definitionsPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	defs, err := u.db.Definitions(r.Context())
	if err != nil {
		return err
	}
	p := &view.Definitions{Base: u.base(r, rq, "def.title")}
	for i, d := range defs {
		row := definitionRow(d)
		p.Rows = append(p.Rows, row)
		label := "#" + itoa64(d.ID) + " " + d.Name
		if d.Version != "" {
			label += " (" + d.Version + ")"
		}
		p.Versions = append(p.Versions, view.Option{Value: itoa64(d.ID), Label: label, Selected: i == 1})
		p.Other = append(p.Other, view.Option{Value: itoa64(d.ID), Label: label, Selected: i == 0})
	}
	return u.render(w, http.StatusOK, "definitions", p)
}

func definitionRow(d *store.Definition) view.DefinitionRow {
	return view.DefinitionRow{ID: d.ID, Name: d.Name, Version: d.Version, Created: d.CreatedAt, ActivatedAt: d.ActivatedAt,
		ActivatedBy: d.ActivatedBy, Active: d.Active}
}

// definitionByID loads a version named in the URL (path value or query
// parameter name), marked active when it is.
func (u *UI) definitionByID(ctx context.Context, raw string) (*store.Definition, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return nil, problem.Coded(problem.NotFound, "no_definition", []any{raw}, "no definition version %q", raw)
	}
	d, err := u.db.DefinitionByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, problem.Coded(problem.NotFound, "no_definition", []any{raw}, "no definition version %q", raw)
	}
	if err != nil {
		return nil, err
	}
	if a := u.svc.Active(); a != nil && a.ID == d.ID {
		d.Active = true
	}
	return d, nil
}
