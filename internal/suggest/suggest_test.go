package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"seniority", "senority", 1}, {"kitten", "sitting", 3}, {"día", "dia", 1}, {"abc", "", 3}} {
		if got := Distance(tt.a, tt.b); got != tt.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}

func TestClosest(t *testing.T) {
	cands := []string{"seniority", "title", "email"}
	if got := Closest("senority", cands, 3); got != "seniority" {
		t.Errorf("got %q", got)
	}
	if got := Closest("zzzzzzzz", cands, 3); got != "" {
		t.Errorf("far word got %q", got)
	}
}
