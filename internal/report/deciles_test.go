package report

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"
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
