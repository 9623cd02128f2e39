package lab

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pistahq/pista/internal/definition"
)

// feature is one column of the file as a learned rule sees it: the lead
// field it fills and how its values fall into levels. Levels are the
// table's entries (text values or numeric tiers), then "other" and
// "missing"; the table built here is the one the learned definition
// writes, so the engine puts each lead in the level the model saw.
type feature struct {
	Header string
	Path   string
	Rule   string // rule name
	Tiers  bool
	Keys   []string  // text values, for a values table
	Cuts   []float64 // tiers: below Cuts[i] is level i; the last level takes the rest
	// Levels: len(Keys) or len(Cuts)+1 entries, then other, then missing.
	table *definition.Table

	values []any // the column's values, per row of the data
	offset int   // first feature index in the design
}

func (f *feature) levels() int {
	if f.Tiers {
		return len(f.Cuts) + 3
	}
	return len(f.Keys) + 2
}

func (f *feature) other() int   { return f.levels() - 2 }
func (f *feature) missing() int { return f.levels() - 1 }

// level is the level of value v, looked up exactly as the engine will.
func (f *feature) level(v any) int { return int(f.table.Lookup(v).Points) }

// levelName names a level for reports: the value, "below 25", "25 and
// over", "other", "missing".
func (f *feature) levelName(l int) string {
	switch {
	case l == f.other():
		return "other"
	case l == f.missing():
		return "missing"
	case !f.Tiers:
		return f.Keys[l]
	case l == 0:
		return "below " + num(f.Cuts[0])
	case l == len(f.Cuts):
		return num(f.Cuts[l-1]) + " and over"
	}
	return num(f.Cuts[l-1]) + " to below " + num(f.Cuts[l])
}

// tierSpan names the tiers from level a to level b as one range.
func (f *feature) tierSpan(a, b int) string {
	switch {
	case a == 0 && b == len(f.Cuts):
		return "every value"
	case a == 0:
		return "below " + num(f.Cuts[b])
	case b == len(f.Cuts):
		return num(f.Cuts[a-1]) + " and over"
	}
	return num(f.Cuts[a-1]) + " to below " + num(f.Cuts[b])
}

func num(f float64) string { return strings.TrimSuffix(fmt.Sprintf("%.6g", f), ".") }

func (f *feature) build() {
	t := &definition.Table{HasMissing: true}
	if f.Tiers {
		for i, c := range f.Cuts {
			t.Tiers = append(t.Tiers, definition.Tier{Below: c, HasBelow: true, Points: float64(i)})
		}
		t.Tiers = append(t.Tiers, definition.Tier{Points: float64(len(f.Cuts))})
	} else {
		t.Values = map[string]float64{}
		for i, k := range f.Keys {
			t.Values[strings.ToLower(k)] = float64(i)
			t.Keys = append(t.Keys, k)
		}
	}
	t.Other, t.Missing = float64(f.other()), float64(f.missing())
	f.table = t
}

// binning says how values become levels.
type binning struct {
	Bins     int // quantile tiers for numbers
	MinCount int // a value or tier with fewer rows joins other (or its neighbour)
}

// newFeature decides a column's levels from its values on the learning
// rows: numbers (every value that is not missing reads as one) get
// quantile tiers, text gets a values table whose rare values go to
// other. ok is false when the column cannot separate anyone (one value).
func newFeature(header, path string, values []any, b binning) (*feature, bool) {
	f := &feature{Header: header, Path: path, Tiers: true}
	var nums []float64
	counts := map[string]int{}
	var order []string
	for _, v := range values {
		text, x, isNum, missing := definition.DescribeValue(v)
		if missing {
			continue
		}
		if !isNum {
			f.Tiers = false
		} else {
			nums = append(nums, x)
		}
		key := strings.ToLower(text)
		if counts[key] == 0 {
			order = append(order, text)
		}
		counts[key]++
	}
	if len(counts) < 2 {
		return nil, false
	}
	if f.Tiers && len(counts) > 2 {
		f.Cuts = quantileCuts(nums, b)
	} else {
		f.Tiers = false
		// Most frequent first, then as first seen: a readable, stable table.
		sort.SliceStable(order, func(i, j int) bool {
			return counts[strings.ToLower(order[i])] > counts[strings.ToLower(order[j])]
		})
		for _, k := range order {
			if counts[strings.ToLower(k)] >= b.MinCount {
				f.Keys = append(f.Keys, k)
			}
		}
	}
	f.build()
	return f, true
}

// quantileCuts splits sorted numbers into up to b.Bins tiers of similar
// size, each with at least b.MinCount rows; a cut is a value that starts a
// tier ("below 25" ends the tier before it).
func quantileCuts(nums []float64, b binning) []float64 {
	slices.Sort(nums)
	n := len(nums)
	var cuts []float64
	last := 0 // index where the current tier starts
	for q := 1; q < b.Bins; q++ {
		c := nums[q*n/b.Bins]
		i := sort.SearchFloat64s(nums, c) // first index of c
		if i-last < b.MinCount || n-i < b.MinCount || (len(cuts) > 0 && c <= cuts[len(cuts)-1]) || c == nums[0] {
			continue
		}
		cuts = append(cuts, c)
		last = i
	}
	return cuts
}
