package report

import (
	"context"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/store"
)

// NewRowByRow returns reports that read report_leads row by row instead
// of the packed days: the answer the days must give.
func NewRowByRow(db *store.DB, def func() *definition.Definition) *Reports {
	r := New(db, def)
	r.rowByRow = true
	return r
}

// NewWithoutRollups returns reports that read every day from its
// segments, never from report_rollups: the answer the rollups must give.
func NewWithoutRollups(db *store.DB, def func() *definition.Definition) *Reports {
	r := New(db, def)
	r.noRollups = true
	return r
}

// CatchUpForTest runs what Run runs each time, in turns of steps steps of
// size timeline entries, calling turnDone after each turn.
func (r *Reports) CatchUpForTest(ctx context.Context, steps int, size int64, turnDone func()) error {
	r.steps, r.stepSize, r.turnDone = steps, size, turnDone
	return r.catchUp(ctx)
}
