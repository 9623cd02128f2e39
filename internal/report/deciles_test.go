package report

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/store"
)

// TestDecilesSelectAsSorting: the deciles chosen by selection are the
// ones a full sort by score (then lead ID) gives, with ties, few leads
// and many.
func TestDecilesSelectAsSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 40))
	for _, n := range []int{0, 1, 3, 9, 10, 11, 17, 99, 1000, 20_011} {
		for range 3 {
			leads := make([]scored, n)
			for i := range leads {
				leads[i] = scored{id: int64(rng.IntN(10 * (n + 1))), score: float64(rng.IntN(12)), mask: byte(rng.IntN(32))}
				if rng.IntN(2) == 0 {
					leads[i].score = rng.Float64() * 100
				}
			}
			for i := range leads { // IDs are unique
				leads[i].id = leads[i].id*int64(n+1) + int64(i)
			}
			sorted := slices.Clone(leads)
			slices.SortFunc(sorted, func(a, b scored) int {
				if ranksBefore(&a, &b) {
					return -1
				}
				return 1
			})
			var want []bandCount
			at := 0
			for d := range min(10, n) {
				size := n / 10
				if d < n%10 {
					size++
				}
				b := bandCount{name: strconv.Itoa(d + 1)}
				for _, l := range sorted[at : at+size] {
					b.addMask(l.mask)
				}
				at += size
				want = append(want, b)
			}
			if got := deciles(leads); !reflect.DeepEqual(got, want) {
				t.Fatalf("%d leads: deciles\n%+v\nwant\n%+v", n, got, want)
			}
		}
	}
}

// TestDecilesFromHistograms: the deciles counted from daily score
// histograms, with only the leads of the buckets a boundary splits read
// one by one, are the deciles of all the leads ranked one by one; with
// ties, negative, zero and negative zero, fractional and huge scores,
// some leads in the histograms and others not.
func TestDecilesFromHistograms(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 42))
	values := []float64{0, math.Copysign(0, -1), -1, -3.5, 1e-9, -1e-300, 2.25, 70, 70.001, 1e300, -1e300, math.MaxFloat64, -math.MaxFloat64}
	for _, n := range []int{0, 1, 2, 9, 10, 11, 23, 100, 1000, 20_011} {
		for trial := range 4 {
			leads := make([]scored, n)
			for i := range leads {
				leads[i] = scored{id: int64(i)*7 + int64(rng.IntN(7)), mask: byte(rng.IntN(32))}
				switch trial {
				case 0:
					leads[i].score = float64(rng.IntN(5)) // a few large ties
				case 1:
					leads[i].score = rng.Float64() * 100
				default:
					if rng.IntN(3) == 0 {
						leads[i].score = values[rng.IntN(len(values))]
					} else {
						leads[i].score = rng.NormFloat64() * 40
					}
				}
			}
			want := deciles(slices.Clone(leads))
			// Leads of "days" in rollups go to the histogram; the others
			// stay one by one.
			h := newScoreHist()
			var one []scored
			rolled := map[uint32][]scored{}
			var rows []*store.ReportLead
			for _, l := range leads {
				if rng.IntN(4) == 0 {
					one = append(one, l)
					continue
				}
				k := scoreBucket(l.score)
				rolled[k] = append(rolled[k], l)
				row := &store.ReportLead{LeadID: l.id, Score: l.score, Band: "A"}
				for s := range row.Reached {
					if l.mask&(1<<s) != 0 {
						at := time.Unix(0, 0)
						row.Reached[s] = &at
					}
				}
				rows = append(rows, row)
			}
			byBand, sum := map[string]*bandCount{}, bandCount{}
			if err := h.addScores(sumScores(rows), 0, byBand, &sum); err != nil {
				t.Fatal(err)
			}
			if sum.leads != int64(len(rows)) {
				t.Fatalf("the histogram holds %d leads, want %d", sum.leads, len(rows))
			}
			fetched := 0
			got, err := decilesMixed(h, one, func(k uint32) ([]scored, error) {
				fetched += len(rolled[k])
				return slices.Clone(rolled[k]), nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%d leads, trial %d: deciles from histograms\n%+v\nwant\n%+v", n, trial, got, want)
			}
			if trial == 1 && n >= 20_000 && fetched > n/10 {
				t.Errorf("%d leads of %d read one by one", fetched, n)
			}
		}
	}
}

// TestScoreBuckets: buckets keep the scores' order, a bucket's range
// holds its scores, and -0 falls with 0.
func TestScoreBuckets(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	prev := -math.MaxFloat64
	for range 100_000 {
		s := rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-3))
		a, b := min(prev, s), max(prev, s)
		if scoreBucket(a) > scoreBucket(b) {
			t.Fatalf("bucket of %v above the bucket of %v", a, b)
		}
		lo, hi := bucketRange(scoreBucket(s))
		if s < lo || s > hi {
			t.Fatalf("%v outside its bucket's range [%v, %v]", s, lo, hi)
		}
		prev = s
	}
	if scoreBucket(math.Copysign(0, -1)) != scoreBucket(0) {
		t.Errorf("-0 and 0 in different buckets")
	}
}
