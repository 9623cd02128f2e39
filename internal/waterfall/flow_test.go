package waterfall_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
	"github.com/pistahq/pista/internal/waterfall"
)

var mexico = func() *time.Location {
	l, err := time.LoadLocation("America/Mexico_City")
	if err != nil {
		panic(err)
	}
	return l
}()

// env is intake and waterfall on one database and an injected clock.
type env struct {
	t   *testing.T
	db  *store.DB
	clk *testenv.Clock
	in  *intake.Service
	wf  *waterfall.Service
}

func newEnv(t *testing.T, target storetest.Target, defFile string) *env {
	t.Helper()
	db := target.Open(t)
	clk := testenv.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, mexico))
	in, err := intake.New(context.Background(), intake.Config{DB: db, Now: clk.Now, MaxBatch: 16})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(in.Close)
	src, err := os.ReadFile("../../examples/definitions/" + defFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.AddDefinition(context.Background(), defFile, src, true); err != nil {
		t.Fatal(err)
	}
	return &env{t: t, db: db, clk: clk, in: in, wf: waterfall.New(waterfall.Config{Intake: in, Now: clk.Now, Log: testenv.Logger()})}
}

func (e *env) fire() {
	e.t.Helper()
	if _, err := e.wf.FireDue(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// demoRequest is a new person's demo request; it returns the lead ID.
func (e *env) demoRequest(email string) int64 {
	e.t.Helper()
	ans, err := e.in.Submit(context.Background(), intake.Inquiry{Person: lead.Person{Email: email, FirstName: "Pedro", LastName: "Soto"},
		Action: lead.Action{Type: "demo_request"}}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return leadID(e.t, ans.Encoded)
}

func (e *env) lead(id int64) *store.Lead {
	e.t.Helper()
	l, err := e.db.Lead(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

func (e *env) user(name, role string) *store.User {
	e.t.Helper()
	now := e.clk.Now()
	u := &store.User{Name: name, Email: strings.ToLower(name) + "@example.mx", Role: role, Language: "es", Active: true, CreatedAt: now, UpdatedAt: now}
	if err := e.db.InsertUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *env) team(name string, manager *store.User, members ...*store.User) {
	e.t.Helper()
	t := &store.Team{Name: name, ManagerID: manager.ID}
	for _, m := range members {
		t.Members = append(t.Members, store.Member{UserID: m.ID, Weight: 1})
	}
	if err := e.db.PutTeam(context.Background(), t, e.clk.Now()); err != nil {
		e.t.Fatal(err)
	}
}

func as(u *store.User) waterfall.Actor { return waterfall.Actor{User: u, Role: u.Role, Name: u.Email} }

func wantProblem(t *testing.T, err error, kind problem.Kind, text string) {
	t.Helper()
	pe, ok := problem.As(err)
	if !ok || pe.Kind != kind || !strings.Contains(pe.Error(), text) {
		t.Errorf("got %v, want a problem of kind %d saying %q", err, kind, text)
	}
}

// TestBDRQualifiesThenSalesAccepts walks seed 004's waterfall with the
// classic BANT definition: every inquiry goes to the tele-qualifiers for a
// BANT call; a qualified one becomes an MQL and is handed off to sales,
// who accept it. The BDR's clock is met by their call.
func TestBDRQualifiesThenSalesAccepts(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, target, "bant-classic.yaml")
			boss := e.user("Jefa", "manager")
			bdr := e.user("Carla", "bdr")
			rep := e.user("Rafa", "rep")
			e.team("tele_qualifiers", boss, bdr)
			e.team("sales", boss, rep)

			ans, err := e.in.Submit(ctx, intake.Inquiry{
				Person:  lead.Person{Email: "dueña@ferreteria.mx", FirstName: "Lucía", LastName: "Méndez", Country: "MX"},
				Company: lead.Company{Name: "Ferretería Méndez", Country: "MX"},
				Action:  lead.Action{Type: "contact_form"},
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			id := leadID(t, ans.Encoded)
			e.fire()
			l := e.lead(id)
			if l.OwnerID != bdr.ID || l.Stage() != "inquiry" {
				t.Fatalf("inquiry routed to %d (stage %s), want the BDR", l.OwnerID, l.Stage())
			}
			// An inquiry cannot be accepted: it needs its BANT call.
			_, err = e.wf.Accept(ctx, id, as(bdr), "")
			wantProblem(t, err, problem.Conflict, "BANT call first")

			e.clk.Advance(time.Hour)
			if _, err := e.wf.Touch(ctx, id, as(bdr), waterfall.TouchInput{Kind: "call", Outcome: "connected"}); err != nil {
				t.Fatal(err)
			}
			months := 1.0
			q := lead.Qualification{Budget: &lead.Budget{Min: 8000, Max: 12000, Currency: "USD"}, Authority: "decision_maker", Need: "confirmed",
				TimingMonths: &months, By: bdr.Email, Role: "bdr"}
			if _, err := e.in.Qualify(ctx, id, q, nil); err != nil {
				t.Fatal(err)
			}
			e.fire()
			l = e.lead(id)
			if l.Stage() != "mql" || l.OwnerID != rep.ID {
				t.Fatalf("after BANT: stage %s owner %d, want mql with the rep", l.Stage(), l.OwnerID)
			}
			as_, err := e.db.Assignments(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(as_) != 2 || as_[0].Status != store.AssignHandedOff || as_[1].Team != "sales" {
				t.Fatalf("assignments %+v", as_)
			}
			clocks, err := e.db.Clocks(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(clocks) != 2 || clocks[0].Status != store.ClockMet || clocks[1].Status != store.ClockPending {
				t.Fatalf("clocks %+v", clocks)
			}
			// The BDR no longer owns it.
			_, err = e.wf.Accept(ctx, id, as(bdr), "")
			wantProblem(t, err, problem.Forbidden, "another owner")
			v, err := e.wf.Accept(ctx, id, as(rep), "")
			if err != nil {
				t.Fatal(err)
			}
			if v.Stage != "sal" || v.Assignment == nil || v.Assignment.Status != store.AssignAccepted {
				t.Fatalf("accepted: %+v", v)
			}
		})
	}
}

// TestQueueWhenNobodyAvailable: with the only rep out of office, a lead
// waits in the team's queue (its clock already running) and is assigned
// when routing tries again after the rep is back.
func TestQueueWhenNobodyAvailable(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, target, "bant-classic.yaml")
			boss := e.user("Jefa", "manager")
			bdr := e.user("Carla", "bdr")
			back := e.clk.Now().Add(2 * time.Hour)
			bdr.AwayUntil = &back
			if err := e.db.UpdateUser(ctx, bdr); err != nil {
				t.Fatal(err)
			}
			e.team("tele_qualifiers", boss, bdr)
			id := e.demoRequest("pedro@taller.mx")
			e.fire()
			if l := e.lead(id); l.OwnerID != 0 {
				t.Fatalf("assigned to %d while the only BDR is away", l.OwnerID)
			}
			clocks, _ := e.db.Clocks(ctx, id)
			if len(clocks) != 1 || clocks[0].UserID != 0 {
				t.Fatalf("queued lead's clock: %+v", clocks)
			}
			e.clk.Set(back.Add(time.Minute))
			e.fire()
			if l := e.lead(id); l.OwnerID != bdr.ID {
				t.Fatalf("after the BDR is back: owner %d", l.OwnerID)
			}
			clocks, _ = e.db.Clocks(ctx, id)
			if clocks[0].UserID != bdr.ID {
				t.Errorf("the clock did not follow the assignment: %+v", clocks[0])
			}
		})
	}
}

// TestPauseAndResume: a paused clock keeps the business time it had left,
// counted again from the resume on the calendar (Mexico City, 09:00-18:00).
func TestPauseAndResume(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, target, "bant-classic.yaml")
			boss := e.user("Jefa", "manager")
			bdr := e.user("Carla", "bdr")
			e.team("tele_qualifiers", boss, bdr)
			e.clk.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, mexico)) // Tuesday
			id := e.demoRequest("pedro@taller.mx")
			e.fire()
			clocks, _ := e.db.Clocks(ctx, id)
			if len(clocks) != 1 || clocks[0].Policy != "first_call" || !clocks[0].DueAt.Equal(time.Date(2026, 12, 1, 13, 0, 0, 0, mexico)) {
				t.Fatalf("clock %+v, want first_call due 13:00", clocks)
			}
			_, err := e.wf.Pause(ctx, id, as(bdr), "vacaciones")
			wantProblem(t, err, problem.Invalid, "customer_asked_to_wait")
			e.clk.Set(time.Date(2026, 12, 1, 11, 0, 0, 0, mexico)) // 2 business hours left
			if _, err := e.wf.Pause(ctx, id, as(bdr), "customer_asked_to_wait"); err != nil {
				t.Fatal(err)
			}
			e.clk.Set(time.Date(2026, 12, 2, 16, 0, 0, 0, mexico))
			e.fire() // the old deadline passed while paused: no breach
			if c, _ := e.db.Clocks(ctx, id); c[0].Status != store.ClockPaused {
				t.Fatalf("paused clock became %s", c[0].Status)
			}
			e.clk.Set(time.Date(2026, 12, 2, 17, 0, 0, 0, mexico))
			v, err := e.wf.Resume(ctx, id, as(bdr))
			if err != nil {
				t.Fatal(err)
			}
			// 17:00-18:00 Wednesday, then 09:00-10:00 Thursday.
			due := time.Date(2026, 12, 3, 10, 0, 0, 0, mexico)
			if v.Clock == nil || !v.Clock.DueAt.Equal(due) || v.Clock.Status != store.ClockPending {
				t.Fatalf("resumed clock %+v, want due %v", v.Clock, due)
			}
			e.clk.Set(due.Add(-time.Minute))
			e.fire()
			if c, _ := e.db.Clocks(ctx, id); c[0].Status != store.ClockPending {
				t.Fatalf("breached early: %s", c[0].Status)
			}
			e.clk.Set(due)
			e.fire()
			if c, _ := e.db.Clocks(ctx, id); c[0].Status != store.ClockBreached {
				t.Fatalf("not breached at the resumed deadline: %s", c[0].Status)
			}
			// A late touch records the time but the clock stays breached.
			e.clk.Advance(time.Hour)
			if _, err := e.wf.Touch(ctx, id, as(bdr), waterfall.TouchInput{Kind: "call", Outcome: "voicemail"}); err != nil {
				t.Fatal(err)
			}
			if c, _ := e.db.Clocks(ctx, id); c[0].Status != store.ClockBreached || c[0].TouchedAt == nil {
				t.Fatalf("late touch: %+v", c[0])
			}
		})
	}
}

// TestNurtureBandRecontact: a lead the definition itself puts in nurture
// (bant-classic: a BANT call below 75) is called again after the band's
// three weeks, recycled to the BDR queue.
func TestNurtureBandRecontact(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, target, "bant-classic.yaml")
			boss := e.user("Jefa", "manager")
			bdr := e.user("Carla", "bdr")
			e.team("tele_qualifiers", boss, bdr)
			id := e.demoRequest("pedro@taller.mx")
			e.fire()
			q := lead.Qualification{Authority: "influencer", Need: "latent", By: bdr.Email, Role: "bdr"}
			if _, err := e.in.Qualify(ctx, id, q, nil); err != nil {
				t.Fatal(err)
			}
			e.fire()
			l := e.lead(id)
			f := waterfall.FlowOf(l)
			want := e.clk.Now().Add(21 * 24 * time.Hour)
			if l.Stage() != "nurture" || l.OwnerID != 0 || f.RecontactAt == nil || !f.RecontactAt.Equal(want) {
				t.Fatalf("below 75: stage %s owner %d flow %+v", l.Stage(), l.OwnerID, f)
			}
			e.clk.Set(want)
			e.fire()
			l = e.lead(id)
			if f := waterfall.FlowOf(l); l.Stage() != "inquiry" || f.Recycled != 1 || l.OwnerID != bdr.ID {
				t.Fatalf("recycled: stage %s owner %d flow %+v", l.Stage(), l.OwnerID, f)
			}
			// A new call decides again; the recycle no longer holds.
			q.Authority, q.Need = "decision_maker", "confirmed"
			months := 2.0
			q.TimingMonths, q.Budget = &months, &lead.Budget{Min: 9000, Max: 9000, Currency: "USD"}
			if _, err := e.in.Qualify(ctx, id, q, nil); err != nil {
				t.Fatal(err)
			}
			if l = e.lead(id); l.HumanStage != "" || l.Stage() != "mql" {
				t.Fatalf("after a good call: human %q stage %s", l.HumanStage, l.Stage())
			}
		})
	}
}

// TestDailyCapacity: a member at their daily capacity is skipped until the
// next day in the team's time zone.
func TestDailyCapacity(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, target, "bant-classic.yaml")
			boss := e.user("Jefa", "manager")
			a, b := e.user("Carla", "bdr"), e.user("Dani", "bdr")
			team := &store.Team{Name: "tele_qualifiers", ManagerID: boss.ID, Members: []store.Member{
				{UserID: a.ID, Weight: 3, DailyCapacity: 1}, {UserID: b.ID, Weight: 1}}}
			if err := e.db.PutTeam(ctx, team, e.clk.Now()); err != nil {
				t.Fatal(err)
			}
			e.clk.Set(time.Date(2026, 12, 1, 10, 0, 0, 0, mexico))
			owners := func(n int) []int64 {
				var out []int64
				for i := range n {
					id := e.demoRequest(fmt.Sprintf("p%d-%d@taller.mx", e.clk.Now().Day(), i))
					e.fire()
					out = append(out, e.lead(id).OwnerID)
				}
				return out
			}
			// Carla weighs 3 but takes one a day; Dani gets the rest.
			if got := owners(3); got[0] != a.ID || got[1] != b.ID || got[2] != b.ID {
				t.Errorf("day 1 owners %v, want Carla then Dani, Dani", got)
			}
			e.clk.Set(time.Date(2026, 12, 2, 0, 30, 0, 0, mexico)) // just after midnight in Mexico City
			if got := owners(1); got[0] != a.ID {
				t.Errorf("day 2 first owner %d, want Carla again", got[0])
			}
		})
	}
}

// TestNurturedInquiryComesBack: an inquiry the definition nurtures (seed
// 002's "tibio" band, re-contact in three weeks) is never routed; when its
// re-contact is due it comes back recycled and goes to the team its
// country routes to.
func TestNurturedInquiryComesBack(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, target, "instrumentos.yaml")
			boss := e.user("Jefa", "manager")
			rep := e.user("Rafa", "rep")
			e.team("norteamerica", boss, rep)
			ans, err := e.in.Submit(ctx, intake.Inquiry{
				Person:  lead.Person{Email: "laura@helixbio.com", FirstName: "Laura", LastName: "Chen", Seniority: "vp", Country: "US"},
				Company: lead.Company{Name: "Helix", Industry: "life_sciences", Country: "US", Revenue: lead.Money{Amount: 4.2e9, Currency: "USD"}},
				Action:  lead.Action{Type: "price_request"},
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			id := leadID(t, ans.Encoded)
			e.fire()
			l := e.lead(id)
			if l.Stage() != "nurture" || l.OwnerID != 0 {
				t.Fatalf("stage %s owner %d, want an unrouted nurture lead", l.Stage(), l.OwnerID)
			}
			var due time.Time
			err = e.db.InTx(ctx, func(tx *store.Tx) error {
				ts, err := tx.PendingTimers(ctx, id)
				for _, tm := range ts {
					if tm.Kind == store.TimerRecontact {
						due = tm.Due
					}
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if want := e.clk.Now().Add(21 * 24 * time.Hour); !due.Equal(want) {
				t.Fatalf("re-contact due %v, want %v", due, want)
			}
			e.clk.Set(due)
			e.fire()
			l = e.lead(id)
			if f := waterfall.FlowOf(l); f.Recycled != 1 || l.Stage() != "inquiry" || l.OwnerID != rep.ID {
				t.Fatalf("after the re-contact: stage %s owner %d flow %+v", l.Stage(), l.OwnerID, f)
			}
			tl, err := e.db.Timeline(ctx, id, 100)
			if err != nil {
				t.Fatal(err)
			}
			moves := ""
			for _, te := range tl {
				if te.Kind == "stage_changed" {
					moves += string(te.Data)
				}
			}
			if !strings.Contains(moves, `"from":"nurture"`) || !strings.Contains(moves, `"actor":"re-contact"`) {
				t.Errorf("the recycle is not a stage move on the timeline: %s", moves)
			}
			clocks, err := e.db.Clocks(ctx, id)
			if err != nil || len(clocks) != 1 || clocks[0].Policy != "estandar" {
				t.Fatalf("the recycled lead's clock: %+v %v", clocks, err)
			}
		})
	}
}

// TestFailingTimerDoesNotHoldUpOthers: timers whose effect fails (here a
// team whose stored calendar names an unsupported country) are retried
// later with backoff, while the other due timers fire.
func TestFailingTimerDoesNotHoldUpOthers(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, target, "bant-classic.yaml")
			boss := e.user("Jefa", "manager")
			bdr := e.user("Carla", "bdr")
			bad := &store.Team{Name: "tele_qualifiers", ManagerID: boss.ID, Calendar: []byte(`{"country":"XX"}`),
				Members: []store.Member{{UserID: bdr.ID, Weight: 1}}}
			if err := e.db.PutTeam(ctx, bad, e.clk.Now()); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for i := range 3 {
				ids = append(ids, e.demoRequest(fmt.Sprintf("p%d@taller.mx", i)))
			}
			// A fourth lead is qualified at once: the definition sends it to
			// sales, whose team is fine.
			rep := e.user("Rafa", "rep")
			e.team("sales", boss, rep)
			good := e.demoRequest("ok@taller.mx")
			months := 1.0
			q := lead.Qualification{Budget: &lead.Budget{Min: 9000, Max: 9000, Currency: "USD"}, Authority: "decision_maker", Need: "confirmed",
				TimingMonths: &months, By: bdr.Email, Role: "bdr"}
			if _, err := e.in.Qualify(ctx, good, q, nil); err != nil {
				t.Fatal(err)
			}
			n, err := e.wf.FireDue(ctx)
			if err != nil {
				t.Fatalf("FireDue: %v", err)
			}
			if n != 1 || e.lead(good).OwnerID != rep.ID {
				t.Errorf("%d timers fired, the good lead's owner is %d; want 1 and the rep", n, e.lead(good).OwnerID)
			}
			var due time.Time
			err = e.db.InTx(ctx, func(tx *store.Tx) error {
				ts, err := tx.PendingTimers(ctx, ids[0])
				if len(ts) == 1 {
					due = ts[0].Due
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if want := e.clk.Now().Add(time.Minute); !due.Equal(want) {
				t.Fatalf("the failed timer is due again at %v, want %v (one minute later)", due, want)
			}
			// Fixed: the next try routes every lead.
			bad.Calendar = nil
			if err := e.db.PutTeam(ctx, bad, e.clk.Now()); err != nil {
				t.Fatal(err)
			}
			e.clk.Advance(time.Minute)
			e.fire()
			for _, id := range ids {
				if l := e.lead(id); l.OwnerID != bdr.ID {
					t.Errorf("lead %d owner %d after the fix", id, l.OwnerID)
				}
			}
		})
	}
}
