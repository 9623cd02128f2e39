// Package play plays the demo's months: inquiries, web behaviour and BDR
// calls arrive when the generator (package demo) says; the waterfall
// routes leads on the teams' business calendars and fires its timers
// (breaches, escalations, re-contacts from nurture); and the demo's
// salespeople touch, accept, reject, qualify, reassign and close leads,
// all on a simulated clock that moves from the first inquiry to the end
// (usually the real now) and through the same services the API calls.
// Reports then show months of history: cohorts, rep follow-up, bands.
//
// The run is deterministic for a seed: work happens in time order, one
// act at a time, and every decision is drawn from the item or a hash.
package play

import (
	"container/heap"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/pistahq/pista/internal/demo"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
)

// Config says what to play.
type Config struct {
	// Intake must read its time from Now.
	Intake *intake.Service
	// Now and Set read and move the simulated clock.
	Now func() time.Time
	Set func(time.Time)
	// Seed, Leads, Start and End go to the generator.
	Seed       uint64
	Leads      int
	Start, End time.Time
	// Until is when the play stops (the real now for pista demo): what
	// is planned later does not happen. Zero means End.
	Until time.Time
	Log   *slog.Logger
}

// tick is how often the simulated clock stops to fire the waterfall's
// timers, hand over web behaviour and look at new first-touch clocks.
const tick = time.Hour

// targetShare of the people come from the ideal customer profile that
// marketing's campaigns aim at: they are the MQLs sales accepts.
const targetShare = 0.14

// syncHour (UTC) is when web behaviour is handed over, once a day in one
// batch, as a nightly marketing-automation sync would (6:00 in Bogotá).
const syncHour = 11

// Run plays the months and says what happened. The teams must be
// staffed (Staff) first.
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Until.IsZero() || cfg.Until.After(cfg.End) {
		cfg.Until = cfg.End
	}
	p := &player{cfg: cfg, db: cfg.Intake.DB(), svc: cfg.Intake,
		wf:     waterfall.New(waterfall.Config{Intake: cfg.Intake, Now: cfg.Now, Log: cfg.Log}),
		sum:    &Summary{Rejections: map[string]int{}, Currencies: map[string]int{}, Lost: map[string]int{}},
		leadOf: map[int]int64{}, itemOf: map[int64]int{}, leads: map[int64]*leadState{}, users: map[int64]*userInfo{},
		seen: map[int64]bool{}}
	if err := p.loadUsers(ctx); err != nil {
		return nil, err
	}
	before, err := p.db.ClocksStarted(ctx, time.Unix(0, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	for _, c := range before { // a second run works only its own clocks
		p.seen[c.ID] = true
	}
	p.plan()
	if err := p.play(ctx); err != nil {
		return nil, err
	}
	if err := p.costs(ctx); err != nil {
		return nil, err
	}
	mine := map[int64]bool{}
	for _, c := range p.clocks {
		mine[c.ID] = true
	}
	if err := p.sum.count(ctx, p.db, mine, cfg.Start, cfg.Now()); err != nil {
		return nil, err
	}
	return p.sum, nil
}

// player is one run's state.
type player struct {
	cfg   Config
	db    *store.DB
	svc   *intake.Service
	wf    *waterfall.Service
	sum   *Summary
	items []demo.Item
	// events are the items' web behaviour after their first action,
	// oldest first; before are those from before it, handed over with
	// the first inquiry.
	events []itemEvent
	before map[int][]itemEvent
	queue  agenda
	seq    int
	// pending are the events to hand over at the next tick.
	pending []intake.EventIn
	leadOf  map[int]int64 // item → lead
	itemOf  map[int64]int // lead → its first item
	leads   map[int64]*leadState
	users   map[int64]*userInfo
	teams   []*store.Team
	seen    map[int64]bool // clocks already looked at
	acted   bool           // someone acted since the last look at new clocks
	looked  time.Time      // the last look
	clocks  []*store.Clock // the run's clocks, for the managers' rounds
}

type itemEvent struct {
	item int
	ev   intake.EventIn
}

type userInfo struct {
	user *store.User
	late float64
}

// leadState is what sales knows of a lead: how many times it was
// routed (round), the current plan, and gen, which makes acts planned
// before a reassignment or a new routing lapse.
type leadState struct {
	round   int
	gen     int
	clock   int64 // the round's first-touch clock
	plan    demo.SalesPlan
	touched bool
	moved   bool // reassigned by a manager in this round
	calls   int  // the owner's discovery calls in this round
}

func (p *player) loadUsers(ctx context.Context) error {
	users, err := p.db.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		p.users[u.ID] = &userInfo{user: u, late: demo.LateShare(u.Name)}
	}
	p.teams, err = p.db.Teams(ctx)
	return err
}

// plan generates the items and puts their inquiries and calls on the
// agenda, and their behaviour in time order.
func (p *player) plan() {
	p.before = map[int][]itemEvent{}
	demo.Generate(demo.Config{Seed: p.cfg.Seed, Start: p.cfg.Start, End: p.cfg.End, Leads: p.cfg.Leads, Target: targetShare}, func(it demo.Item) bool {
		i := len(p.items)
		p.items = append(p.items, it)
		for j, a := range it.Lead.Actions {
			p.push(a.At, happening{kind: doInquiry, item: i, n: j})
		}
		if q := it.Qualification; q != nil {
			p.push(q.At, happening{kind: doBDRCall, item: i})
		}
		first := it.Lead.Actions[0].At
		for _, e := range it.Events {
			ev := itemEvent{item: i, ev: intake.EventIn{Type: e.Type, At: e.At, Props: e.Props}}
			if e.At.After(first) {
				p.events = append(p.events, ev)
			} else {
				p.before[i] = append(p.before[i], ev)
			}
		}
		return true
	})
	sort.SliceStable(p.events, func(a, b int) bool { return p.events[a].ev.At.Before(p.events[b].ev.At) })
}

// play moves the clock tick by tick to the end, doing what is due.
func (p *player) play(ctx context.Context) error {
	end := p.cfg.Until
	from := p.cfg.Start.Truncate(tick)
	p.cfg.Set(from)
	for t := from.Add(tick); ; t = t.Add(tick) {
		if t.After(end) {
			t = end
		}
		for len(p.queue) > 0 && p.queue[0].at.Before(t) {
			h := heap.Pop(&p.queue).(happening)
			if h.at.After(p.cfg.Now()) {
				p.cfg.Set(h.at)
			}
			p.acted = true
			if err := p.do(ctx, h); err != nil {
				return err
			}
		}
		p.cfg.Set(t)
		if err := p.tick(ctx, t); err != nil {
			return err
		}
		if !t.Before(end) {
			return nil
		}
	}
}

// tick hands over the behaviour seen until t, fires the waterfall's due
// timers, plans the work of the clocks routing started, and on weekday
// afternoons lets the managers reassign late leads.
func (p *player) tick(ctx context.Context, t time.Time) error {
	last := !t.Before(p.cfg.Until)
	for (t.Hour() == syncHour || last) && len(p.events) > 0 && !p.events[0].ev.At.After(t) {
		e := p.events[0]
		p.events = p.events[1:]
		if id := p.leadOf[e.item]; id != 0 {
			e.ev.LeadID = id
			p.pending = append(p.pending, e.ev)
		}
	}
	if len(p.pending) > 0 {
		for batch := range slices.Chunk(p.pending, intake.MaxEventBatch) {
			if _, err := p.svc.AddEvents(ctx, batch, nil); err != nil {
				return fmt.Errorf("demo events: %w", err)
			}
		}
		p.sum.Events += len(p.pending)
		p.pending = p.pending[:0]
		if err := p.svc.EvaluatePending(ctx); err != nil {
			return err
		}
	}
	fired, err := p.fire(ctx)
	if err != nil {
		return err
	}
	if fired || p.acted {
		p.acted = false
		if err := p.newClocks(ctx, t); err != nil {
			return err
		}
	}
	if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday && t.UTC().Hour() == managersHour {
		if wd == time.Monday { // everyone clears last week's notifications
			for id := range p.users {
				if _, err := p.db.MarkNotificationsRead(ctx, id, nil, t); err != nil {
					return err
				}
			}
		}
		return p.managers(ctx)
	}
	return nil
}

// fire carries out the waterfall's due timers (those they schedule
// already due too), and says whether any fired.
func (p *player) fire(ctx context.Context) (bool, error) {
	fired := false
	for {
		next, ok, err := p.db.NextTimerDue(ctx)
		if err != nil || !ok || next.After(p.cfg.Now()) {
			return fired, err
		}
		n, err := p.wf.FireDue(ctx)
		if err != nil || n == 0 {
			return fired, err
		}
		fired = true
	}
}

// costs enters what marketing spent on its paid campaigns each month.
func (p *player) costs(ctx context.Context) error {
	for _, c := range demo.CampaignCosts(p.cfg.Start, p.cfg.Until) {
		sc := &store.CampaignCost{Campaign: c.Campaign, Month: c.Month, Amount: c.Amount, Currency: c.Currency, UpdatedAt: p.cfg.Now()}
		if err := report.CheckCampaignCost(sc); err != nil {
			return err
		}
		if err := p.db.PutCampaignCost(ctx, sc); err != nil {
			return err
		}
		p.sum.Costs++
	}
	return nil
}

// happening is something due at a time: an inquiry, a BDR's call or an
// act of the lead's owner.
type happening struct {
	at   time.Time
	seq  int
	kind int
	item int   // doInquiry (with n, the action), doBDRCall
	n    int   // the action of an inquiry
	lead int64 // acts
	gen  int
}

const (
	doInquiry = iota
	doBDRCall
	doTouch
	doAccept
	doCall
	doReject
	doOpportunity
	doClose
	doGiveUp
)

func (p *player) push(at time.Time, h happening) {
	h.at, h.seq = at, p.seq
	p.seq++
	heap.Push(&p.queue, h)
}

// agenda is a heap of happenings, earliest first, then in the order
// they were planned.
type agenda []happening

func (a agenda) Len() int { return len(a) }
func (a agenda) Less(i, j int) bool {
	if !a[i].at.Equal(a[j].at) {
		return a[i].at.Before(a[j].at)
	}
	return a[i].seq < a[j].seq
}
func (a agenda) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a *agenda) Push(x any)   { *a = append(*a, x.(happening)) }
func (a *agenda) Pop() any {
	old := *a
	h := old[len(old)-1]
	*a = old[:len(old)-1]
	return h
}

// sortedKeys is for summaries printed in a stable order.
func sortedKeys(m map[string]int) []string {
	keys := slices.Collect(maps.Keys(m))
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
