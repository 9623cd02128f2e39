package report

import (
	"context"
	"encoding/binary"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/pistahq/pista/internal/store"
)

// The bands report over long periods reads, for each whole cohort day
// with rollups, the day's scores rollup (store.ScoresDim): per definition,
// the leads and stages reached by band, and a histogram of the scores in
// buckets with the stages reached. The deciles stay exact: summing the
// histograms tells which bucket each of the nine decile boundaries falls
// in; every other bucket lies wholly in one decile and is counted from
// its sums, and only the leads of the boundary buckets are read one by
// one (store.ReportScoreRows, through an index on score) and ranked as
// deciles ranks them (higher score first, then lower lead ID).

// bucketBits is how many leading bits of a score's ordered bits name its
// bucket: sign, exponent and 8 bits of the mantissa, so a bucket spans
// 1/256 of a power of two (integer scores below 512 each have their own).
const bucketBits = 20

// orderedBits maps a score to an integer of the same order (-0 as 0).
func orderedBits(s float64) uint64 {
	if s == 0 {
		s = 0
	}
	b := math.Float64bits(s)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

func fromOrdered(o uint64) float64 {
	if o>>63 != 0 {
		return math.Float64frombits(o &^ (1 << 63))
	}
	return math.Float64frombits(^o)
}

// scoreBucket is the bucket of a score: higher scores, higher buckets.
func scoreBucket(s float64) uint32 { return uint32(orderedBits(s) >> (64 - bucketBits)) }

// bucketRange is the lowest and highest score of a bucket (finite).
func bucketRange(k uint32) (lo, hi float64) {
	first := uint64(k) << (64 - bucketBits)
	lo, hi = fromOrdered(first), fromOrdered(first|(1<<(64-bucketBits)-1))
	if math.IsNaN(lo) || math.IsInf(lo, 0) {
		lo = math.Copysign(math.MaxFloat64, lo)
	}
	if math.IsNaN(hi) || math.IsInf(hi, 0) {
		hi = math.Copysign(math.MaxFloat64, hi)
	}
	return min(lo, hi), max(lo, hi)
}

// masks counts leads by the stages they reached (bits 0 to 4).
type masks [32]int64

// dayScores is one definition's part of a day's scores rollup.
type dayScores struct {
	bands   map[string]*masks
	buckets map[uint32]*masks
}

// sumScores is a cohort day's scores rollup, packed: for each definition
// (in order), its bands (by name) and buckets (in order), each with its
// leads by stages reached.
func sumScores(rows []*store.ReportLead) []byte {
	defs := map[int64]*dayScores{}
	for _, row := range rows {
		d := defs[row.DefinitionID]
		if d == nil {
			d = &dayScores{bands: map[string]*masks{}, buckets: map[uint32]*masks{}}
			defs[row.DefinitionID] = d
		}
		m := rowMask(row) & 31
		b := d.bands[row.Band]
		if b == nil {
			b = &masks{}
			d.bands[row.Band] = b
		}
		b[m]++
		k := scoreBucket(row.Score)
		h := d.buckets[k]
		if h == nil {
			h = &masks{}
			d.buckets[k] = h
		}
		h[m]++
	}
	ids := make([]int64, 0, len(defs))
	for id := range defs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	b := binary.AppendUvarint(nil, uint64(len(ids)))
	packMasks := func(m *masks) {
		n := 0
		for _, c := range m {
			if c > 0 {
				n++
			}
		}
		b = binary.AppendUvarint(b, uint64(n))
		for v, c := range m {
			if c > 0 {
				b = append(b, byte(v))
				b = binary.AppendUvarint(b, uint64(c))
			}
		}
	}
	for _, id := range ids {
		d := defs[id]
		b = binary.AppendVarint(b, id)
		names := make([]string, 0, len(d.bands))
		for n := range d.bands {
			names = append(names, n)
		}
		sort.Strings(names)
		b = binary.AppendUvarint(b, uint64(len(names)))
		for _, n := range names {
			b = binary.AppendUvarint(b, uint64(len(n)))
			b = append(b, n...)
			packMasks(d.bands[n])
		}
		keys := make([]uint32, 0, len(d.buckets))
		for k := range d.buckets {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = binary.AppendUvarint(b, uint64(len(keys)))
		prev := uint32(0)
		for _, k := range keys {
			b = binary.AppendUvarint(b, uint64(k-prev))
			prev = k
			packMasks(d.buckets[k])
		}
	}
	return b
}

// scoreHist is the sum of the scores rollups of the days read from them.
type scoreHist struct {
	days    map[int64]bool // the days summed
	buckets map[uint32]*masks
	n       int64
}

func newScoreHist() *scoreHist {
	return &scoreHist{days: map[int64]bool{}, buckets: map[uint32]*masks{}}
}

// addScores adds a day's packed scores rollup of definition (0: all) to
// h, and its bands to byBand and sum.
func (h *scoreHist) addScores(b []byte, definition int64, byBand map[string]*bandCount, sum *bandCount) error {
	r := sumsReader{b: b}
	readMasks := func(fn func(m byte, c int64)) {
		for range r.uv() {
			m := r.byte1()
			c := int64(r.uv())
			if r.err == nil && m < 32 {
				fn(m, c)
			}
		}
	}
	for range r.uv() {
		if r.err != nil {
			break
		}
		keep := r.sv() == definition || definition == 0
		for range r.uv() {
			name := r.str()
			readMasks(func(m byte, c int64) {
				if keep {
					band(byBand, name).addMasks(m, c)
					sum.addMasks(m, c)
				}
			})
		}
		k := uint32(0)
		for range r.uv() {
			k += uint32(r.uv())
			readMasks(func(m byte, c int64) {
				if !keep {
					return
				}
				s := h.buckets[k]
				if s == nil {
					s = &masks{}
					h.buckets[k] = s
				}
				s[m] += c
				h.n += c
			})
		}
	}
	return r.err
}

// addMasks counts c leads that reached the stages of m.
func (b *bandCount) addMasks(m byte, c int64) {
	b.leads += c
	for i := range b.reached {
		if m&(1<<i) != 0 {
			b.reached[i] += c
		}
	}
}

// decileBounds are the ranks that start each decile after the first, of
// n leads (see deciles).
func decileBounds(n int) []int {
	var bounds []int
	at := 0
	for d := range min(10, n) {
		size := n / 10
		if d < n%10 {
			size++
		}
		at += size
		if at < n {
			bounds = append(bounds, at)
		}
	}
	return bounds
}

// decilesMixed is deciles over the leads of h (counted by bucket) and
// the leads ranked one by one. fetch reads the leads of h's days in a
// bucket that a boundary splits.
func decilesMixed(h *scoreHist, ranked []scored, fetch func(k uint32) ([]scored, error)) ([]bandCount, error) {
	n := int(h.n) + len(ranked)
	if n == 0 {
		return nil, nil
	}
	bounds := decileBounds(n)
	out := make([]bandCount, len(bounds)+1)
	for d := range out {
		out[d].name = strconv.Itoa(d + 1)
	}
	decile := func(rank int) *bandCount { return &out[min(sort.SearchInts(bounds, rank+1), len(out)-1)] }
	one := map[uint32][]scored{}
	for _, l := range ranked {
		k := scoreBucket(l.score)
		one[k] = append(one[k], l)
	}
	keys := make([]uint32, 0, len(h.buckets)+len(one))
	for k := range h.buckets {
		keys = append(keys, k)
	}
	for k := range one {
		if h.buckets[k] == nil {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	slices.Reverse(keys) // higher scores first
	at := 0
	for _, k := range keys {
		var t int
		if s := h.buckets[k]; s != nil {
			for _, c := range s {
				t += int(c)
			}
		}
		t += len(one[k])
		i := sort.SearchInts(bounds, at+1)
		if i == len(bounds) || bounds[i] >= at+t {
			// The whole bucket lies in one decile.
			d := decile(at)
			if s := h.buckets[k]; s != nil {
				for m, c := range s {
					if c > 0 {
						d.addMasks(byte(m), c)
					}
				}
			}
			for _, l := range one[k] {
				d.addMask(l.mask)
			}
			at += t
			continue
		}
		var rows []scored
		if h.buckets[k] != nil {
			var err error
			if rows, err = fetch(k); err != nil {
				return nil, err
			}
		}
		rows = append(rows, one[k]...)
		slices.SortFunc(rows, func(a, b scored) int {
			if ranksBefore(&a, &b) {
				return -1
			}
			if ranksBefore(&b, &a) {
				return 1
			}
			return 0
		})
		for i, l := range rows {
			decile(at + i).addMask(l.mask)
		}
		// The histogram's count places the next buckets; the leads read
		// differ from it only when the rows changed between the reads.
		at += t
	}
	return out, nil
}

// bandsRollable is whether the bands report may read the scores rollups:
// they keep the leads per definition only, so not with filters or a
// manager's teams.
func (r *Reports) bandsRollable(q Query) bool {
	if r.noRollups || q.Scope.Limited {
		return false
	}
	for _, v := range q.Filters {
		if len(v) > 0 {
			return false
		}
	}
	return true
}

// bandsRollups adds the scores rollups of the whole cohort days [a, b]
// to h, byBand and sum, and returns the runs of days without one.
func (r *Reports) bandsRollups(ctx context.Context, q Query, a, b int64, tz string, h *scoreHist,
	byBand map[string]*bandCount, sum *bandCount) ([][2]int64, error) {
	var covered []int64
	err := r.db.ReportRollups(ctx, store.SegCohort, store.ScoresDim, tz, a, b, func(ro *store.Rollup) error {
		covered = append(covered, ro.Day)
		h.days[ro.Day] = true
		return h.addScores(ro.Sums, q.DefinitionID, byBand, sum)
	})
	if err != nil {
		return nil, err
	}
	return uncovered(a, b, covered), nil
}

// uncovered is the runs of days of [a, b] not in covered (ascending).
func uncovered(a, b int64, covered []int64) [][2]int64 {
	var runs [][2]int64
	next := a
	for _, d := range covered {
		if d > next {
			runs = append(runs, [2]int64{next, d - 1})
		}
		next = d + 1
	}
	if next <= b {
		runs = append(runs, [2]int64{next, b})
	}
	return runs
}

// bucketRows reads the leads of h's days in bucket k (days [a, b]).
func (r *Reports) bucketRows(ctx context.Context, h *scoreHist, k uint32, a, b int64, definition int64) ([]scored, error) {
	lo, hi := bucketRange(k)
	var out []scored
	err := r.db.ReportScoreRows(ctx, lo, hi, store.DayStart(a), store.DayStart(b+1), definition,
		func(id, day int64, score float64, reached byte) error {
			if h.days[day] && scoreBucket(score) == k {
				out = append(out, scored{id: id, score: score, mask: reached})
			}
			return nil
		})
	return out, err
}
