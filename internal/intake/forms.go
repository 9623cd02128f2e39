package intake

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/webform"
)

// Web forms are saved and read here, so the forms API and the web app's
// Forms page apply the same checks and warnings.

// PutForm checks a web form's configuration (filling in its defaults) and
// stores it, creating or replacing the form c.Name. A bad configuration is
// a problem naming every bad field; then nothing is stored. On success
// c.Warnings lists select options that are not codes of the active
// definition.
func (s *Service) PutForm(ctx context.Context, c *webform.Config) error {
	c.Warnings = nil
	if err := c.Validate(); err != nil {
		var fe lead.FieldErrors
		if !errors.As(err, &fe) {
			return problem.New(problem.Invalid, "%v", err)
		}
		pe := problem.Fields("the form configuration has invalid fields")
		for _, f := range fe {
			pe.Fields = append(pe.Fields, problem.Field{Name: f.Field, Reason: f.Msg, Code: f.Code, Args: f.Args})
		}
		return pe
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := s.db.PutForm(ctx, c.Name, b, s.now()); err != nil {
		return err
	}
	c.Warnings = webform.OptionWarnings(c, s.Vocabulary())
	return nil
}

// Form loads a web form's configuration; an unknown name is NotFound.
func (s *Service) Form(ctx context.Context, name string) (*webform.Config, error) {
	b, err := s.db.Form(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, problem.Coded(problem.NotFound, "no_form", []any{name}, "there is no form %q", name)
	}
	if err != nil {
		return nil, err
	}
	var c webform.Config
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// StoredForm is a web form with when it was made and last changed.
type StoredForm struct {
	*webform.Config
	CreatedAt, UpdatedAt time.Time
}

// Forms lists the web forms by name.
func (s *Service) Forms(ctx context.Context) ([]StoredForm, error) {
	rows, err := s.db.Forms(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]StoredForm, 0, len(rows))
	for _, r := range rows {
		var c webform.Config
		if err := json.Unmarshal(r.Config, &c); err != nil {
			return nil, err
		}
		out = append(out, StoredForm{Config: &c, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt})
	}
	return out, nil
}
