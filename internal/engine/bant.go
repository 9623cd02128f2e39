package engine

import (
	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/lead"
)

// bantScore scores the BANT answers on the definition's scales (seed 004):
// each criterion earns its weight times the share its answer is worth.
func (ev *evaluation) bantScore(q *lead.Qualification) {
	sc := &ev.def.BANT
	b := &ev.s.bant
	*b = definition.BANT{Threshold: sc.Threshold, TimingMonths: -1}
	r := &ev.res.BANT
	*r = BANTResult{Threshold: sc.Threshold}
	if q == nil {
		return
	}
	b.Recorded = q.Budget != nil || q.Authority != "" || q.Need != "" || q.TimingMonths != nil
	b.Human = b.Recorded && q.By != "" && q.Method != "form"
	b.Authority, b.Need, b.By, b.Role, b.Method = q.Authority, q.Need, q.By, q.Role, q.Method

	if bu := q.Budget; bu != nil {
		// A single amount may come as min, max or both; a range needs both.
		hi, lo := bu.Max, bu.Min
		if hi < lo {
			hi = lo
		}
		if lo == 0 {
			lo = hi
		}
		hiBase, ok1 := ev.budgetBase(hi, bu.Currency)
		loBase, ok2 := ev.budgetBase(lo, bu.Currency)
		if ok1 && ok2 {
			b.Budget = hiBase
			switch {
			case hiBase <= 0:
			case loBase >= sc.BudgetMinimum:
				r.Budget, b.BudgetOK = sc.Budget, true
			case hiBase >= sc.BudgetMinimum:
				r.Budget = sc.Budget * sc.BudgetPartial
			}
		} else {
			ev.res.Errors = append(ev.res.Errors, "bant: no exchange rate for budget currency "+bu.Currency)
		}
	}
	r.Authority = sc.Authority * sc.AuthorityScale[q.Authority]
	r.Need = sc.Need * sc.NeedScale[q.Need]
	if m := q.TimingMonths; m != nil && *m >= 0 {
		b.TimingMonths = *m
		b.Immediate = *m <= sc.TimingImmediate && *m >= sc.TimingLeadTime
		switch {
		case *m < sc.TimingLeadTime:
			// sooner than the company can deliver (seed 004: 100 chairs in 3 days)
		case *m <= sc.TimingWithin:
			r.Timing, b.TimingOK = sc.Timing, true
		case sc.TimingPartialWithin > 0 && *m <= sc.TimingPartialWithin:
			r.Timing = sc.Timing * sc.TimingPartial
		}
	}
	r.Budget, r.Authority, r.Need, r.Timing = round2(r.Budget), round2(r.Authority), round2(r.Need), round2(r.Timing)
	r.Score = round2(r.Budget + r.Authority + r.Need + r.Timing)
	r.Recorded, r.Human = b.Recorded, b.Human
	r.Qualified = b.Recorded && r.Score >= sc.Threshold
	b.Score, b.Qualified = r.Score, r.Qualified
	if b.Recorded {
		ev.step(Step{Kind: "bant", Rule: "score", Line: sc.Line, Points: r.Score, Value: qualifiedText(r.Qualified, b.Human)})
	}
}

func qualifiedText(q, human bool) string {
	switch {
	case q && human:
		return "qualified"
	case q:
		return "qualified (self-reported)"
	case human:
		return "not qualified"
	}
	return "not qualified (self-reported)"
}

func (ev *evaluation) budgetBase(amount float64, currency string) (float64, bool) {
	if currency == "" || currency == ev.def.Currency {
		return amount, true
	}
	r, ok := ev.def.Rates[currency]
	return amount * r, ok
}
