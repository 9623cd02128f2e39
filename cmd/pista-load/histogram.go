package main

import (
	"math"
	"math/bits"
	"time"
)

// histogram records durations in log-linear buckets, like HdrHistogram:
// values below 256 ns are exact, above that each power of two is split
// into 128 buckets, so a bucket is at most 1/128 of its value wide and
// the midpoint reported is within 0.4% of any value in it. 7,296 counters
// cover every int64, about 57 KB, merged by adding.
type histogram struct {
	counts   [histBuckets]uint64
	n        uint64
	min, max int64
}

const (
	histSubBits = 7
	histSub     = 1 << histSubBits // buckets per power of two
	histLinear  = 2 * histSub      // values below this have their own bucket
	histBuckets = histLinear + (63-histSubBits-1)*histSub
)

func bucketOf(v int64) int {
	u := uint64(max(v, 0))
	shift := bits.Len64(u) - (histSubBits + 1)
	if shift <= 0 {
		return int(u)
	}
	return histLinear + (shift-1)*histSub + int(u>>shift) - histSub
}

// bucketRange is the lowest value of bucket i and its width.
func bucketRange(i int) (low, width int64) {
	if i < histLinear {
		return int64(i), 1
	}
	shift := (i-histLinear)/histSub + 1
	m := int64((i-histLinear)%histSub + histSub)
	return m << shift, 1 << shift
}

func (h *histogram) record(d time.Duration) {
	v := int64(d)
	if h.n == 0 || v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	h.counts[bucketOf(v)]++
	h.n++
}

func (h *histogram) merge(o *histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	h.max = max(h.max, o.max)
	h.n += o.n
}

// quantile returns the value below which a fraction q of the recordings
// fall (nearest rank), as its bucket's midpoint within [min, max]; the
// smallest and largest recordings are exact; 0 for an empty histogram.
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	switch rank = max(1, min(rank, h.n)); rank {
	case 1:
		return time.Duration(h.min)
	case h.n:
		return time.Duration(h.max)
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			low, width := bucketRange(i)
			mid := low + (width-1)/2
			return time.Duration(max(h.min, min(mid, h.max)))
		}
	}
	return time.Duration(h.max)
}
