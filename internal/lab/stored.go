package lab

import (
	"context"
	"errors"
	"strconv"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
)

// StoredDefinition compiles a stored definition version to backtest; id 0
// is the active one. field names the request field that chose it, so the
// API and the web app report a missing or broken version the same way.
func StoredDefinition(ctx context.Context, db *store.DB, id int64, field string) (*definition.Definition, error) {
	var (
		d   *store.Definition
		err error
	)
	if id == 0 {
		d, err = db.ActiveDefinition(ctx)
	} else {
		d, err = db.DefinitionByID(ctx, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		if id == 0 {
			return nil, problem.Fields("no active definition", problem.Field{Name: field, Reason: "no definition is active; give a definition id"})
		}
		return nil, problem.Fields("no such definition", problem.Field{Name: field, Reason: "definition " + strconv.FormatInt(id, 10) + " does not exist"})
	}
	if err != nil {
		return nil, err
	}
	def, err := definition.Parse(d.Name+".yaml", []byte(d.Source))
	if err != nil {
		return nil, problem.Fields("the stored definition does not load", problem.Field{Name: field, Reason: err.Error()})
	}
	return def, nil
}
