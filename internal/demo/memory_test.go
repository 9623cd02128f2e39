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
	// Earlier tests held large slices; collect them so that the GC's
	// heap goal reflects this test only.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc // tables other packages loaded in earlier tests
	peak, live, i := uint64(0), uint64(0), 0
	demo.Generate(demo.Config{Seed: 1, Start: start, End: end, Leads: n}, func(demo.Item) bool {
		i++
		if i%10_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		if i%50_000 == 0 { // what is really retained, garbage collected
			runtime.GC()
			runtime.ReadMemStats(&ms)
			live = max(live, ms.HeapAlloc)
		}
		return true
	})
	if i != n {
		t.Fatalf("generated %d items, want %d", i, n)
	}
	mb := func(b uint64) float64 { return float64(b) / (1 << 20) }
	t.Logf("over %d items: peak HeapAlloc %.1f MB, live after GC %.1f MB (%.1f MB before)", n, mb(peak), mb(live), mb(base))
	if peak > limit {
		t.Errorf("HeapAlloc reached %.1f MB, want below %d MB", mb(peak), limit>>20)
	}
	if live > base+5<<20 {
		t.Errorf("%.1f MB live after GC, %.1f MB before: the generator retains memory", mb(live), mb(base))
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
