package report

import (
	"testing"
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/store"
)

// TestFollowUp: six leads routed in two weeks, on a 08:00-17:00 Bogotá
// calendar (Monday 16 November 2026 is a Colombian holiday), with hand-
// computed shares and business hours.
func TestFollowUp(t *testing.T) {
	loc, _ := time.LoadLocation("America/Bogota")
	cal, err := calendar.New(calendar.Config{Country: "CO", Timezone: "America/Bogota", Hours: "08:00-17:00"})
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, loc) }
	ptr := func(t time.Time) *time.Time { return &t }
	const ana, beto, gone = 1, 2, 9 // user 9 was removed since
	clocks := []*store.ClockFact{
		// Lead 1: Ana touches it after 1 h 30: met.
		{LeadID: 1, Team: "ventas", UserID: ana, StartedAt: at(9, 9, 0), Status: store.ClockMet, TouchedAt: ptr(at(9, 10, 30))},
		// Lead 2: Ana breaches it untouched; reassigned to Beto, who touches
		// it Friday 10:00 (from Thursday 10:00: 7 + 2 = 9 business hours), met.
		{LeadID: 2, Team: "ventas", UserID: ana, StartedAt: at(9, 10, 0), Status: store.ClockBreached},
		{LeadID: 2, Team: "ventas", UserID: beto, StartedAt: at(12, 10, 0), Status: store.ClockMet, TouchedAt: ptr(at(13, 10, 0))},
		// Lead 3: Beto touches it late, Friday 13 9:00 → Tuesday 17 9:00
		// across the weekend and the holiday: 8 + 1 = 9 business hours.
		{LeadID: 3, Team: "ventas", UserID: beto, StartedAt: at(13, 9, 0), Status: store.ClockBreached, TouchedAt: ptr(at(17, 9, 0))},
		// Lead 4: never touched, by a user since removed.
		{LeadID: 4, Team: "ventas", UserID: gone, StartedAt: at(17, 9, 0), Status: store.ClockBreached},
		// Lead 5: still in the team's queue, nobody has it.
		{LeadID: 5, Team: "ventas", StartedAt: at(17, 9, 0), Status: store.ClockPending},
	}
	names := map[int64]string{ana: "Ana Ruiz", beto: "Beto Díaz"}
	f := followUp(clocks, names, func(string) *calendar.Calendar { return cal }, at(1, 0, 0), at(30, 0, 0), time.UTC)

	// Leads once each: 5 routed; touched 1, 2, 3; within the SLA 1 and 2.
	// Hours to the first touch: lead 1 1.5; lead 2 from its first routing
	// Monday 10:00 to Friday 10:00 = 7 + 9 + 9 + 9 + 2 = 36.0; lead 3 9.0.
	tot := f.Total
	if tot.Routed != 5 || tot.Touched != 3 || tot.WithinSLA != 2 || *tot.TouchedShare != 0.6 || *tot.WithinSLAShare != 0.4 {
		t.Errorf("total %+v", tot)
	}
	if *tot.MedianHours != 9 || *tot.P90Hours != 36 {
		t.Errorf("total hours median %v p90 %v, want 9 and 36", *tot.MedianHours, *tot.P90Hours)
	}
	reps := map[string]FollowLine{}
	for _, l := range f.Reps {
		reps[l.User] = l
	}
	if a := reps["Ana Ruiz"]; a.Routed != 2 || a.Touched != 1 || a.WithinSLA != 1 || *a.MedianHours != 1.5 {
		t.Errorf("Ana %+v", a)
	}
	// Beto: lead 2 (9.0 h from his own routing) and lead 3 (9.0 h, late).
	if b := reps["Beto Díaz"]; b.Routed != 2 || b.Touched != 2 || b.WithinSLA != 1 || *b.WithinSLAShare != 0.5 || *b.MedianHours != 9 {
		t.Errorf("Beto %+v", b)
	}
	if g := reps["#9"]; g.Routed != 1 || g.Touched != 0 || *g.TouchedShare != 0 || g.MedianHours != nil {
		t.Errorf("removed user %+v", g)
	}
	if len(f.Reps) != 3 || len(f.Teams) != 1 || f.Teams[0].Routed != 5 {
		t.Errorf("reps %d, teams %+v", len(f.Reps), f.Teams)
	}
	weeks := map[[2]string]FollowLine{}
	for _, l := range f.Weeks {
		weeks[[2]string{l.User, l.Week}] = l
	}
	// Team lines per week count leads by their first routing: week 46
	// (9-13 Nov) leads 1, 2, 3; week 47 leads 4, 5.
	if w := weeks[[2]string{"", "2026-W46"}]; w.Routed != 3 || w.Touched != 3 {
		t.Errorf("team week 46 %+v", w)
	}
	if w := weeks[[2]string{"", "2026-W47"}]; w.Routed != 2 || w.Touched != 0 || *w.TouchedShare != 0 {
		t.Errorf("team week 47 %+v", w)
	}
	if w := weeks[[2]string{"Beto Díaz", "2026-W46"}]; w.Routed != 2 {
		t.Errorf("Beto week 46 %+v", w)
	}
}
