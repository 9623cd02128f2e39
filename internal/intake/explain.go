package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// ExplainStored writes the explanation of a stored lead's last evaluation
// as text, the same text pista explain prints for a lead file: each
// decision with the line of the definition version that made it, named
// definition-ID.yaml as GET /api/v1/definitions/{id} shows its source.
// pista explain --lead and GET /api/v1/leads/{id}/explanation both call it.
func ExplainStored(ctx context.Context, db *store.DB, l *store.Lead, w io.Writer) error {
	if l.Eval == nil || l.DefinitionID == 0 {
		return problem.New(problem.Conflict, "lead %d has not been evaluated yet: no definition was active when it arrived", l.ID)
	}
	rec, err := db.DefinitionByID(ctx, l.DefinitionID)
	if errors.Is(err, store.ErrNotFound) {
		return problem.New(problem.Conflict, "lead %d was evaluated by definition %d, which is no longer stored", l.ID, l.DefinitionID)
	}
	if err != nil {
		return err
	}
	def, err := definition.Parse(fmt.Sprintf("definition-%d.yaml", rec.ID), []byte(rec.Source))
	if err != nil {
		return fmt.Errorf("stored definition %d no longer compiles: %w", rec.ID, err)
	}
	res := *l.Eval
	if res.LeadID == "" { // stored evaluations do not repeat the lead's ID
		res.LeadID = strconv.FormatInt(l.ID, 10)
	}
	if l.MergedInto != 0 {
		fmt.Fprintf(w, "Lead %d was merged into lead %d: this is its last evaluation before the merge.\n", l.ID, l.MergedInto)
	}
	return engine.WriteText(w, def, &res)
}
