package web

import (
	"errors"
	"net/http"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

func (s *Server) listDefinitions(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	defs, err := s.db.Definitions(r.Context())
	if err != nil {
		return err
	}
	if defs == nil {
		defs = []*store.Definition{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"definitions": defs})
}

// postDefinition takes {"name": "file.yaml", "source": "<yaml>", "activate": true}.
func (s *Server) postDefinition(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	var in struct {
		Name     string `json:"name"`
		Source   string `json:"source"`
		Activate bool   `json:"activate"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Source == "" {
		return problem.Fields("no definition", problem.Field{Name: "source", Reason: "missing: the YAML text of the definition"})
	}
	if in.Name == "" {
		in.Name = "definition.yaml"
	}
	res, err := s.svc.AddDefinitionAs(r.Context(), tok.Name, in.Name, []byte(in.Source), in.Activate)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, res)
}

// getDefinition shows a version with its source and the progress of its
// latest re-evaluation.
func (s *Server) getDefinition(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.db.DefinitionByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return problem.New(problem.NotFound, "definition %d does not exist", id)
	}
	if err != nil {
		return err
	}
	if a := s.svc.Active(); a != nil && a.ID == d.ID {
		d.Active = true
	}
	out := map[string]any{"definition": d}
	if re, err := s.db.LatestReevaluation(r.Context(), id); err == nil {
		out["reevaluation"] = re
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) activateDefinition(w http.ResponseWriter, r *http.Request, tok *store.Token) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	res, err := s.svc.ActivateDefinitionAs(r.Context(), tok.Name, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

// definitionCoverage lists, per field, the values of the stored leads
// that no vocabulary code and no rule of the definition matches, with
// counts and a suggested code.
func (s *Server) definitionCoverage(w http.ResponseWriter, r *http.Request, _ *store.Token) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := s.svc.Coverage(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}
