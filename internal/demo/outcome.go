package demo

import (
	"math/rand/v2"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

// qualifyChance is how likely a BDR calls this person: intent actions
// (price and demo requests, trusted referrals) and visible fit first.
func qualifyChance(pr *profile) float64 {
	return sigmoid(-2.6 + 0.55*pr.fit + 1.5*intentOf[pr.lead.Actions[0].Type])
}

// outcome draws what became of a regular item: whether it turned into an
// opportunity at all and, if so, whether it was won. Both depend on the
// hidden fit and, when there was a call, on the BANT answers, so that a
// good definition can be told from a bad one by backtesting. Deals whose
// first action is in the last 45 days of the window are often still open.
func outcome(r *rand.Rand, pr *profile, q *lead.Qualification, first, end time.Time) string {
	bp := bantPoints(q)
	z := -3.2 + 0.9*pr.fit
	if q != nil {
		z += 0.8 + 0.03*(bp-50)
	}
	if !chance(r, sigmoid(z)) {
		return ""
	}
	if end.Sub(first) < 45*24*time.Hour && chance(r, 0.6) {
		return Open
	}
	zw := -2.7 + 0.8*pr.fit
	if q != nil {
		zw += 0.035 * (bp - 50)
	}
	if chance(r, sigmoid(zw)) {
		return Won
	}
	return Lost
}
