package ui

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/ui/view"
)

// queueStages are the stages a rep's queue can be filtered by: the open
// ones.
var queueStages = []string{stage.MQL, stage.SAL, stage.SQL, stage.Opportunity, stage.Recycled}

// queuePage is a rep's home: the leads they hold, the first touch due
// first on top, and their teams' unassigned leads, each a page of fifty
// (store.QueuePage) with its count and a link to the next page. The
// positions are in the address (after, team_after), so a page can be
// bookmarked and works without JavaScript; the filters apply to both.
func (u *UI) queuePage(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	band, st := get(r, "band"), get(r, "stage")
	var bad []problem.Field
	cursor := func(name string) store.QueueKey {
		v := get(r, name)
		if v == "" {
			return store.QueueKey{}
		}
		k, ok := decodeQueueKey(v)
		if !ok {
			bad = append(bad, problem.Field{Name: name, Reason: "not a position from a previous page", Code: "choose"})
		}
		return k
	}
	mineAfter, teamAfter := cursor("after"), cursor("team_after")
	if len(bad) > 0 {
		return problem.Fields("bad queue position", bad...)
	}
	now := u.now().In(rq.Loc)
	y, m, d := now.Date()
	dayEnd := time.Date(y, m, d+1, 0, 0, 0, 0, rq.Loc)

	// Mine: the open leads I hold, in the stage asked for if it is open.
	stages := stage.OpenStages()
	if st != "" {
		stages = nil
		if stage.Open(st) {
			stages = []string{st}
		}
	}
	p := &view.Queue{Base: u.base(r, rq, "queue.title"), Idem: access.NewSecret("")}
	if stages != nil {
		mine, err := u.db.QueuePage(ctx, store.QueueQuery{Owner: rq.User.ID, Stages: stages, Band: band, After: mineAfter, Limit: pageSize, DayEnd: dayEnd})
		if err != nil {
			return err
		}
		if p.Mine, err = u.rows(ctx, rq, mine.Leads, nil); err != nil {
			return err
		}
		p.Total, p.DueToday = mine.Total, mine.DueToday
		if !mine.NextDue.IsZero() {
			p.NextDue = p.When(mine.NextDue)
		}
		p.MinePage = queuePager(r, "after", mineAfter, mine)
	}

	// The team's: the leads waiting unheld in my teams' queues.
	sc, _, err := u.scope(ctx, rq)
	if err != nil {
		return err
	}
	var only []string
	if st != "" {
		only = []string{st}
	}
	team, err := u.db.QueuePage(ctx, store.QueueQuery{Teams: sc.Teams, Stages: only, Band: band, After: teamAfter, Limit: pageSize, DayEnd: dayEnd})
	if err != nil {
		return err
	}
	if p.Unassigned, err = u.rows(ctx, rq, team.Leads, team.Teams); err != nil {
		return err
	}
	p.TeamTotal = team.Total
	p.TeamPage = queuePager(r, "team_after", teamAfter, team)

	if def := u.svc.Active(); def != nil {
		var names []string
		for _, b := range def.Def.Bands {
			names = append(names, b.Name)
		}
		p.Bands = u.bandOptions(rq.P, names, band)
	}
	if band != "" && !slices.ContainsFunc(p.Bands, func(o view.Option) bool { return o.Value == band }) {
		// A band of an earlier definition, from a bookmark: still shown.
		p.Bands = append(p.Bands, u.bandOptions(rq.P, []string{band}, band)...)
	}
	p.Stages = options(queueStages, p.Stage, st)
	return u.render(w, http.StatusOK, "queue", p)
}

// queuePager says which part of a queue a page shows and links to the
// next page and the first; the links keep the rest of the address (the
// filters, the other table's position).
func queuePager(r *http.Request, param string, after store.QueueKey, q *store.Queue) view.Pager {
	pg := view.Pager{From: q.Before + 1, To: q.Before + len(q.Leads), Total: q.Total}
	if len(q.Leads) == 0 {
		pg.From = 0
	}
	link := func(k store.QueueKey) string {
		v := cloneValues(r.URL.Query())
		v.Del("done")
		if k.IsZero() {
			v.Del(param)
		} else {
			v.Set(param, encodeQueueKey(k))
		}
		if len(v) == 0 {
			return "/app/queue"
		}
		return "/app/queue?" + v.Encode()
	}
	if q.More {
		pg.Next = link(q.Keys[len(q.Keys)-1])
	}
	if !after.IsZero() {
		pg.First = link(store.QueueKey{})
	}
	return pg
}

// encodeQueueKey writes a queue position for an address: rank, due time,
// score and ID, separated by "_".
func encodeQueueKey(k store.QueueKey) string {
	return strings.Join([]string{strconv.Itoa(k.Rank), strconv.FormatInt(k.Due, 10),
		strconv.FormatFloat(k.Score, 'g', -1, 64), strconv.FormatInt(k.ID, 10)}, "_")
}

func decodeQueueKey(s string) (store.QueueKey, bool) {
	f := strings.Split(s, "_")
	if len(f) != 4 {
		return store.QueueKey{}, false
	}
	rank, err1 := strconv.Atoi(f[0])
	due, err2 := strconv.ParseInt(f[1], 10, 64)
	score, err3 := strconv.ParseFloat(f[2], 64)
	id, err4 := strconv.ParseInt(f[3], 10, 64)
	k := store.QueueKey{Rank: rank, Due: due, Score: score, ID: id}
	return k, err1 == nil && err2 == nil && err3 == nil && err4 == nil && rank >= 0 && rank <= 2 && id > 0 &&
		!math.IsNaN(score) && !math.IsInf(score, 0)
}
