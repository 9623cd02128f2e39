package lab

import (
	"strings"
	"unicode"
)

// leakWords are header words of columns that are usually written after
// the outcome: a call's duration, a status or stage that sales typed, a
// deal's result. Such a column makes a definition look good in a backtest
// and useless on a new lead, which has none of them yet.
var leakWords = map[string]bool{
	"status": true, "stage": true, "outcome": true, "result": true, "results": true, "won": true, "lost": true,
	"closed": true, "disposition": true, "converted": true, "conversion": true, "deal": true,
	"opportunity": true, "opportunities": true, "revenue_won": true, "churned": true,
}

// leakByName says why a header looks known only after the outcome, or "".
func leakByName(header string) string {
	h := strings.ToLower(header)
	if strings.Contains(h, "duration") {
		return "a duration is known only once the call (or visit) is over, after its outcome"
	}
	for _, w := range strings.FieldsFunc(h, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if leakWords[w] {
			return "the name (" + w + ") suggests it is recorded by sales after the outcome"
		}
	}
	return ""
}

// leakAUC is the AUC above which one column alone "predicts the outcome
// almost perfectly": real buying signals do not.
const leakAUC = 0.95

// aloneAUC is how well one column's levels alone rank the learning rows:
// each level scores its own conversion rate.
func aloneAUC(levels []int, nlev int, y []bool) float64 {
	pos := make([]float64, nlev)
	tot := make([]float64, nlev)
	for i, l := range levels {
		tot[l]++
		if y[i] {
			pos[l]++
		}
	}
	score := make([]float64, len(levels))
	for i, l := range levels {
		score[i] = pos[l] / tot[l]
	}
	return ComputeAUC(score, y).Value
}
