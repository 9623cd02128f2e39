package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/pistahq/pista/internal/access"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/webhook"
)

// The waterfall scenarios walk whole lead lives through the HTTP API on
// the injected clock, firing the waterfall's timers as pista serve's
// poller would.

var bogota = mustZone("America/Bogota")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

type flowLead struct {
	ID      int64  `json:"id"`
	Stage   string `json:"stage"`
	Owner   string `json:"owner"`
	OwnerID int64  `json:"owner_id"`
	Flow    *struct {
		Recycled    int        `json:"recycled"`
		RecontactAt *time.Time `json:"recontact_at"`
		Rejection   *struct {
			Reason string `json:"reason"`
			To     string `json:"to"`
		} `json:"rejection"`
		Opportunity *struct {
			Amount   float64 `json:"amount"`
			Currency string  `json:"currency"`
		} `json:"opportunity"`
	} `json:"flow"`
	Assignments []struct {
		Team      string `json:"team"`
		UserID    int64  `json:"user_id"`
		Status    string `json:"status"`
		Actor     string `json:"actor"`
		EndReason string `json:"end_reason"`
	} `json:"assignments"`
	Clocks []struct {
		ID        int64      `json:"id"`
		UserID    int64      `json:"user_id"`
		Policy    string     `json:"policy"`
		DueAt     time.Time  `json:"due_at"`
		Status    string     `json:"status"`
		TouchedAt *time.Time `json:"touched_at"`
	} `json:"clocks"`
	Timeline []struct {
		Kind string          `json:"kind"`
		Data json.RawMessage `json:"data"`
	} `json:"timeline"`
}

func (e *apiEnv) flowLead(id int64) flowLead {
	e.t.Helper()
	var l flowLead
	e.mustCall(200, &l, "manager", "GET", fmt.Sprintf("/api/v1/leads/%d", id), nil)
	return l
}

func (l flowLead) kinds() map[string]int {
	out := map[string]int{}
	for _, t := range l.Timeline {
		out[t.Kind]++
	}
	return out
}

// fire runs the waterfall's due timers at the clock's time.
func (e *apiEnv) fire() int {
	e.t.Helper()
	n, err := e.WF.FireDue(context.Background())
	if err != nil {
		e.t.Fatalf("firing timers: %v", err)
	}
	return n
}

// salesTeam sets up the instrument maker's North America team: two reps
// and their manager, working from Bogotá on the Colombian calendar.
func salesTeam(t *testing.T, e *apiEnv) (ana, beto, marta userJSON) {
	e.mustCall(201, &ana, "admin", "POST", "/api/v1/users", map[string]any{"name": "Ana Ruiz", "email": "ana@instrumentos.example", "role": "rep"})
	e.mustCall(201, &beto, "admin", "POST", "/api/v1/users", map[string]any{"name": "Beto Díaz", "email": "beto@instrumentos.example", "role": "rep"})
	e.mustCall(201, &marta, "admin", "POST", "/api/v1/users", map[string]any{"name": "Marta Gil", "email": "marta@instrumentos.example", "role": "manager"})
	e.mustCall(200, nil, "admin", "PUT", "/api/v1/teams/norteamerica", map[string]any{
		"label":    "Norteamérica (desde Bogotá)",
		"calendar": map[string]any{"country": "CO", "timezone": "America/Bogota", "hours": "08:00-17:00"},
		"manager":  marta.Email,
		"members":  []map[string]any{{"user": ana.Email}, {"user": beto.Email}},
	})
	return
}

// mql makes a North American VP an MQL at the clock's time: a price
// request, then a product-page binge the background evaluator sees.
func mql(t *testing.T, e *apiEnv, email string) int64 {
	t.Helper()
	in := laura()
	p := maps(in["person"].(map[string]any))
	p["email"], p["phone"] = email, nil
	delete(p, "phone")
	in["person"] = p
	var res inquiryResult
	e.mustCall(201, &res, "integration", "POST", "/api/v1/inquiries", in)
	now := e.Clock.Now()
	var events []map[string]any
	for i := range 5 {
		events = append(events, map[string]any{"lead_id": res.LeadID, "type": "page_view",
			"at": now.Add(-time.Duration(10-i) * time.Minute).Format(time.RFC3339), "props": map[string]any{"category": "product"}})
	}
	e.mustCall(202, nil, "integration", "POST", "/api/v1/events", map[string]any{"events": events})
	eventually(t, "the lead to become an MQL", func() bool { return e.flowLead(res.LeadID).Stage == "mql" })
	return res.LeadID
}

// hookReceiver collects signed webhook deliveries, checking each signature.
type hookReceiver struct {
	mu     sync.Mutex
	secret string
	got    []hookEvent
	bad    int
}

type hookEvent struct {
	ID     string          `json:"id"`
	Type   string          `json:"type"`
	LeadID int64           `json:"lead_id"`
	Data   json.RawMessage `json:"data"`
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := webhook.Verify(h.secret, r.Header.Get("Pista-Signature"), body, time.Now(), 100*365*24*time.Hour); err != nil {
		h.bad++
		w.WriteHeader(400)
		return
	}
	var ev hookEvent
	json.Unmarshal(body, &ev)
	h.got = append(h.got, ev)
}

func (h *hookReceiver) types() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, ev := range h.got {
		out = append(out, ev.Type)
	}
	return out
}

func TestWaterfallWonAcrossHolidayAndWeekend(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		ana, beto, marta := salesTeam(t, e)
		// The manager's tool subscribes to what needs her attention.
		recv := &hookReceiver{}
		hs := httptest.NewServer(recv)
		defer hs.Close()
		var sub struct {
			Secret string `json:"secret"`
		}
		e.mustCall(201, &sub, "admin", "POST", "/api/v1/webhooks", map[string]any{"url": hs.URL,
			"types": []string{"lead.assigned", "lead.reassigned", "sla.breached", "sla.escalated", "lead.accepted", "lead.stage_changed"}})
		recv.secret = sub.Secret
		hooks := webhook.New(webhook.Config{DB: e.DB, Now: e.Clock.Now})
		// Friday 4 December 2026, 16:00 in Bogotá. Monday the 7th is a
		// working day, Tuesday the 8th a Colombian holiday (Inmaculada
		// Concepción).
		e.Clock.Set(time.Date(2026, 12, 4, 16, 0, 0, 0, bogota))
		id := mql(t, e, "laura.chen@helixbio.com")
		if n := e.fire(); n < 1 {
			t.Fatalf("no timer fired for the new MQL")
		}
		l := e.flowLead(id)
		if l.OwnerID != ana.ID || len(l.Assignments) != 1 || l.Assignments[0].Team != "norteamerica" || len(l.Clocks) != 1 {
			t.Fatalf("routed: %+v", l)
		}
		// 2 business days on the Colombian calendar: Monday, (holiday),
		// Wednesday at 16:00.
		due := time.Date(2026, 12, 9, 16, 0, 0, 0, bogota)
		if c := l.Clocks[0]; c.Policy != "mql" || !c.DueAt.Equal(due) || c.Status != "pending" {
			t.Fatalf("clock %+v, want policy mql due %v", c, due)
		}

		// Nobody touches it. Wednesday 16:00 it is breached.
		e.Clock.Set(due.Add(-time.Minute))
		e.fire()
		if s := e.flowLead(id).Clocks[0].Status; s != "pending" {
			t.Fatalf("a minute early the clock is %s", s)
		}
		e.Clock.Set(due)
		e.fire()
		l = e.flowLead(id)
		if l.Clocks[0].Status != "breached" || l.kinds()["sla_breached"] != 1 {
			t.Fatalf("breach: %+v", l.Clocks)
		}
		// 4 business hours of grace: Wednesday 16–17, Thursday 8–11.
		escalation := time.Date(2026, 12, 10, 11, 0, 0, 0, bogota)
		e.Clock.Set(escalation.Add(-time.Minute))
		e.fire()
		if e.flowLead(id).kinds()["sla_escalated"] != 0 {
			t.Fatal("escalated before the grace period ended")
		}
		e.Clock.Set(escalation)
		e.fire()
		l = e.flowLead(id)
		if l.kinds()["sla_escalated"] != 1 || l.OwnerID != beto.ID || len(l.Assignments) != 2 || l.Assignments[0].Status != "reassigned" ||
			l.Assignments[1].Actor != "escalation" || len(l.Clocks) != 2 {
			t.Fatalf("escalation: owner %d, assignments %+v, clocks %+v", l.OwnerID, l.Assignments, l.Clocks)
		}
		// Beto's own promise: 2 business days from Thursday 11:00.
		if want := time.Date(2026, 12, 14, 11, 0, 0, 0, bogota); !l.Clocks[1].DueAt.Equal(want) {
			t.Errorf("new clock due %v, want %v", l.Clocks[1].DueAt, want)
		}

		path := fmt.Sprintf("/api/v1/leads/%d", id)
		// Ana no longer owns it; an inquiry's acts are refused with reasons.
		checkProblem(t, e.call("rep", "POST", path+"/accept", map[string]any{"by": ana.Email}), 403)
		checkProblem(t, e.call("rep", "POST", path+"/won", map[string]any{"by": beto.Email}), 409)
		var v struct {
			Stage string `json:"stage"`
		}
		e.Clock.Set(escalation.Add(30 * time.Minute))
		e.mustCall(200, &v, "rep", "POST", path+"/accept", map[string]any{"by": beto.Email, "note": "lo tomo"})
		if v.Stage != "sal" {
			t.Fatalf("accepted: stage %s", v.Stage)
		}
		e.mustCall(200, nil, "rep", "POST", path+"/touches", map[string]any{"by": beto.Email, "kind": "call", "outcome": "connected"})
		l = e.flowLead(id)
		if c := l.Clocks[1]; c.Status != "met" || c.TouchedAt == nil {
			t.Errorf("touched clock %+v", c)
		}
		if l.Clocks[0].Status != "breached" {
			t.Errorf("Ana's breached clock became %s", l.Clocks[0].Status)
		}
		// Opportunity needs a SQL: a human BANT at or above 75.
		checkProblem(t, e.call("rep", "POST", path+"/opportunity", map[string]any{"by": beto.Email, "amount": 250000, "currency": "USD"}), 409)
		bant := map[string]any{"budget": map[string]any{"min": 10000, "max": 20000, "currency": "USD"},
			"authority": "decision_maker", "need": "confirmed", "timing_months": 2, "by": beto.Email, "role": "rep"}
		var q struct {
			Evaluation evaluationJSON `json:"evaluation"`
		}
		e.mustCall(200, &q, "rep", "POST", path+"/qualification", bant)
		if q.Evaluation.BANT.Score < 75 {
			t.Fatalf("BANT %v", q.Evaluation.BANT.Score)
		}
		if s := e.flowLead(id).Stage; s != "sql" {
			t.Fatalf("after BANT %v: stage %s, want sql", q.Evaluation.BANT.Score, s)
		}
		checkProblem(t, e.call("rep", "POST", path+"/opportunity", map[string]any{"by": beto.Email, "amount": -5, "currency": "dollars"}), 422, "amount", "currency")
		e.mustCall(200, &v, "rep", "POST", path+"/opportunity", map[string]any{"by": beto.Email, "amount": 250000, "currency": "usd"})
		e.mustCall(200, &v, "rep", "POST", path+"/won", map[string]any{"by": beto.Email})
		l = e.flowLead(id)
		if l.Stage != "won" || l.Flow == nil || l.Flow.Opportunity == nil || l.Flow.Opportunity.Amount != 250000 || l.Flow.Opportunity.Currency != "USD" || l.OwnerID != beto.ID {
			t.Fatalf("won: %+v", l)
		}
		var moves []string
		for _, te := range l.Timeline {
			if te.Kind == "stage_changed" {
				var d struct{ From, To, Actor string }
				json.Unmarshal(te.Data, &d)
				moves = append(moves, d.From+">"+d.To)
			}
		}
		if got := strings.Join(moves, " "); !strings.HasSuffix(got, "mql>sal sal>sql sql>opportunity opportunity>won") {
			t.Errorf("stage moves on the timeline: %s", got)
		}
		checkProblem(t, e.call("rep", "POST", path+"/lost", map[string]any{"by": beto.Email, "reason": "price"}), 409)

		// The subscriber heard the whole story, signed, in order.
		if _, err := hooks.DeliverDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		heard := strings.Join(recv.types(), " ")
		for _, want := range []string{"lead.assigned", "sla.breached", "sla.escalated", "lead.reassigned", "lead.accepted", "lead.stage_changed"} {
			if !strings.Contains(heard, want) {
				t.Errorf("webhooks received %q, missing %s", heard, want)
			}
		}
		if recv.bad > 0 {
			t.Errorf("%d deliveries with a bad signature", recv.bad)
		}
		for _, ev := range recv.got {
			if ev.Type == "sla.breached" && (ev.LeadID != id || !strings.Contains(string(ev.Data), marta.Email)) {
				t.Errorf("sla.breached should name the lead and the manager to act: %+v %s", ev, ev.Data)
			}
		}

		// The SLA report: one breach (Ana, never touched) and one met (Beto).
		var rep struct {
			Lines []struct {
				Team                                string
				UserID                              int64 `json:"user_id"`
				Routed, Met, Breached, NeverTouched int
				MetShare                            float64 `json:"met_share"`
			} `json:"lines"`
		}
		e.mustCall(200, &rep, "manager", "GET", "/api/v1/reports/sla?from=2026-12-01", nil)
		got := map[int64]string{}
		for _, ln := range rep.Lines {
			got[ln.UserID] = fmt.Sprintf("%s routed=%d met=%d breached=%d", ln.Team, ln.Routed, ln.Met, ln.Breached)
		}
		want := map[int64]string{0: "norteamerica routed=2 met=1 breached=1", ana.ID: "norteamerica routed=1 met=0 breached=1", beto.ID: "norteamerica routed=1 met=1 breached=0"}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("SLA line %d: %q, want %q", k, got[k], w)
			}
		}
	})
}

func TestWaterfallRejectedNurtureRecycled(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		ana, _, marta := salesTeam(t, e)
		e.Clock.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, bogota))
		id := mql(t, e, "omar.haddad@helixbio.com")
		e.fire()
		l := e.flowLead(id)
		if l.OwnerID != ana.ID {
			t.Fatalf("routed to %d, want Ana", l.OwnerID)
		}
		path := fmt.Sprintf("/api/v1/leads/%d", id)
		p := checkProblem(t, e.call("rep", "POST", path+"/reject", map[string]any{"by": ana.Email, "reason": "no_budgt"}), 422, "reason")
		if !strings.Contains(p.Errors[0].Reason, "did you mean no_budget") {
			t.Errorf("reason hint: %+v", p.Errors)
		}
		checkProblem(t, e.call("rep", "POST", path+"/reject", map[string]any{"by": ana.Email, "reason": "other"}), 422, "text")
		// No body is fine for acts without required fields; the stage still rules.
		checkProblem(t, e.call("manager", "POST", path+"/won", nil), 409)
		checkProblem(t, e.call("rep", "POST", path+"/reject", nil), 422, "reason")
		e.mustCall(200, nil, "rep", "POST", path+"/reject", map[string]any{"by": ana.Email, "reason": "no_budget", "text": "sin presupuesto hasta 2027"})
		l = e.flowLead(id)
		// The definition sends no_budget to nurture for 3 weeks.
		wantRecontact := e.Clock.Now().Add(21 * 24 * time.Hour)
		if l.Stage != "nurture" || l.OwnerID != 0 || l.Flow == nil || l.Flow.Rejection == nil || l.Flow.Rejection.Reason != "no_budget" ||
			l.Flow.RecontactAt == nil || !l.Flow.RecontactAt.Equal(wantRecontact) || l.Clocks[0].Status != "cancelled" {
			t.Fatalf("rejected: %+v", l)
		}
		// Sales' feedback is queryable.
		var rr struct {
			Total    int64            `json:"total"`
			ByReason map[string]int64 `json:"by_reason"`
		}
		e.mustCall(200, &rr, "marketing", "GET", "/api/v1/reports/rejections?from=2026-11-01&to=2027-01-01", nil)
		if rr.Total != 1 || rr.ByReason["no_budget"] != 1 {
			t.Errorf("rejection report %+v", rr)
		}

		// Three weeks later the re-contact is due: the lead comes back
		// recycled, evaluated again, and goes to the next rep.
		e.Clock.Set(wantRecontact.Add(-time.Hour))
		e.fire()
		if e.flowLead(id).Stage != "nurture" {
			t.Fatal("recycled early")
		}
		e.Clock.Set(wantRecontact)
		e.fire()
		l = e.flowLead(id)
		if l.Flow == nil || l.Flow.Recycled != 1 || l.kinds()["recycled"] != 1 || l.Stage == "nurture" || l.OwnerID == 0 || l.OwnerID == ana.ID ||
			len(l.Assignments) != 2 || l.Assignments[0].Status != "rejected" {
			t.Fatalf("recycled: stage %s owner %d flow %+v assignments %+v", l.Stage, l.OwnerID, l.Flow, l.Assignments)
		}
		// A rep's queue: owner=me needs a token acting as a user.
		checkProblem(t, e.call("rep", "GET", "/api/v1/leads?owner=me", nil), 403)
		var queue struct {
			Leads []struct {
				ID    int64  `json:"id"`
				Owner string `json:"owner"`
			} `json:"leads"`
		}
		e.mustCall(200, &queue, "manager", "GET", "/api/v1/leads?owner="+url.QueryEscape(strings.ToUpper(l.Owner)), nil)
		if len(queue.Leads) != 1 || queue.Leads[0].ID != id {
			t.Errorf("leads of %s: %+v", l.Owner, queue.Leads)
		}
		if _, err := e.DB.InsertUserToken(context.Background(), "owner", "rep", access.HashToken("pst_test_owner"), l.OwnerID, e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		queue.Leads = nil
		e.mustCall(200, &queue, "pst_test_owner", "GET", "/api/v1/leads?owner=me", nil)
		if len(queue.Leads) != 1 || queue.Leads[0].ID != id {
			t.Errorf("owner=me for %s: %+v", l.Owner, queue.Leads)
		}
		// The manager may reassign; a rep may not.
		checkProblem(t, e.call("rep", "POST", path+"/assign", map[string]any{"by": ana.Email, "user": ana.Email}), 403)
		// (A rep's token cannot sign as the manager: TestBANTOwnershipAndIdentity.)
		e.mustCall(200, nil, "manager", "POST", path+"/assign", map[string]any{"by": marta.Email, "user": ana.Email, "reason": "conoce la cuenta"})
		if l = e.flowLead(id); l.OwnerID != ana.ID || l.Clocks[len(l.Clocks)-1].UserID != ana.ID {
			t.Errorf("manager's reassignment: owner %d clocks %+v", l.OwnerID, l.Clocks)
		}
	})
}
