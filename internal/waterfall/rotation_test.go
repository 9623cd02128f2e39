package waterfall

import (
	"strings"
	"testing"
)

func team(weights ...float64) []Candidate {
	out := make([]Candidate, len(weights))
	for i, w := range weights {
		out[i] = Candidate{UserID: int64(i + 1), Weight: w, Active: true}
	}
	return out
}

func TestRotateIsProportionalAndInterleaved(t *testing.T) {
	m := team(2, 1, 1)
	var order []int64
	counts := map[int64]int{}
	for range 4000 {
		p := Rotate(m, 0)
		counts[p.UserID]++
		if len(order) < 8 {
			order = append(order, p.UserID)
		}
	}
	if counts[1] != 2000 || counts[2] != 1000 || counts[3] != 1000 {
		t.Errorf("counts %v, want 2000/1000/1000", counts)
	}
	// Smooth: the heavy member never gets more than two in a row and the
	// others are interleaved.
	want := []int64{1, 2, 3, 1, 1, 2, 3, 1}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v", order, want)
		}
	}
}

func TestRotateNobodyAlwaysFirst(t *testing.T) {
	// Equal weights: over 30 "days" of one lead each, the first lead of
	// the day does not always go to the same person.
	m := team(1, 1, 1)
	firsts := map[int64]int{}
	for range 30 {
		firsts[Rotate(m, 0).UserID]++
	}
	if len(firsts) != 3 || firsts[1] != 10 {
		t.Errorf("first picks %v, want 10 each", firsts)
	}
}

func TestRotateSkips(t *testing.T) {
	m := team(1, 1, 1, 1, 1)
	m[0].Active = false
	m[1].Away = true
	m[2].Capacity, m[2].Today = 5, 5
	p := Rotate(m, 4)
	if p.UserID != 5 {
		t.Fatalf("picked %d, want 5 (the only one available)", p.UserID)
	}
	var whys []string
	for _, s := range p.Skipped {
		whys = append(whys, s.Why)
	}
	got := strings.Join(whys, "; ")
	for _, w := range []string{"inactive", "out of office", "daily capacity 5 reached", "taken from them"} {
		if !strings.Contains(got, w) {
			t.Errorf("skips %q lack %q", got, w)
		}
	}
	if m[0].Credit != 0 || m[1].Credit != 0 {
		t.Errorf("skipped members earned credit: %+v", m)
	}
	m[4].Away = true
	if p := Rotate(m, 4); p.UserID != 0 {
		t.Errorf("picked %d with nobody available", p.UserID)
	}
}

func TestRotateReturningMemberIsNotFlooded(t *testing.T) {
	// A member back from holidays earned nothing while away, so they
	// rejoin the rotation instead of taking the next run of leads.
	m := team(1, 1)
	m[1].Away = true
	for range 10 {
		Rotate(m, 0)
	}
	m[1].Away = false
	run := 0
	for range 4 {
		if Rotate(m, 0).UserID == 2 {
			run++
		}
	}
	if run != 2 {
		t.Errorf("returning member got %d of the next 4, want 2", run)
	}
}
