package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/demo"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
)

// ensureSalesOrg creates the demo's salespeople and teams for the active
// definition's routing teams. People who exist (a second demo run) are
// reused; a team that exists is left as its owner set it up.
func ensureSalesOrg(ctx context.Context, db *store.DB, svc *intake.Service, now time.Time) (people, teams int, err error) {
	act := svc.Active()
	if act == nil {
		return 0, 0, nil
	}
	for _, t := range demo.SalesOrg(slices.Collect(maps.Keys(act.Def.Routing.Teams))) {
		manager, err := ensureUser(ctx, db, t.Manager, now)
		if err != nil {
			return people, teams, err
		}
		people++
		team := &store.Team{Name: t.Name, Label: act.Def.Routing.Teams[t.Name].Label, ManagerID: manager.ID}
		for _, s := range t.Reps {
			u, err := ensureUser(ctx, db, s, now)
			if err != nil {
				return people, teams, err
			}
			people++
			team.Members = append(team.Members, store.Member{UserID: u.ID, Weight: s.Weight})
		}
		teams++
		if _, err := db.Team(ctx, t.Name); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return people, teams, err
		}
		if t.Calendar != nil {
			if team.Calendar, err = json.Marshal(t.Calendar); err != nil {
				return people, teams, err
			}
		}
		if err := db.PutTeam(ctx, team, now); err != nil {
			return people, teams, fmt.Errorf("demo team %s: %w", t.Name, err)
		}
	}
	return people, teams, nil
}

func ensureUser(ctx context.Context, db *store.DB, s demo.Seller, now time.Time) (*store.User, error) {
	u, err := db.UserByEmail(ctx, s.Email)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return u, err
	}
	u = &store.User{Name: s.Name, Email: s.Email, Role: s.Role, Language: s.Language, Timezone: s.Timezone,
		Active: true, CreatedAt: now, UpdatedAt: now}
	if err := db.InsertUser(ctx, u); err != nil {
		return nil, fmt.Errorf("demo user %s: %w", s.Email, err)
	}
	return u, nil
}

// salesPlans collects, while the loaders run, the plan of each lead: that
// of its first item (item IDs order the items), whichever goroutine
// submitted it, so that re-submissions do not make the plan depend on
// scheduling.
type salesPlans struct {
	mu    sync.Mutex
	plans map[int64]plannedItem
	// fresh are BANT calls of the last days, made only after sales has
	// worked the older leads, so that their clocks are still running.
	fresh []freshCall
}

type plannedItem struct {
	item string
	plan demo.SalesPlan
}

type freshCall struct {
	item   string
	leadID int64
	q      lead.Qualification
}

func (p *salesPlans) add(leadID int64, it *demo.Item) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.plans == nil {
		p.plans = map[int64]plannedItem{}
	}
	if old, ok := p.plans[leadID]; ok && old.item < it.Lead.ID {
		return
	}
	p.plans[leadID] = plannedItem{item: it.Lead.ID, plan: demo.PlanSales(*it)}
}

func (p *salesPlans) defer_(leadID int64, it *demo.Item) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fresh = append(p.fresh, freshCall{item: it.Lead.ID, leadID: leadID, q: *it.Qualification})
}

// simClock is the sales team's clock: it starts when the history is loaded
// and moves on as the demo plays the first days of sales' work.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *simClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

// salesSummary is what the demo's salespeople did.
type salesSummary struct {
	routed, owners, people              int
	met, breached, late, never, pending int
	rejections                          map[string]int
	accepted, opportunities, won, lost  int
	givenUp                             int
	refused                             int
	firstRefusal                        error
	freshCalls                          int
	currencies                          map[string]int
	before                              map[int64]bool // clocks of earlier runs
}

// playSales runs the waterfall over the loaded leads: routing gives them
// owners and first-touch clocks, then the owners act as the plans say.
// The sales clock starts when the history ends (two weeks ago) and moves past
// the deadlines, so some clocks are met, some breached and the fresh
// leads' still pending.
func playSales(ctx context.Context, svc *intake.Service, db *store.DB, plans *salesPlans, now func() time.Time, catchUp func(), log *slog.Logger) (*salesSummary, error) {
	sum := &salesSummary{rejections: map[string]int{}, currencies: map[string]int{}}
	t0 := now().Truncate(time.Second).Add(time.Second) // after every timer the loading scheduled
	clk := &simClock{t: t0}
	wf := waterfall.New(waterfall.Config{Intake: svc, Now: clk.Now, Log: log})
	fire := func() error {
		for {
			n, err := wf.FireDue(ctx)
			if err != nil || n == 0 {
				return err
			}
		}
	}
	// A second demo run on the same database works only its own clocks.
	var err error
	if sum.before, err = clockIDs(ctx, db); err != nil {
		return nil, err
	}
	if err := fire(); err != nil {
		return nil, err
	}
	clocks, err := db.ClocksStarted(ctx, t0, t0.Add(time.Second))
	if err != nil {
		return nil, err
	}
	clocks = slices.DeleteFunc(clocks, func(c *store.Clock) bool { return sum.before[c.ID] })
	users := map[int64]*store.User{}
	user := func(id int64) (*store.User, error) {
		if u, ok := users[id]; ok {
			return u, nil
		}
		u, err := db.User(ctx, id)
		users[id] = u
		return u, err
	}
	// Sales works the leads once every deadline has passed: late touches
	// and untouched leads are then breaches.
	end := t0
	touchAt := make([]time.Time, len(clocks))
	for i, c := range clocks {
		end = later(end, c.DueAt)
		p, ok := plans.plans[c.LeadID]
		if c.UserID == 0 || !ok {
			continue
		}
		u, err := user(c.UserID)
		if err != nil {
			return nil, err
		}
		p.plan = p.plan.ForOwner(demo.LateShare(u.Name))
		plans.plans[c.LeadID] = p
		switch p.plan.Touch {
		case demo.TouchInTime:
			at := c.StartedAt.Add(time.Duration(p.plan.TouchAt * float64(c.DueAt.Sub(c.StartedAt)))).Truncate(time.Minute)
			touchAt[i] = later(at, c.StartedAt)
			if at := officeHours(at, u.Timezone); !at.Before(c.StartedAt) && !at.After(c.DueAt) {
				touchAt[i] = at
			}
		case demo.TouchLate:
			touchAt[i] = officeHours(c.DueAt.Add(time.Duration(p.plan.TouchAt*float64(time.Hour))), u.Timezone)
		}
		end = later(end, touchAt[i])
	}
	clk.Set(end.Add(time.Minute))
	var never []int64
	for i, c := range clocks {
		p, ok := plans.plans[c.LeadID]
		if c.UserID == 0 || !ok {
			continue
		}
		if p.plan.Touch == demo.TouchNever {
			never = append(never, c.LeadID)
			continue
		}
		u := users[c.UserID]
		work(ctx, wf, sum, c.LeadID, waterfall.Actor{User: u, Role: u.Role, Name: u.Email}, p.plan, touchAt[i])
	}
	if err := fire(); err != nil { // the untouched leads' deadlines
		return nil, err
	}
	// An untouched lead whose policy escalates goes to the next member of
	// its team when the grace period ends.
	var esc time.Time
	for _, id := range never {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			ts, err := tx.PendingTimers(ctx, id)
			for _, t := range ts {
				if t.Kind == store.TimerEscalate {
					esc = later(esc, t.Due)
				}
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if !esc.IsZero() {
		clk.Set(esc.Add(time.Minute))
		if err := fire(); err != nil {
			return nil, err
		}
	}
	// The freshest BANT calls come in now: those leads are routed and
	// their clocks run.
	catchUp()
	slices.SortFunc(plans.fresh, func(a, b freshCall) int { return strings.Compare(a.item, b.item) })
	for _, f := range plans.fresh {
		if _, err := svc.Qualify(ctx, f.leadID, f.q, nil); err == nil {
			sum.freshCalls++
		}
	}
	if n := now(); n.After(clk.Now()) {
		clk.Set(n) // the calls' routing timers are due
	}
	if err := fire(); err != nil {
		return nil, err
	}
	return sum, sum.count(ctx, db, t0, clk.Now())
}

// work plays one owner's acts on a lead, in the order sales works: the
// first touch, then accept or reject, then the deal. An act the waterfall
// refuses is counted and the lead left where it is.
func work(ctx context.Context, wf *waterfall.Service, sum *salesSummary, id int64, a waterfall.Actor, p demo.SalesPlan, at time.Time) {
	refused := func(err error) {
		sum.refused++
		if sum.firstRefusal == nil {
			sum.firstRefusal = fmt.Errorf("lead %d: %w", id, err)
		}
	}
	v, err := wf.Touch(ctx, id, a, waterfall.TouchInput{Kind: p.TouchKind, Outcome: p.TouchOut, At: at})
	if err != nil {
		refused(err)
		return
	}
	switch v.Stage {
	case stage.Inquiry, stage.MQL:
		if p.Reject != "" {
			if _, err := wf.Reject(ctx, id, a, p.Reject, p.RejectText); err != nil {
				refused(err)
			} else {
				sum.rejections[p.Reject]++
			}
			return
		}
		if v.Stage == stage.Inquiry {
			return // it needs its BANT call before anyone can accept it
		}
		if v, err = wf.Accept(ctx, id, a, ""); err != nil {
			refused(err)
			return
		}
		sum.accepted++
		if v.Stage == stage.SAL && p.Close == demo.Lost {
			if _, err := wf.Lost(ctx, id, a, p.LostReason, ""); err != nil {
				refused(err)
			} else {
				sum.givenUp++
			}
		}
	case stage.SQL:
		if p.Deal == nil {
			if p.Close == demo.Lost {
				if _, err := wf.Lost(ctx, id, a, p.LostReason, ""); err != nil {
					refused(err)
				} else {
					sum.givenUp++
				}
			}
			return
		}
		name := fmt.Sprintf("Demo deal %d", id)
		if _, err := wf.Opportunity(ctx, id, a, waterfall.OpportunityInput{Name: name, Amount: p.Deal.Amount, Currency: p.Deal.Currency}); err != nil {
			refused(err)
			return
		}
		sum.opportunities++
		sum.currencies[p.Deal.Currency]++
		switch p.Close {
		case demo.Won:
			_, err = wf.Won(ctx, id, a, "")
			if err == nil {
				sum.won++
			}
		case demo.Lost:
			_, err = wf.Lost(ctx, id, a, p.LostReason, "")
			if err == nil {
				sum.lost++
			}
		}
		if err != nil {
			refused(err)
		}
	}
}

// count reads the clocks of the demo's sales days back, as the SLA report
// shows them.
func (s *salesSummary) count(ctx context.Context, db *store.DB, from, to time.Time) error {
	clocks, err := db.ClocksStarted(ctx, from, to.Add(time.Second))
	if err != nil {
		return err
	}
	clocks = slices.DeleteFunc(clocks, func(c *store.Clock) bool { return s.before[c.ID] })
	owned := map[int64]bool{}
	people := map[int64]bool{}
	for _, c := range clocks {
		if c.UserID != 0 {
			owned[c.LeadID], people[c.UserID] = true, true
		}
	}
	s.routed, s.owners, s.people = len(clocks), len(owned), len(people)
	for _, l := range waterfall.SLAReport(clocks, nil, to) {
		if l.UserID != 0 {
			continue
		}
		s.met += l.Met
		s.breached += l.Breached
		s.never += l.NeverTouched
		s.pending += l.Pending + l.Paused
	}
	s.late = s.breached - s.never
	return nil
}

func (s *salesSummary) print(w io.Writer) {
	fmt.Fprintln(w, "Sales waterfall:")
	fmt.Fprintf(w, "  owners        %6d leads to %d salespeople (%d first-touch clocks)\n", s.owners, s.people, s.routed)
	fmt.Fprintf(w, "  clocks met    %6d\n", s.met)
	fmt.Fprintf(w, "  breached      %6d (%d touched late, %d never touched)\n", s.breached, s.late, s.never)
	fmt.Fprintf(w, "  pending       %6d\n", s.pending)
	total := 0
	for _, n := range s.rejections {
		total += n
	}
	fmt.Fprintf(w, "  rejected      %6d%s\n", total, counts(s.rejections))
	fmt.Fprintf(w, "  accepted      %6d\n", s.accepted)
	fmt.Fprintf(w, "  opportunities %6d%s\n", s.opportunities, counts(s.currencies))
	fmt.Fprintf(w, "  won           %6d\n", s.won)
	fmt.Fprintf(w, "  lost          %6d (and %d given up before a deal)\n", s.lost, s.givenUp)
	if s.refused > 0 {
		fmt.Fprintf(w, "  %d acts refused by the waterfall; the first: %v\n", s.refused, s.firstRefusal)
	}
}

// counts formats "(a 3, b 1)", largest first.
func counts(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := slices.Collect(maps.Keys(m))
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// clockIDs are the clocks a database has.
func clockIDs(ctx context.Context, db *store.DB) (map[int64]bool, error) {
	all, err := db.ClocksStarted(ctx, time.Unix(0, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	ids := make(map[int64]bool, len(all))
	for _, c := range all {
		ids[c.ID] = true
	}
	return ids, err
}

// officeHours moves a time at night or on a weekend, in the salesperson's
// time zone, to the next working morning, when people make their calls.
func officeHours(t time.Time, tz string) time.Time {
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" {
		return t
	}
	l := t.In(loc)
	for l.Hour() < 8 || l.Hour() >= 18 || l.Weekday() == time.Saturday || l.Weekday() == time.Sunday {
		next := time.Date(l.Year(), l.Month(), l.Day(), 9, l.Minute(), 0, 0, loc)
		if !next.After(l) {
			next = next.AddDate(0, 0, 1)
		}
		l = next
	}
	return l.UTC()
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
