package play

import (
	"context"
	"fmt"
	"maps"
	"math"
	"time"

	"github.com/pistahq/pista/internal/demo"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/stage"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
)

// managersHour (UTC) is when, on weekdays, managers look at the first
// touches their teams missed: 10:00 in Bogotá, 11:00 in New York.
const managersHour = 15

// do carries out one happening at the clock's time.
func (p *player) do(ctx context.Context, h happening) error {
	switch h.kind {
	case doInquiry:
		return p.inquiry(ctx, h)
	case doBDRCall:
		id := p.leadOf[h.item]
		if id == 0 {
			return nil
		}
		// BDRs call the leads marketing handed to sales (MQLs and those
		// accepted), and now and then an inquiry that asked for a price
		// or a demo; a buyer is mostly found by the rep's own calls (see
		// doCall).
		l, err := p.db.Lead(ctx, id)
		if err != nil {
			return err
		}
		x, buyer := p.draw(id, &leadState{}, 94), p.items[h.item].Outcome != ""
		handed := l.Stage() == stage.MQL || l.Stage() == stage.SAL
		if handed && buyer && x < 0.7 || !handed && (!buyer || x < 0.85) {
			p.sum.Skipped++
			return nil
		}
		q := *p.items[h.item].Qualification
		q.At = p.cfg.Now()
		if _, err := p.svc.Qualify(ctx, id, q, nil); err != nil {
			p.sum.refuse(id, "bdr call", err)
			return nil
		}
		p.sum.BDRCalls++
		return nil
	}
	st := p.leads[h.lead]
	if st == nil || st.gen != h.gen {
		return nil // the lead was routed again or reassigned: the plan lapsed
	}
	l, err := p.db.Lead(ctx, h.lead)
	if err != nil {
		return err
	}
	owner := p.users[l.OwnerID]
	if owner == nil {
		return nil // waiting in the team's queue
	}
	a := waterfall.Actor{User: owner.user, Role: owner.user.Role, Name: owner.user.Email}
	return p.act(ctx, h, l, a, st)
}

// inquiry submits one action of an item, as a web form or API client
// would, and remembers the lead it made or joined.
func (p *player) inquiry(ctx context.Context, h happening) error {
	it := &p.items[h.item]
	a := it.Lead.Actions[h.n]
	if form := demo.FormOf(it.Lead.Source.Format, a.Type); form != "" {
		props := maps.Clone(a.Props)
		if props == nil {
			props = map[string]any{}
		}
		props["form"] = form
		a.Props = props
	}
	in := intake.Inquiry{Person: it.Lead.Person, Company: it.Lead.Company, Source: it.Lead.Source, Action: a}
	ans, err := p.svc.Submit(ctx, in, nil)
	if err != nil {
		p.sum.Invalid++
		return nil
	}
	p.sum.Inquiries++
	id := ans.Result.LeadID
	if p.leadOf[h.item] == 0 {
		p.leadOf[h.item] = id
		for _, e := range p.before[h.item] {
			e.ev.LeadID = id
			p.pending = append(p.pending, e.ev)
		}
		delete(p.before, h.item)
	}
	if old, ok := p.itemOf[id]; !ok || h.item < old {
		p.itemOf[id] = h.item
	}
	return nil
}

// newClocks plans the first touch of every lead routing gave someone
// since the last tick: a lead back from nurture is a new round.
func (p *player) newClocks(ctx context.Context, t time.Time) error {
	from := p.looked.Add(-tick)
	if p.looked.IsZero() {
		from = p.cfg.Start.Add(-tick)
	}
	clocks, err := p.db.ClocksStarted(ctx, from, t.Add(time.Millisecond))
	if err != nil {
		return err
	}
	p.looked = t
	for _, c := range clocks {
		if p.seen[c.ID] {
			continue
		}
		p.seen[c.ID] = true
		p.clocks = append(p.clocks, c)
		i, ok := p.itemOf[c.LeadID]
		if !ok {
			continue // not a lead of this run
		}
		st := p.leads[c.LeadID]
		if st == nil {
			st = &leadState{}
			p.leads[c.LeadID] = st
		} else {
			st.round++
		}
		st.gen++
		st.clock, st.touched, st.moved, st.calls = c.ID, false, false, 0
		owner := p.users[c.UserID]
		late := 0.0
		if owner != nil {
			late = owner.late
		}
		st.plan = demo.PlanRound(p.items[i], st.round).ForOwner(late)
		if st.plan.Touch == demo.TouchNever {
			continue
		}
		tz := ""
		if owner != nil {
			tz = owner.user.Timezone
		}
		p.push(touchTime(c, st.plan, tz, t), happening{kind: doTouch, lead: c.LeadID, gen: st.gen})
	}
	return nil
}

// touchTime is when the owner first contacts the lead: a share of the
// way to the deadline, or hours after it, in office hours.
func touchTime(c *store.Clock, p demo.SalesPlan, tz string, now time.Time) time.Time {
	var at time.Time
	switch p.Touch {
	case demo.TouchInTime:
		at = c.StartedAt.Add(time.Duration(p.TouchAt * float64(c.DueAt.Sub(c.StartedAt)))).Truncate(time.Minute)
		if o := officeHours(at, tz); !o.After(c.DueAt) {
			at = o
		}
	default:
		at = officeHours(c.DueAt.Add(time.Duration(p.TouchAt*float64(time.Hour))), tz)
	}
	return later(at, now.Add(time.Minute))
}

// act is one act of the lead's owner; what it leads to is put on the
// agenda. An act the waterfall refuses is counted, and the lead left
// where it is.
func (p *player) act(ctx context.Context, h happening, l *store.Lead, a waterfall.Actor, st *leadState) error {
	now := p.cfg.Now()
	plan := st.plan
	tz := a.User.Timezone
	next := func(kind int, after time.Duration) {
		p.push(officeHours(now.Add(after), tz), happening{kind: kind, lead: l.ID, gen: st.gen})
	}
	x := p.draw(l.ID, st, h.kind)
	if act := stageAct[h.kind]; act != "" && stage.Check(act, l.Stage()) != nil {
		// The lead moved on meanwhile (a BDR's call made it an SQL, a
		// re-contact brought it back): the owner does what fits now.
		if l.Stage() == stage.SQL && plan.Deal != nil && h.kind == doAccept {
			next(doOpportunity, days(2+8*x))
		}
		p.sum.Skipped++
		return nil
	}
	var v *waterfall.View
	var err error
	switch h.kind {
	case doTouch:
		if v, err = p.wf.Touch(ctx, l.ID, a, waterfall.TouchInput{Kind: plan.TouchKind, Outcome: plan.TouchOut}); err != nil {
			p.sum.refuse(l.ID, "touch", err)
			return nil
		}
		p.sum.Touches++
		st.touched = true
		switch v.Stage {
		case stage.Inquiry, stage.MQL:
			switch {
			case plan.Reject != "":
				next(doReject, hours(2+40*x))
			case plan.Deal != nil && st.round == 0 && p.draw(l.ID, st, 97) < 0.3:
				// "Call me again in a few weeks": back from nurture, a
				// buyer often converts.
				st.plan.Reject, st.plan.RejectText = "bad_timing", "Presupuesto aprobado para el próximo trimestre."
				next(doReject, hours(1+20*x))
			case v.Stage == stage.MQL && plan.Deal == nil && x < 0.3:
				// Not reached yet: the MQL waits in the rep's queue.
			case v.Stage == stage.MQL:
				next(doAccept, hours(1+30*x))
			case x < 0.3:
				// An inquiry that is not an MQL gets a discovery call now
				// and then; mostly the rep gives it back to marketing.
				next(doCall, hours(1+60*x))
			default:
				st.plan.Reject, st.plan.RejectText = pickReason(x), ""
				next(doReject, hours(2+40*x))
			}
		case stage.SAL:
			next(doCall, hours(4+80*x))
		case stage.SQL:
			if plan.Deal != nil {
				next(doOpportunity, days(2+8*x))
			} else if plan.Close == demo.Lost {
				next(doGiveUp, days(3+10*x))
			}
		}
	case doAccept:
		if _, err = p.wf.Accept(ctx, l.ID, a, ""); err != nil {
			p.sum.refuse(l.ID, "accept", err)
			return nil
		}
		p.sum.Accepted++
		next(doCall, days(2+20*x)) // the discovery call, when the customer can
	case doCall:
		deal := plan.Deal
		st.calls++
		// The first call rarely finds the buyer ready: the one who
		// decides is not on it, or the budget is not there yet. A lead
		// sales found itself (not an MQL) is given back or left; an
		// accepted one is called again in a few weeks.
		notYet := deal != nil && st.calls == 1 && p.draw(l.ID, st, 96) < 0.75
		if notYet {
			deal = nil
		}
		q := demo.RepCall(p.items[p.itemOf[l.ID]], deal, a.User.Email, now)
		may := func(ctx context.Context, tx *store.Tx, id int64) error {
			return p.wf.MayWork(ctx, tx, a, id, "recording a BANT qualification")
		}
		if _, err = p.svc.QualifyAs(ctx, l.ID, q, nil, may); err != nil {
			p.sum.refuse(l.ID, "call", err)
			return nil
		}
		p.sum.RepCalls++
		after, err := p.db.Lead(ctx, l.ID)
		if err != nil {
			return err
		}
		switch s := after.Stage(); {
		case notYet && s != stage.Inquiry:
			// Called again in a few weeks, given back to marketing until
			// the budget is there, or left to go cold.
			switch y := p.draw(l.ID, st, 95); {
			case y < 0.25:
				next(doCall, days(10+25*x))
			case y < 0.7:
				st.plan.Reject, st.plan.RejectText = "bad_timing", ""
				next(doReject, days(1+3*x))
			default:
				st.plan.Close, st.plan.LostReason = demo.Lost, "no_decision"
				next(doGiveUp, days(10+20*x))
			}
		case s == stage.SQL && plan.Deal != nil:
			next(doOpportunity, days(2+8*x))
		case s == stage.SAL && plan.Close == demo.Lost:
			next(doGiveUp, days(3+12*x))
		case (s == stage.SAL || s == stage.Inquiry || s == stage.MQL) && x < 0.45:
			st.plan.Reject, st.plan.RejectText = callReject(q), ""
			next(doReject, days(1+3*x))
		}
	case doReject:
		if _, err = p.wf.Reject(ctx, l.ID, a, plan.Reject, plan.RejectText); err != nil {
			p.sum.refuse(l.ID, "reject", err)
			return nil
		}
		p.sum.Rejections[plan.Reject]++
	case doOpportunity:
		in := waterfall.OpportunityInput{Name: fmt.Sprintf("%s — %s", l.Data.Company.Name, "registradores"), Amount: plan.Deal.Amount, Currency: plan.Deal.Currency}
		if l.Data.Company.Name == "" {
			in.Name = fmt.Sprintf("Demo deal %d", l.ID)
		}
		if _, err = p.wf.Opportunity(ctx, l.ID, a, in); err != nil {
			p.sum.refuse(l.ID, "opportunity", err)
			return nil
		}
		p.sum.Opportunities++
		p.sum.Currencies[plan.Deal.Currency]++
		if plan.Close != "" {
			next(doClose, days(math.Round(6+50*x*x)))
		}
	case doClose:
		if plan.Close == demo.Won {
			if _, err = p.wf.Won(ctx, l.ID, a, ""); err == nil {
				p.sum.Won++
			}
		} else if _, err = p.wf.Lost(ctx, l.ID, a, plan.LostReason, ""); err == nil {
			p.sum.Lost[plan.LostReason]++
		}
		if err != nil {
			p.sum.refuse(l.ID, "close", err)
		}
	case doGiveUp:
		if _, err = p.wf.Lost(ctx, l.ID, a, plan.LostReason, ""); err != nil {
			p.sum.refuse(l.ID, "give up", err)
			return nil
		}
		p.sum.GivenUp++
	}
	return nil
}

// stageAct is the stage machine's act behind each of the owner's acts.
var stageAct = map[int]string{doAccept: stage.ActAccept, doReject: stage.ActReject, doOpportunity: stage.ActOpportunity,
	doGiveUp: stage.ActLost}

// pickReason is why a rep gives back an inquiry they did not call.
func pickReason(x float64) string {
	switch {
	case x < 0.6:
		return "bad_timing"
	case x < 0.85:
		return "not_a_fit"
	}
	return "wrong_contact"
}

// callReject is the reason a rep gives back a lead whose call fell short.
func callReject(q lead.Qualification) string {
	switch {
	case q.TimingMonths != nil && *q.TimingMonths > 12:
		return "bad_timing"
	case q.Need == lead.NeedNone:
		return "not_a_fit"
	}
	return "no_budget"
}

// draw is a stable number in [0, 1) for one act on one lead.
func (p *player) draw(id int64, st *leadState, kind int) float64 {
	h := uint64(id)*0x9e3779b97f4a7c15 ^ uint64(st.round)<<32 ^ uint64(kind)<<48 ^ p.cfg.Seed
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	return float64(h>>11) / (1 << 53)
}

// managers: on weekday mornings each manager looks at the first touches
// their team missed and gives most of those leads to another rep of the
// team, who calls within hours; a lead left with its owner is given away
// once it is three days late. A lead no one else can take (no other rep,
// no manager, whatever its stage), or still untouched three days after
// it was given away, is called by its owner that day: no first touch is
// left weeks overdue in a queue.
func (p *player) managers(ctx context.Context) error {
	now := p.cfg.Now()
	for _, c := range p.clocks {
		st := p.leads[c.LeadID]
		if st == nil || st.clock != c.ID || st.touched || c.UserID == 0 || !c.DueAt.Before(now) {
			continue
		}
		late := now.Sub(c.DueAt) >= 3*24*time.Hour
		if st.moved && !late || p.draw(c.LeadID, st, 99) > 0.55 && !late {
			continue
		}
		l, err := p.db.Lead(ctx, c.LeadID)
		if err != nil {
			return err
		}
		if !stage.Open(l.Stage()) || l.OwnerID == 0 || p.users[l.OwnerID] == nil {
			continue
		}
		to := int64(0)
		team := p.team(c.Team)
		if team != nil && p.users[team.ManagerID] != nil && !st.moved {
			to = p.otherRep(team, l.OwnerID, c.LeadID)
		}
		if to != 0 {
			m := p.users[team.ManagerID].user
			a := waterfall.Actor{User: m, Role: m.Role, Name: m.Email}
			if _, err := p.wf.Assign(ctx, c.LeadID, a, to, "first touch missed"); err != nil {
				p.sum.refuse(c.LeadID, "reassign", err)
				to = 0
			} else {
				p.sum.Reassigned++
				st.moved = true
			}
		}
		if to == 0 {
			to = l.OwnerID // the owner is told to call today
		}
		st.gen++
		if st.plan.Touch == demo.TouchNever {
			st.plan = demo.PlanRound(p.items[p.itemOf[c.LeadID]], st.round+10)
			st.plan.Touch = demo.TouchInTime
			if st.plan.TouchKind == "" {
				st.plan.TouchKind, st.plan.TouchOut = "call", "connected"
			}
		}
		tz := p.users[to].user.Timezone
		p.push(officeHours(now.Add(hours(1+4*p.draw(c.LeadID, st, 98))), tz), happening{kind: doTouch, lead: c.LeadID, gen: st.gen})
	}
	return nil
}

func (p *player) team(name string) *store.Team {
	for _, t := range p.teams {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// otherRep is a rep of the team other than the owner, the one who is
// rarely late first.
func (p *player) otherRep(t *store.Team, owner, leadID int64) int64 {
	var best int64
	for _, m := range t.Members {
		u := p.users[m.UserID]
		if m.UserID == owner || u == nil || !u.user.Active {
			continue
		}
		if best == 0 || u.late < p.users[best].late || (u.late == p.users[best].late && (leadID+m.UserID)%3 == 0) {
			best = m.UserID
		}
	}
	return best
}

func hours(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }
func days(d float64) time.Duration  { return time.Duration(d * 24 * float64(time.Hour)) }

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
