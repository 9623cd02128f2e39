package engine

import (
	"fmt"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/vocab"
)

// vocabulary explains how intake read the lead's values into codes: one
// step per mapping, so that "why is this VP a vp" and "why did Minería
// not count" are answered in the explanation.
func (ev *evaluation) vocabulary(l *lead.Lead) {
	for _, m := range l.Mappings {
		ev.step(Step{Kind: "vocabulary", Rule: m.Field, Value: m.Code, Note: MappingNote(m)})
	}
}

// MappingNote says in words how a value was mapped.
func MappingNote(m lead.Mapping) string {
	switch m.How {
	case vocab.ByTitle:
		return fmt.Sprintf("inferred from the title %q", m.Raw)
	case vocab.ByPlaceholder:
		return fmt.Sprintf("%q is a placeholder: left blank", m.Raw)
	case vocab.Unmatched:
		return fmt.Sprintf("%q matches no code of the vocabulary; kept as %s", m.Raw, m.Code)
	case vocab.ByFuzzy:
		return fmt.Sprintf("%q is close to %s (similarity %.2f)", m.Raw, m.Code, m.Score)
	}
	return fmt.Sprintf("%q is the %s of %s", m.Raw, m.How, m.Code)
}
