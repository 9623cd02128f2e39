package demo

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSalesOrg(t *testing.T) {
	org := SalesOrg([]string{"norteamerica", "latam", "canada", "europa"})
	if len(org) != 4 || org[0].Name != "canada" || org[1].Name != "europa" {
		t.Fatalf("teams %+v", org)
	}
	seen := map[string]bool{}
	for _, team := range org {
		if n := len(team.Reps); n < 2 || n > 4 {
			t.Errorf("%s: %d reps", team.Name, n)
		}
		if (team.Calendar == nil) != (team.Name == "europa") {
			t.Errorf("%s: calendar %+v", team.Name, team.Calendar)
		}
		for _, s := range append([]Seller{team.Manager}, team.Reps...) {
			if seen[s.Email] || !strings.HasSuffix(s.Email, "@"+SalesDomain) || s.Role == "" || s.Language == "" {
				t.Errorf("%s: seller %+v", team.Name, s)
			}
			seen[s.Email] = true
		}
	}
	if again := SalesOrg([]string{"europa"}); again[0].Manager.Email != org[1].Manager.Email {
		t.Errorf("an unknown team's people change: %s then %s", org[1].Manager.Email, again[0].Manager.Email)
	}
}

// TestPlanSales: plans follow the outcome (a won one is often lost at the
// end), reasons are the usual ones, and the shares are roughly as
// documented.
func TestPlanSales(t *testing.T) {
	touch := map[string]int{}
	reasons := map[string]int{}
	deals, buyers, slipped := 0, 0, 0
	n := 0
	Generate(Config{Seed: 11, Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Leads: 4000}, func(it Item) bool {
		if it.Truth.Junk != "" {
			return true
		}
		n++
		p := PlanSales(it)
		if !reflect.DeepEqual(p, PlanSales(it)) {
			t.Fatalf("plan of %s is not stable", it.Lead.ID)
		}
		touch[p.Touch]++
		if p.Touch == TouchNever {
			if p.Deal != nil || p.Reject != "" || it.Outcome != "" {
				t.Errorf("%s: never touched but %+v (outcome %q)", it.Lead.ID, p, it.Outcome)
			}
			return true
		}
		if p.Reject != "" {
			reasons[p.Reject]++
		}
		if (p.Deal != nil) != (it.Outcome != "") {
			t.Errorf("%s: outcome %q, deal %+v", it.Lead.ID, it.Outcome, p.Deal)
		}
		if d := p.Deal; d != nil {
			deals++
			if !(d.Amount > 0) || !strings.Contains("USD MXN BRL COP", d.Currency) {
				t.Errorf("%s: deal %+v", it.Lead.ID, d)
			}
			if p.Close == Won && it.Outcome != Won || (it.Outcome == Open) != (p.Close == "") {
				t.Errorf("%s: outcome %q closes %q", it.Lead.ID, it.Outcome, p.Close)
			}
			if it.Outcome == Won {
				buyers++
				if p.Close == Lost {
					slipped++
				}
			}
		}
		return true
	})
	if share := float64(touch[TouchInTime]) / float64(n); share < 0.7 || share > 0.85 {
		t.Errorf("in time %.2f (%v)", share, touch)
	}
	// Most deals are lost at the end, even a buyer's: about a quarter of
	// closed deals are won.
	if share := float64(slipped) / float64(buyers); buyers < 50 || share < 0.45 || share > 0.65 {
		t.Errorf("%d of %d won outcomes close lost (%.2f), want 45 to 65%%", slipped, buyers, share)
	}
	if touch[TouchLate] == 0 || touch[TouchNever] == 0 || deals == 0 {
		t.Errorf("touches %v, %d deals", touch, deals)
	}
	if top := reasons["not_a_fit"] + reasons["no_budget"] + reasons["bad_timing"]; float64(top) < 0.7*float64(reasons["not_a_fit"]+reasons["no_budget"]+reasons["bad_timing"]+reasons["wrong_contact"]+reasons["duplicate"]+reasons["other"]) {
		t.Errorf("reasons %v", reasons)
	}
}
