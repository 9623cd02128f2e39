package ui

import (
	"encoding/json"
	"net/http"

	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// importsPage lists past imports and has the form to upload a new
// spreadsheet.
func (u *UI) importsPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	jobs, err := u.db.Imports(r.Context(), 100)
	if err != nil {
		return err
	}
	p := &view.Imports{Base: u.base(r, rq, "imp.title")}
	for _, j := range jobs {
		p.Rows = append(p.Rows, importRow(j))
	}
	return u.render(w, http.StatusOK, "imports", p)
}

func importRow(j *store.Import) view.ImportRow {
	var st importer.Stats
	_ = json.Unmarshal(j.Stats, &st) // written by the import itself
	return view.ImportRow{ID: j.ID, Name: j.Name, Status: j.Status, Dry: j.DryRun, Started: j.StartedAt, Rows: st.Rows,
		Created: st.Created, Merged: st.Merged, Invalid: st.Invalid, Finished: j.FinishedAt != nil}
}

func statsOf(st importer.Stats) view.ImportStats {
	return view.ImportStats{Rows: st.Rows, Created: st.Created, Merged: st.Merged, Unchanged: st.Unchanged, Invalid: st.Invalid}
}
