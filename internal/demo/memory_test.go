package demo_test

import (
	"runtime"
	"testing"

	"github.com/pistahq/pista/internal/demo"
)

// TestConstantMemory: streaming must not accumulate, however many leads.
func TestConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 200k items")
	}
	const (
		n     = 200_000
		limit = 50 << 20
	)
	var ms runtime.MemStats
	peak, i := uint64(0), 0
	demo.Generate(demo.Config{Seed: 1, Start: start, End: end, Leads: n}, func(demo.Item) bool {
		i++
		if i%10_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return true
	})
	if i != n {
		t.Fatalf("generated %d items, want %d", i, n)
	}
	t.Logf("peak HeapAlloc %.1f MB over %d items", float64(peak)/(1<<20), n)
	if peak > limit {
		t.Errorf("HeapAlloc reached %.1f MB, want below %d MB", float64(peak)/(1<<20), limit>>20)
	}
}

func BenchmarkGenerate(b *testing.B) {
	events := 0
	b.ResetTimer()
	demo.Generate(demo.Config{Seed: 1, Start: start, End: end, Leads: b.N}, func(it demo.Item) bool {
		events += len(it.Events)
		return true
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/item")
}
