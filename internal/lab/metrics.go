package lab

import (
	"math"
	"sort"
)

// AUC is the area under the ROC curve with its DeLong standard error: the
// chance that a converting lead scores above a non-converting one (ties
// count half).
type AUC struct {
	Value float64 `json:"auc"`
	SE    float64 `json:"se"`
	Low   float64 `json:"ci_low"`  // 95% interval
	High  float64 `json:"ci_high"` // 95% interval
	// Positives and Negatives are the rows with each outcome.
	Positives int `json:"positives"`
	Negatives int `json:"negatives"`
}

// z95 is the two-sided 95% normal quantile.
const z95 = 1.959963984540054

// placements returns DeLong's structural components: for each positive,
// the share of negatives it outscores (ties half), and for each negative
// the share of positives that outscore it, both in the leads' order so
// that two scores of the same leads pair up. Sorting makes it O(n log n).
func placements(score []float64, y []bool) (v10, v01 []float64) {
	idx := make([]int32, len(score))
	for i := range idx {
		idx[i] = int32(i)
	}
	sort.Slice(idx, func(a, b int) bool { return score[idx[a]] < score[idx[b]] })
	var npos, nneg int
	for _, yi := range y {
		if yi {
			npos++
		} else {
			nneg++
		}
	}
	place := make([]float64, len(score))
	negBelow, posBelow := 0, 0
	for i := 0; i < len(idx); {
		j := i
		tp, tn := 0, 0
		for j < len(idx) && score[idx[j]] == score[idx[i]] {
			if y[idx[j]] {
				tp++
			} else {
				tn++
			}
			j++
		}
		for k := i; k < j; k++ {
			if y[idx[k]] {
				place[idx[k]] = (float64(negBelow) + 0.5*float64(tn)) / float64(max(nneg, 1))
			} else {
				above := npos - posBelow - tp
				place[idx[k]] = (float64(above) + 0.5*float64(tp)) / float64(max(npos, 1))
			}
		}
		negBelow += tn
		posBelow += tp
		i = j
	}
	v10 = make([]float64, 0, npos)
	v01 = make([]float64, 0, nneg)
	for i, yi := range y {
		if yi {
			v10 = append(v10, place[i])
		} else {
			v01 = append(v01, place[i])
		}
	}
	return v10, v01
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(max(len(v), 1))
}

// covariance of two equally long samples (n-1 denominator).
func covariance(a, b []float64) float64 {
	if len(a) < 2 {
		return 0
	}
	ma, mb := mean(a), mean(b)
	s := 0.0
	for i := range a {
		s += (a[i] - ma) * (b[i] - mb)
	}
	return s / float64(len(a)-1)
}

// ComputeAUC returns the AUC of score against y with a 95% DeLong interval.
func ComputeAUC(score []float64, y []bool) AUC {
	v10, v01 := placements(score, y)
	a := AUC{Value: mean(v10), Positives: len(v10), Negatives: len(v01)}
	if len(v10) > 1 && len(v01) > 1 {
		a.SE = math.Sqrt(covariance(v10, v10)/float64(len(v10)) + covariance(v01, v01)/float64(len(v01)))
	}
	a.Low, a.High = max(0, a.Value-z95*a.SE), min(1, a.Value+z95*a.SE)
	return a
}

// AUCDiff compares two scores of the same leads: the difference of their
// AUCs (a − b) with the paired DeLong standard error and 95% interval.
type AUCDiff struct {
	Diff float64 `json:"diff"`
	SE   float64 `json:"se"`
	Low  float64 `json:"ci_low"`
	High float64 `json:"ci_high"`
	// P is the two-sided p-value of "no difference".
	P float64 `json:"p"`
}

// CompareAUC is DeLong's paired test (DeLong, DeLong & Clarke-Pearson 1988).
func CompareAUC(a, b []float64, y []bool) AUCDiff {
	pa10, pa01 := placements(a, y)
	pb10, pb01 := placements(b, y)
	d := AUCDiff{Diff: mean(pa10) - mean(pb10)}
	m, n := float64(len(pa10)), float64(len(pa01))
	if m > 1 && n > 1 {
		v := (covariance(pa10, pa10)+covariance(pb10, pb10)-2*covariance(pa10, pb10))/m +
			(covariance(pa01, pa01)+covariance(pb01, pb01)-2*covariance(pa01, pb01))/n
		d.SE = math.Sqrt(max(v, 0))
	}
	d.Low, d.High = d.Diff-z95*d.SE, d.Diff+z95*d.SE
	d.P = 1
	if d.SE > 0 {
		d.P = math.Erfc(math.Abs(d.Diff/d.SE) / math.Sqrt2)
	}
	return d
}
