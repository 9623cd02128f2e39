package ui

import (
	"net/http"
	"slices"

	"github.com/pistahq/pista/internal/access"

	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/ui/view"
)

// queueStages are the stages a rep's queue can be filtered by: the open
// ones.
var queueStages = []string{stage.MQL, stage.SAL, stage.SQL, stage.Opportunity, stage.Recycled}

// queuePage is a rep's home: the leads they hold, the first touch due
// first on top, and their teams' unassigned leads.
func (u *UI) queuePage(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	band, st := get(r, "band"), get(r, "stage")
	mine, err := u.db.OwnedLeads(ctx, rq.User.ID, 500)
	if err != nil {
		return err
	}
	sc, _, err := u.scope(ctx, rq)
	if err != nil {
		return err
	}
	queued, teams, err := u.db.UnassignedLeads(ctx, sc.Teams, 200)
	if err != nil {
		return err
	}
	bands := map[string]bool{}
	keep := mine[:0]
	for _, l := range mine {
		if !stage.Open(l.Stage()) {
			continue
		}
		if l.Eval != nil && l.Eval.Band != "" {
			bands[l.Eval.Band] = true
		}
		if (band == "" || (l.Eval != nil && l.Eval.Band == band)) && (st == "" || l.Stage() == st) {
			keep = append(keep, l)
		}
	}
	p := &view.Queue{Base: u.base(r, rq, "queue.title"), Idem: access.NewSecret("")}
	if p.Mine, err = u.rows(ctx, rq, keep, nil); err != nil {
		return err
	}
	byDue(p.Mine)
	if p.Unassigned, err = u.rows(ctx, rq, queued, teams); err != nil {
		return err
	}
	byDue(p.Unassigned)
	y, m, d := u.now().In(rq.Loc).Date()
	for _, row := range p.Mine {
		if row.SLA.State == "breached" {
			p.DueToday++
			continue
		}
		if row.SLA.State == "soon" || row.SLA.State == "on_time" {
			if yy, mm, dd := row.SLA.Due.In(rq.Loc).Date(); yy == y && mm == m && dd == d {
				p.DueToday++
			} else if p.NextDue == "" {
				p.NextDue = p.When(row.SLA.Due)
			}
		}
	}
	names := make([]string, 0, len(bands))
	for b := range bands {
		names = append(names, b)
	}
	slices.Sort(names)
	p.Bands = u.bandOptions(rq.P, names, band)
	p.Stages = options(queueStages, p.Stage, st)
	return u.render(w, http.StatusOK, "queue", p)
}
