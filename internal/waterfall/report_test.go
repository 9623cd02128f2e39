package waterfall

import (
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
)

func TestSLAReport(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	at := func(m int) *time.Time { v := t0.Add(time.Duration(m) * time.Minute); return &v }
	clocks := []*store.Clock{
		{Team: "sales", UserID: 1, StartedAt: t0, DueAt: t0.Add(time.Hour), Status: store.ClockMet, TouchedAt: at(10)},
		{Team: "sales", UserID: 1, StartedAt: t0, DueAt: t0.Add(time.Hour), Status: store.ClockMet, TouchedAt: at(30)},
		{Team: "sales", UserID: 2, StartedAt: t0, DueAt: t0.Add(time.Hour), Status: store.ClockBreached, TouchedAt: at(90)},
		{Team: "sales", UserID: 2, StartedAt: t0, DueAt: t0.Add(time.Hour), Status: store.ClockBreached},     // never touched
		{Team: "sales", UserID: 0, StartedAt: t0, DueAt: t0.Add(48 * time.Hour), Status: store.ClockPending}, // queued, not due yet
		{Team: "bdr", UserID: 3, StartedAt: t0, DueAt: t0.Add(time.Hour), Status: store.ClockCancelled},
	}
	lines := SLAReport(clocks, map[int64]string{1: "ana@x", 2: "beto@x"}, t0.Add(3*time.Hour))
	type key struct {
		team string
		user int64
	}
	got := map[key]SLALine{}
	for _, l := range lines {
		got[key{l.Team, l.UserID}] = l
	}
	if len(lines) != 5 || lines[0].Team != "bdr" || lines[0].UserID != 0 || lines[2].Team != "sales" || lines[2].UserID != 0 {
		t.Fatalf("order: %+v", lines)
	}
	team := got[key{"sales", 0}]
	if team.Routed != 5 || team.Met != 2 || team.Breached != 2 || team.Pending != 1 || team.NeverTouched != 1 || team.MetShare != 0.5 {
		t.Errorf("team line %+v", team)
	}
	if team.MedianMinutes != 30 || team.P90Minutes != 90 {
		t.Errorf("team times %v / %v, want 30 / 90", team.MedianMinutes, team.P90Minutes)
	}
	if a := got[key{"sales", 1}]; a.User != "ana@x" || a.Met != 2 || a.MetShare != 1 || a.MedianMinutes != 10 {
		t.Errorf("ana %+v", a)
	}
	if b := got[key{"sales", 2}]; b.Breached != 2 || b.NeverTouched != 1 || b.MetShare != 0 {
		t.Errorf("beto %+v", b)
	}
	if c := got[key{"bdr", 3}]; c.Cancelled != 1 || c.NeverTouched != 0 {
		t.Errorf("cancelled %+v", c)
	}
}
