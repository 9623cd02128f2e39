package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBuckets(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	values := []int64{0, 1, 127, 255, 256, 257, 511, 512, 1000, 1 << 20, 123456789, math.MaxInt64}
	for range 10000 {
		values = append(values, r.Int64N(1<<uint(r.IntN(62)+1)))
	}
	for _, v := range values {
		i := bucketOf(v)
		if i < 0 || i >= histBuckets {
			t.Fatalf("bucketOf(%d) = %d, out of range", v, i)
		}
		low, width := bucketRange(i)
		if v < low || v-low >= width {
			t.Fatalf("%d in bucket %d = [%d, %d+%d)", v, i, low, low, width)
		}
		if width > 1 && float64(width)/float64(low) > 1.0/128 {
			t.Fatalf("bucket %d: width %d at %d is wider than 1/128", i, width, low)
		}
	}
	if bucketOf(-5) != 0 {
		t.Error("negative durations must land in bucket 0")
	}
}

// TestQuantiles compares against exact nearest-rank quantiles of known
// distributions: accurate to 1% as promised.
func TestQuantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	tests := []struct {
		name string
		gen  func(i int) time.Duration
		n    int
	}{
		{"uniform 1..1e6 ns", func(i int) time.Duration { return time.Duration(i + 1) }, 1_000_000},
		{"constant 3ms", func(int) time.Duration { return 3 * time.Millisecond }, 1000},
		{"exponential, mean 2ms", func(int) time.Duration { return time.Duration(r.ExpFloat64() * 2e6) }, 200_000},
		{"log-normal latencies, median 5ms", func(int) time.Duration {
			return time.Duration(5e6 * math.Exp(r.NormFloat64()*1.5))
		}, 200_000},
		{"bimodal: 1ms and 800ms", func(i int) time.Duration {
			if i%50 == 0 {
				return 800*time.Millisecond + time.Duration(r.IntN(1e6))
			}
			return time.Millisecond + time.Duration(r.IntN(1e5))
		}, 100_000},
		{"tiny: 100..300 ns", func(int) time.Duration { return time.Duration(100 + r.IntN(200)) }, 10_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h histogram
			exact := make([]time.Duration, tt.n)
			for i := range exact {
				exact[i] = tt.gen(i)
				h.record(exact[i])
			}
			slices.Sort(exact)
			for _, q := range []float64{0, 0.5, 0.9, 0.99, 0.999, 1} {
				rank := max(1, int(math.Ceil(q*float64(tt.n))))
				want := exact[rank-1]
				got := h.quantile(q)
				if rel := math.Abs(float64(got-want)) / float64(want); rel > 0.01 {
					t.Errorf("q%g = %v, exact %v (%.2f%% off)", q, got, want, 100*rel)
				}
			}
			if h.quantile(1) != exact[tt.n-1] || time.Duration(h.max) != exact[tt.n-1] || time.Duration(h.min) != exact[0] {
				t.Errorf("max %v min %v, want %v %v", time.Duration(h.max), time.Duration(h.min), exact[tt.n-1], exact[0])
			}
		})
	}
}

func TestMerge(t *testing.T) {
	var a, b, all histogram
	for i := range 10000 {
		d := time.Duration(i*i + 1)
		all.record(d)
		if i%3 == 0 {
			a.record(d)
		} else {
			b.record(d)
		}
	}
	var empty histogram
	a.merge(&b)
	a.merge(&empty)
	if a != all {
		t.Error("merging two halves differs from recording everything")
	}
	if empty.quantile(0.5) != 0 {
		t.Error("empty histogram has a median")
	}
}

func BenchmarkRecord(b *testing.B) {
	var h histogram
	d := time.Duration(1)
	for b.Loop() {
		h.record(d)
		d = d*31 + 7&(1<<30-1)
	}
}
