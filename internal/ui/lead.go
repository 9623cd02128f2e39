package ui

import (
	"context"
	"encoding/json"
	"fmt"
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
	"github.com/pistahq/pista/internal/vocab"
	"github.com/pistahq/pista/internal/waterfall"
)

// visibleLead loads a lead the user may see, or the problem that says why
// not (404, or 403 for another team's or owner's lead).
func (u *UI) visibleLead(ctx context.Context, r *http.Request, rq *request) (*store.Lead, string, access.LeadScope, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, "", access.LeadScope{}, notFoundPage(rq)
	}
	return access.VisibleLead(ctx, u.db, rq.User, id)
}

// leadPage shows a lead.
func (u *UI) leadPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	return u.showLead(w, r, rq, http.StatusOK, nil, nil)
}

// showLead renders the lead page, with the problem of a refused act and
// the form values to keep when there is one.
func (u *UI) showLead(w http.ResponseWriter, r *http.Request, rq *request, status int, actErr error, bant *bantInput) error {
	ctx := r.Context()
	l, team, sc, err := u.visibleLead(ctx, r, rq)
	if err != nil {
		return err
	}
	p := &view.Lead{Base: u.base(r, rq, "lead.title", l.ID), ID: l.ID, Name: leadName(l), Team: team, Current: l.Stage(), Idem: access.NewSecret("")}
	p.Title = p.Name
	if actErr != nil {
		p.Error = rq.P.Problem(actErr)
		if pe, ok := problem.As(actErr); ok {
			p.Fields = pe.Fields
		}
	}
	d := l.Data
	p.Title, p.Company, p.Country, p.Email, p.Phone = d.Person.Title, d.Company.Name, d.Company.Country, l.Email, l.Phone
	p.Campaign = d.Source.Campaign
	// Codes are shown by their label in the user's language (the active
	// definition's vocabularies, else the built-in ones).
	p.Industry = u.label(rq.P, "company.industry", d.Company.Industry)
	p.Country = u.label(rq.P, "company.country", d.Company.Country)
	p.Source = u.label(rq.P, "source.format", d.Source.Format)
	teamName, err := u.teamNames(ctx)
	if err != nil {
		return err
	}
	p.Team = teamName(team)
	p.Base.Title = p.Name
	if d.Company.Revenue.Amount > 0 {
		p.Revenue = strings.TrimSpace(d.Company.Revenue.Currency + " " + rq.P.Number(d.Company.Revenue.Amount, 0))
	}
	if d.Company.Employees > 0 {
		p.Employees = rq.P.Int(int64(d.Company.Employees))
	}
	if l.OwnerID != 0 {
		if o, err := u.db.User(ctx, l.OwnerID); err == nil {
			p.Owner = o.Name
		} else {
			p.Owner = l.Owner
		}
	}
	if ev := l.Eval; ev != nil {
		p.Band, p.Score, p.Fit, p.Engagement, p.BANTScore = u.label(rq.P, vocab.BandField, ev.Band), ev.Total, ev.Fit, ev.Engagement, ev.BANT.Score
		p.Quality = rq.P.Maybe("quality."+ev.Quality, ev.Quality)
		p.Definition = ev.Definition.Name
		if ev.Definition.Version != "" {
			p.Definition += " " + ev.Definition.Version
		}
		for _, st := range ev.Explanation {
			line := whyLine(rq, st.Kind, st.Rule, st.Points, st.Count, st.Value, st.Note, st.Line)
			if st.Points != 0 {
				p.Why = append(p.Why, line)
			} else {
				p.WhyMore = append(p.WhyMore, line)
			}
		}
	}
	f := waterfall.FlowOf(l)
	p.Recontact = f.RecontactAt
	if len(l.Suspicious) > 0 {
		p.Suspicious = strings.Join(l.Suspicious, "; ")
	}
	if o := f.Opportunity; o != nil {
		p.Opportunity = rq.P.Money(o.Amount, o.Currency)
	}
	rows, err := u.rows(ctx, rq, []*store.Lead{l}, []string{team})
	if err != nil {
		return err
	}
	p.SLA = rows[0].SLA
	if err := u.timeline(ctx, rq, l.ID, p); err != nil {
		return err
	}
	u.acts(ctx, rq, l, team, sc, p, bant)
	return u.render(w, status, "lead", p)
}

// acts works out which acts the user may take on the lead now, with the
// same rules the waterfall applies (it checks them again on the act).
func (u *UI) acts(ctx context.Context, rq *request, l *store.Lead, team string, sc access.LeadScope, p *view.Lead, bant *bantInput) {
	role := rq.User.Role
	if !access.Allows(role, access.Qualify) {
		return
	}
	st := l.Stage()
	works := l.OwnerID == rq.User.ID || sc.ManagesTeam(role, team) || access.Allows(role, access.ManageLeads)
	can := func(act string) bool { return works && stage.Check(act, st) == nil }
	p.CanAccept, p.CanReject, p.CanOpportunity, p.CanWon, p.CanLost = can(stage.ActAccept), can(stage.ActReject), can(stage.ActOpportunity), can(stage.ActWon), can(stage.ActLost)
	p.CanTouch = works && stage.Open(st)
	p.CanBANT = works && stage.Open(st)
	p.CanPause = works && p.SLA.State != "paused" && (p.SLA.State == "on_time" || p.SLA.State == "soon" || p.SLA.State == "breached")
	p.CanResume = works && p.SLA.State == "paused"
	p.CanReassign = stage.Open(st) && (sc.ManagesTeam(role, team))
	def := u.svc.Active()
	for _, reason := range stage.Reasons {
		label := rq.P.Maybe("reason."+reason, reason)
		if def != nil {
			if rej, ok := def.Def.Waterfall.Rejections[reason]; ok {
				if rej.To == stage.Nurture {
					label += " " + rq.P.T("reason.to_nurture", int(rej.Recontact.Hours()/24/7))
				} else {
					label += " " + rq.P.T("reason.to_disqualified")
				}
			}
		}
		p.Reasons = append(p.Reasons, view.Option{Value: reason, Label: label})
	}
	p.LostReasons = options(stage.LostReasons, func(v string) string { return rq.P.Maybe("lost."+v, v) }, "")
	p.TouchKinds = options(waterfall.TouchKinds, func(v string) string { return rq.P.Maybe("touch.kind."+v, v) }, "call")
	p.Outcomes = options(waterfall.TouchOutcomes, func(v string) string { return rq.P.Maybe("touch.outcome."+v, v) }, "connected")
	if def != nil {
		p.PauseReasons = options(def.Def.Waterfall.PauseReasons, func(v string) string { return v }, "")
		cur := []string{def.Def.Currency}
		for c := range def.Def.Rates {
			cur = append(cur, c)
		}
		slices.Sort(cur[1:])
		p.Currencies = options(cur, func(v string) string { return v }, def.Def.Currency)
		p.OpportunityCurrency = def.Def.Currency
	}
	if p.CanReassign {
		if t, err := u.db.Team(ctx, team); err == nil {
			for _, m := range t.Members {
				if m.UserID == l.OwnerID {
					continue
				}
				if usr, err := u.db.User(ctx, m.UserID); err == nil && usr.Active {
					p.Reps = append(p.Reps, view.Option{Value: strconv.FormatInt(usr.ID, 10), Label: usr.Name})
				}
			}
		}
	}
	if bant == nil {
		bant = bantFrom(rq, l)
	}
	p.BANT = u.bantForm(rq, l, bant)
}

// whyLine says one explanation step in the user's language.
func whyLine(rq *request, kind, rule string, points float64, count int, value, note string, line int) view.WhyLine {
	w := view.WhyLine{Kind: rq.P.Maybe("why."+kind, kind), Rule: rule, Points: points, Line: line}
	note = rq.P.Maybe("why.note."+note, note) // "capped"
	text := value
	if kind == "bant" {
		w.Rating = true
		w.Rule = rq.P.Maybe("why.bant."+rule, rule)                                                                    // "score"
		text = rq.P.Maybe("why.bant."+strings.NewReplacer(" ", "_", "(", "", ")", "", "-", "_").Replace(value), value) // "qualified", "not qualified (self-reported)"
	}
	if note != "" {
		if text != "" {
			text += " — "
		}
		text += note
	}
	if count > 0 {
		if text != "" {
			text += " · "
		}
		text += rq.P.T("why.events", count)
	}
	w.Text = text
	return w
}

// timeline renders the lead's history, newest first.
func (u *UI) timeline(ctx context.Context, rq *request, id int64, p *view.Lead) error {
	entries, err := u.db.Timeline(ctx, id, 200)
	if err != nil {
		return err
	}
	users := map[string]string{}
	teamName, err := u.teamNames(ctx)
	if err != nil {
		return err
	}
	// People are named, not shown by e-mail ("by" holds an e-mail or a
	// name such as "re-contact").
	by := func(v string) string {
		if !strings.Contains(v, "@") {
			return v
		}
		if n, ok := users[v]; ok {
			return n
		}
		n := v
		if usr, err := u.db.UserByEmail(ctx, v); err == nil && usr.Name != "" {
			n = usr.Name
		}
		users[v] = n
		return n
	}
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		var d map[string]any
		_ = json.Unmarshal(e.Data, &d) // a malformed entry shows its kind only
		s := func(k string) string {
			if v, ok := d[k]; ok && v != nil {
				return fmt.Sprint(v)
			}
			return ""
		}
		var text string
		switch e.Kind {
		case "inquiry":
			typ := ""
			if a, ok := d["action"].(map[string]any); ok {
				typ = fmt.Sprint(a["type"])
			}
			typ = u.label(rq.P, "action.type", typ)
			text = rq.P.T("tl.inquiry", typ)
			if why, ok := d["suspicious"].([]any); ok && len(why) > 0 {
				reasons := make([]string, len(why))
				for i, w := range why {
					reasons[i] = fmt.Sprint(w)
				}
				text = rq.P.T("tl.inquiry_suspicious", typ, strings.Join(reasons, "; "))
			}
		case "suspicion_cleared":
			text = rq.P.T("tl.suspicion_cleared", by(s("by")))
		case "accepted":
			text = rq.P.T("tl.accepted", by(s("by")))
		case "stage_changed":
			text = rq.P.T("tl.stage_changed_plain", p.Base.Stage(s("from")), p.Base.Stage(s("to")))
			if why := u.stageReason(rq, &p.Base, d); why != "" {
				text = rq.P.T("tl.stage_changed", p.Base.Stage(s("from")), p.Base.Stage(s("to")), why)
			}
		case "assigned", "reassigned", "routed":
			text = rq.P.T("tl.assigned", firstOf(u.userName(ctx, users, d["user_id"]), by(s("user")), by(s("owner"))), teamName(s("team")))
		case "queued":
			text = rq.P.T("tl.queued", teamName(s("team")))
		case "touch":
			text = rq.P.T("tl.touch", rq.P.Maybe("touch.kind."+s("kind"), s("kind")), rq.P.Maybe("touch.outcome."+s("outcome"), s("outcome")), by(s("by")))
		case "rejected":
			text = rq.P.T("tl.rejected", by(s("by")), rq.P.Maybe("reason."+s("reason"), s("reason")))
		case "nurture":
			at := s("recontact_at")
			if t, err := time.Parse(time.RFC3339Nano, at); err == nil {
				at = p.Base.Day(t)
			}
			text = rq.P.T("tl.nurture", at)
		case "sla_breached", "sla_escalated", "clock_resumed", "merged":
			text = rq.P.T("tl." + e.Kind)
		case "clock_paused":
			text = rq.P.T("tl.clock_paused", s("reason"))
		case "opportunity":
			amount := s("amount") + " " + s("currency")
			if v, ok := d["amount"].(float64); ok {
				amount = rq.P.Money(v, s("currency"))
			}
			text = rq.P.T("tl.opportunity", amount)
		case "qualification":
			text = rq.P.T("tl.qualification", by(s("by")))
		default:
			text = rq.P.T("tl.other", e.Kind)
		}
		p.Timeline = append(p.Timeline, view.TimelineLine{At: e.At, Text: text})
	}
	return nil
}

// stageReason says why a stage changed in the user's language: the
// waterfall's reasons ("rejected: no_budget", "won ...") and, for a change
// made by the definition, the score and band that made it.
func (u *UI) stageReason(rq *request, b *view.Base, d map[string]any) string {
	reason, _ := d["reason"].(string)
	if reason == "" {
		if score, ok := d["score"].(float64); ok {
			band, _ := d["band"].(string)
			return rq.P.T("tl.reason.scored", b.Pts(score), u.label(rq.P, vocab.BandField, band))
		}
		return ""
	}
	kind, rest, _ := strings.Cut(reason, " ")
	rest = strings.TrimSpace(rest)
	switch strings.TrimSuffix(kind, ":") {
	case "accepted":
		return rq.P.T("tl.reason.accepted")
	case "recycled":
		return rq.P.T("tl.reason.recycled")
	case "opportunity":
		return rq.P.T("tl.reason.opportunity")
	case "rejected":
		return rq.P.T("tl.reason.rejected", rq.P.Maybe("reason."+rest, rest))
	case "lost":
		return rq.P.T("tl.reason.lost", rq.P.Maybe("lost."+rest, rest))
	case "won":
		return strings.TrimSpace(rq.P.T("tl.reason.won") + " " + rest)
	}
	return reason
}

func (u *UI) userName(ctx context.Context, cache map[string]string, id any) string {
	f, ok := id.(float64)
	if !ok || f <= 0 {
		return ""
	}
	key := strconv.FormatInt(int64(f), 10)
	if n, ok := cache[key]; ok {
		return n
	}
	name := ""
	if usr, err := u.db.User(ctx, int64(f)); err == nil {
		name = usr.Name
	}
	cache[key] = name
	return name
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
