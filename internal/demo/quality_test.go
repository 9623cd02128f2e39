package demo_test

import (
	"testing"

	"github.com/pistahq/pista/internal/quality"
)

// TestQualityAgrees cross-checks with internal/quality: junk must be
// caught and real people must not be, or the generator would exercise
// the quality rules with the wrong data.
func TestQualityAgrees(t *testing.T) {
	junk, caught, clean, flagged := 0, 0, 0, 0
	for _, it := range collect(23, 20000) {
		f := quality.Compute(&it.Lead.Person, &it.Lead.Company, quality.NeedAll)
		bad := f.FakeName || f.KeyboardMash || f.TestValue || f.EmailDisposable || !f.EmailValid
		if it.Truth.Junk != "" {
			junk++
			if bad {
				caught++
			}
			continue
		}
		clean++
		if bad {
			flagged++
			if flagged <= 5 {
				t.Logf("real person flagged: %+v %q %q %q %q", f, it.Lead.Person.FirstName, it.Lead.Person.LastName,
					it.Lead.Person.Email, it.Lead.Company.Name)
			}
		}
	}
	if float64(caught) < 0.95*float64(junk) {
		t.Errorf("quality caught %d of %d junk items", caught, junk)
	}
	if float64(flagged) > 0.005*float64(clean) {
		t.Errorf("quality flagged %d of %d real people", flagged, clean)
	}
}
