package intake

import (
	"context"
	"errors"
	"fmt"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/vocab"
)

// CoverageReport is GET /api/v1/definitions/{id}/coverage: per field, the
// values the stored leads hold (as written) that no code of the
// definition's vocabularies and no rule matches.
type CoverageReport struct {
	Definition int64                 `json:"definition_id"`
	Leads      int                   `json:"leads"`
	Fields     []vocab.FieldCoverage `json:"fields"`
}

// Coverage reads every live lead and counts its values against the
// vocabularies and rules of definition id (active or not), so a new
// version can be checked before it is activated.
func (s *Service) Coverage(ctx context.Context, id int64) (*CoverageReport, error) {
	d, err := s.db.DefinitionByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, problem.New(problem.NotFound, "definition %d does not exist", id)
	}
	if err != nil {
		return nil, err
	}
	def, err := definition.Parse(fmt.Sprintf("definition-%d.yaml", d.ID), []byte(d.Source))
	if err != nil {
		return nil, fmt.Errorf("stored definition %d no longer compiles: %w", d.ID, err)
	}
	cov := vocab.NewCoverage(def.Vocab, def.RuleValues)
	out := &CoverageReport{Definition: id}
	for after := int64(0); ; {
		page, err := s.db.LeadDataPage(ctx, after, 1000)
		if err != nil {
			return nil, err
		}
		for i := range page {
			cov.Lead(&page[i].Data)
			after = page[i].ID
		}
		out.Leads += len(page)
		if len(page) < 1000 {
			break
		}
	}
	out.Fields = cov.Report()
	return out, nil
}

// NewCoverage starts a coverage count against the active definition (or
// the built-in vocabularies when none is active), for an import.
func (s *Service) NewCoverage() *vocab.Coverage {
	if a := s.Active(); a != nil {
		return vocab.NewCoverage(s.vocabulary(a), a.Def.RuleValues)
	}
	return vocab.NewCoverage(s.builtin, nil)
}

// Lead is the lead an inquiry would become, for counting its values as
// written.
func (in *Inquiry) Lead() *lead.Lead {
	return &lead.Lead{Person: in.Person, Company: in.Company, Source: in.Source, Actions: []lead.Action{in.Action}}
}

// Vocabulary is the table the active definition maps values with (the
// built-in vocabularies when none is active).
func (s *Service) Vocabulary() *vocab.Table { return s.vocabulary(s.Active()) }
