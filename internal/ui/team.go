package ui

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// teamPage is a manager's home: for each team they manage (an admin: every
// team), each rep's open leads, overdue first touches, first touches met
// and breached this week, absence and capacity; then the leads whose first
// touch is breached, to reassign.
func (u *UI) teamPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	sc, teams, err := u.scope(ctx, rq)
	if err != nil {
		return err
	}
	p := &view.Team{Base: u.base(r, rq, "team.title"), Idem: access.NewSecret("")}
	now := u.now()
	local := now.In(rq.Loc)
	weekStart := time.Date(local.Year(), local.Month(), local.Day()-(int(local.Weekday())+6)%7, 0, 0, 0, 0, rq.Loc)
	clocks, err := u.db.ClocksStarted(ctx, weekStart, now.Add(time.Second))
	if err != nil {
		return err
	}
	met, breached := map[int64]int{}, map[int64]int{}
	for _, c := range clocks {
		switch {
		case c.Status == store.ClockMet:
			met[c.UserID]++
		case c.Status == store.ClockBreached || c.BreachedAt != nil:
			breached[c.UserID]++
		}
	}
	var members []int64
	for _, t := range teams {
		if rq.User.Role == access.Admin || slices.Contains(sc.Manages, t.Name) {
			for _, m := range t.Members {
				members = append(members, m.UserID)
			}
		}
	}
	work, err := u.db.Workloads(ctx, members, stage.OpenStages(), now)
	if err != nil {
		return err
	}
	var late []int64
	for _, t := range teams {
		if rq.User.Role != access.Admin && !slices.Contains(sc.Manages, t.Name) {
			continue
		}
		block := view.TeamBlock{Name: t.Name, Label: firstOf(t.Label, t.Name)}
		for _, m := range t.Members {
			usr, err := u.db.User(ctx, m.UserID)
			if err != nil {
				return err
			}
			row := view.MemberRow{Name: usr.Name, Email: usr.Email, Away: usr.Away(now), Capacity: m.DailyCapacity,
				Met: met[usr.ID], Breached: breached[usr.ID]}
			if w := work[usr.ID]; w != nil {
				row.Open, row.Overdue = w.Open, len(w.Overdue)
				late = append(late, w.Overdue...)
			}
			block.Members = append(block.Members, row)
			if usr.Active {
				p.Reps = append(p.Reps, view.Option{Value: strconv.FormatInt(usr.ID, 10), Label: usr.Name})
			}
		}
		p.Teams = append(p.Teams, block)
	}
	// A rep in two teams is counted in both, and their late leads listed once.
	slices.Sort(late)
	lateLeads, err := u.db.ListedLeads(ctx, slices.Compact(late))
	if err != nil {
		return err
	}
	if p.Breached, err = u.rows(ctx, rq, lateLeads, nil); err != nil {
		return err
	}
	byDue(p.Breached)
	return u.render(w, http.StatusOK, "team", p)
}
