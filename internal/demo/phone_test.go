package demo_test

import (
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestPhonesValid parses every generated phone with libphonenumber in the
// person's country, as intake does.
func TestPhonesValid(t *testing.T) {
	type tally struct{ n, valid, e164 int }
	by := map[string]*tally{}
	junkValid := 0
	for _, it := range collect(21, 20000) {
		p := it.Lead.Person
		if p.Phone == "" {
			continue
		}
		num, err := phonenumbers.Parse(p.Phone, p.Country)
		valid := err == nil && phonenumbers.IsValidNumber(num)
		if it.Truth.Junk != "" {
			if valid {
				junkValid++
			}
			continue
		}
		tl := by[p.Country]
		if tl == nil {
			tl = &tally{}
			by[p.Country] = tl
		}
		tl.n++
		if valid {
			tl.valid++
		} else if tl.n-tl.valid <= 3 {
			t.Logf("invalid %s phone %q", p.Country, p.Phone)
		}
		if strings.HasPrefix(p.Phone, "+") {
			tl.e164++
		}
	}
	if len(by) != 9 {
		t.Errorf("phones from %d countries, want 9", len(by))
	}
	for c, tl := range by {
		if share := float64(tl.valid) / float64(tl.n); share < 0.95 {
			t.Errorf("%s: %d of %d phones valid (%.1f%%), want 95%%+", c, tl.valid, tl.n, 100*share)
		}
		if share := float64(tl.e164) / float64(tl.n); share < 0.2 || share > 0.8 {
			t.Errorf("%s: %.0f%% of phones in E.164, want a mix of national and international", c, 100*share)
		}
	}
	if junkValid > 0 {
		t.Errorf("%d junk phones are valid numbers; junk phones should be placeholders", junkValid)
	}
}
