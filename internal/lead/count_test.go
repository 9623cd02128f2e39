package lead_test

import (
	"testing"

	"github.com/pistahq/pista/internal/lead"
)

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1200", 1200, true}, {"1.200", 1200, true}, {"1,200", 1200, true}, {"1 200", 1200, true}, {"10 - 50", 10, true},
		{"1000+", 1000, true}, {"+1000", 1000, true}, {"50-200", 50, true}, {"50 - 200", 50, true},
		{"10.000+", 10000, true}, {"1,000,000", 1000000, true}, {"10k", 10000, true}, {"1.5k", 1500, true},
		{"10 mil", 10000, true}, {"más de 500", 500, true}, {"<10", 1, true}, {"menos de 10", 1, true},
		{"hasta 50", 1, true}, {"0", 0, true}, {"muchos", 0, false}, {"", 0, false},
		{"99999999999999999999999", 0, false}, {"2 millones", 2, true},
		{"1k+", 1000, true}, {"500-1000", 500, true}, {"1.200 empleados", 1200, true},
	}
	for _, tt := range tests {
		got, ok := lead.ParseCount(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("lead.ParseCount(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// BenchmarkParseCount: the employee counts of an import, plain and with an
// upper-bound word.
func BenchmarkParseCount(b *testing.B) {
	for _, s := range []string{"250", "hasta 50 empleados"} {
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				lead.ParseCount(s)
			}
		})
	}
}
