package ui

import (
	"net/http"

	"github.com/pistahq/pista/internal/textdiff"
	"github.com/pistahq/pista/internal/ui/view"
)

// definitionActivatePage asks to confirm an activation: what changes
// against the active version and how many leads will be re-scored.
func (u *UI) definitionActivatePage(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	d, err := u.definitionByID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	p := &view.DefinitionActivate{Base: u.base(r, rq, "def.activate_title", d.ID), Row: definitionRow(d)}
	if a := u.svc.Active(); a != nil {
		cur, err := u.definitionByID(ctx, itoa64(a.ID))
		if err != nil {
			return err
		}
		row := definitionRow(cur)
		p.Current = &row
		lines := textdiff.Lines(cur.Source, d.Source)
		p.Lines, p.Changed = diffLines(lines), textdiff.Changed(lines)
	}
	if p.Leads, err = u.db.CountLiveLeads(ctx); err != nil {
		return err
	}
	return u.render(w, http.StatusOK, "definition_activate", p)
}

// definitionActivate makes a version active, as the API's activate does,
// recording the signed-in user; every live lead is then re-scored in the
// background and the version's page shows the progress.
func (u *UI) definitionActivate(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, err := u.definitionByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if _, err := u.svc.ActivateDefinitionAs(r.Context(), rq.User.Email, d.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/app/definitions/"+itoa64(d.ID)+"?done=activated", http.StatusSeeOther)
	return nil
}
