package lab

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/definition"
)

const handDef = `name: Hand
lead: {when: inquiry}
fit:
  - name: grade
    field: person.attributes.grade
    values: {a: 30, b: 20, c: 10}
bands:
  - {name: hot, from: 25, action: route}
  - {name: warm, from: 15, action: route}
  - {name: cold, action: nurture, recontact: 3 months}
`

// Ten leads: grade a (30 points) 2 of 3 converted, b (20) 1 of 3, c (10)
// 1 of 3, d (0) none. Every figure below is worked out by hand in the
// comments.
const handData = "email,grade,won\n" +
	"r1@x.com,a,yes\nr2@x.com,a,yes\nr3@x.com,a,no\n" +
	"r4@x.com,b,yes\nr5@x.com,b,no\nr6@x.com,b,no\n" +
	"r7@x.com,c,no\nr8@x.com,c,yes\nr9@x.com,c,no\n" +
	"r10@x.com,d,no\n"

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-4 {
		t.Errorf("%s = %.6f, want %.6f", what, got, want)
	}
}

func handBacktest(t *testing.T, against string) *BacktestReport {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "hand.csv")
	os.WriteFile(data, []byte(handData), 0o644)
	cand, err := definition.Parse("hand.yaml", []byte(handDef))
	if err != nil {
		t.Fatal(err)
	}
	cfg := BacktestConfig{Data: data, Outcome: "won", Candidate: cand, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Capacity: 4, TargetPrecision: 0.5}
	if against != "" {
		if cfg.Against, err = definition.Parse("active.yaml", []byte(against)); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := Backtest(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestBacktestByHand(t *testing.T) {
	rep := handBacktest(t, "")
	c := rep.Candidate
	if rep.Scored != 10 || rep.Positives != 4 {
		t.Fatalf("scored %d, positives %d", rep.Scored, rep.Positives)
	}
	// 24 positive-negative pairs: each a-positive beats 5 negatives and
	// ties 1 (5.5, twice), the b-positive beats 3 and ties 2 (4), the
	// c-positive beats 1 and ties 2 (2): 17/24.
	near(t, "AUC", c.AUC.Value, 17.0/24)
	// DeLong: positives' placements 11/12, 11/12, 2/3, 1/3 (variance
	// 0.076389/4); negatives' 1/4, 5/8, 5/8, 7/8, 7/8, 1 (0.072917/6):
	// SE = sqrt(0.03125).
	near(t, "SE", c.AUC.SE, math.Sqrt(0.03125))
	near(t, "CI low", c.AUC.Low, 17.0/24-z95*math.Sqrt(0.03125))
	near(t, "CI high", c.AUC.High, 1)
	// One lead per decile; a tie group shares its conversion: a's 3 leads
	// convert 2/3 each, b's and c's 1/3, d's 0. Base rate 0.4.
	wantConv := []float64{2. / 3, 2. / 3, 2. / 3, 1. / 3, 1. / 3, 1. / 3, 1. / 3, 1. / 3, 1. / 3, 0}
	cum := 0.0
	for i, d := range c.Deciles {
		cum += wantConv[i]
		near(t, "decile conversion", d.Conversion, wantConv[i])
		near(t, "decile lift", d.Lift, wantConv[i]/0.4)
		near(t, "cumulative recall", d.CumRecall, cum/4)
	}
	if len(c.Deciles) != 10 || c.Deciles[0].MaxTotal != 30 || c.Deciles[9].MinTotal != 0 {
		t.Errorf("deciles %+v", c.Deciles)
	}
	// Bands: hot = a (3 leads, 2 converted), warm = b, cold = c and d.
	want := []BandRow{
		{Band: "hot", Leads: 3, Converted: 2, Share: 0.3, Conversion: 2. / 3, Precision: 2. / 3, Recall: 0.5},
		{Band: "warm", Leads: 3, Converted: 1, Share: 0.3, Conversion: 1. / 3, Precision: 0.5, Recall: 0.75},
		{Band: "cold", Leads: 4, Converted: 1, Share: 0.4, Conversion: 0.25, Precision: 0.4, Recall: 1},
	}
	for i, w := range want {
		g := c.Bands[i]
		if g.Band != w.Band || g.Leads != w.Leads || g.Converted != w.Converted {
			t.Errorf("band %d: %+v, want %+v", i, g, w)
		}
		near(t, w.Band+" share", g.Share, w.Share)
		near(t, w.Band+" precision", g.Precision, w.Precision)
		near(t, w.Band+" recall", g.Recall, w.Recall)
	}
	// Calibration in ten-point ranges.
	cal := map[float64][2]int{0: {1, 0}, 10: {3, 1}, 20: {3, 1}, 30: {3, 2}}
	for _, r := range c.Calibration {
		if w := cal[r.From]; r.Leads != w[0] || r.Converted != w[1] {
			t.Errorf("calibration %v: %+v", r.From, r)
		}
	}
	if len(c.Calibration) != 4 {
		t.Errorf("calibration %+v", c.Calibration)
	}
	// Per rule entry: a fired 3 times, 2/3 against 2/7 for the rest; the
	// suggested points follow the sign of the log-odds ratio.
	found := 0
	for _, r := range c.Rules {
		switch r.Entry {
		case "a":
			found++
			near(t, "a conversion", r.Conversion, 2./3)
			near(t, "a rest", r.Rest, 2./7)
			if r.Fired != 3 || r.Points != 30 || r.Suggested <= 0 {
				t.Errorf("rule a: %+v", r)
			}
		case "other":
			found++
			if r.Fired != 1 || r.Suggested >= 0 {
				t.Errorf("rule other: %+v", r)
			}
		}
	}
	if found != 2 {
		t.Errorf("rules %+v", c.Rules)
	}
	// Capacity 4 leads: the 3 a-leads fit, the b-tie would make 6.
	if rep.Capacity.Total != 30 || rep.Capacity.Leads != 3 {
		t.Errorf("capacity %+v", rep.Capacity)
	}
	// Precision ≥ 50%: at 20 or more, 3 of 6 convert.
	if rep.Precision.Total != 20 || rep.Precision.Leads != 6 || rep.Precision.Precision != 0.5 {
		t.Errorf("target precision %+v", rep.Precision)
	}
	if rep.Tradeoff[2].Total != 30 || rep.Tradeoff[2].Leads != 3 {
		t.Errorf("top 30%%: %+v", rep.Tradeoff[2])
	}
}

// The same scores reversed: the paired difference is 17/24 − 7/24, and
// the leads that move band are counted with examples.
func TestBacktestAgainst(t *testing.T) {
	rep := handBacktest(t, `name: Reversed
lead: {when: inquiry}
fit:
  - name: grade
    field: person.attributes.grade
    values: {a: 0, b: 10, c: 20}
    other: 30
bands:
  - {name: hot, from: 25, action: route}
  - {name: warm, from: 15, action: route}
  - {name: cold, action: nurture, recontact: 3 months}
`)
	near(t, "active AUC", rep.Against.AUC.Value, 7.0/24)
	near(t, "difference", rep.Compare.Diff.Diff, 10.0/24)
	if rep.Compare.Diff.Low <= 0 && rep.Compare.Diff.High <= 0 || rep.Compare.Diff.SE <= 0 {
		t.Errorf("difference %+v", rep.Compare.Diff)
	}
	// Every lead moves: a cold→hot, b cold→warm, c warm→cold, d hot→cold.
	if rep.Compare.Moved != 10 || len(rep.Compare.Examples) != 5 || rep.Compare.Examples[0].Row != 1 {
		t.Errorf("moves %+v", rep.Compare)
	}
	same := handBacktest(t, handDef)
	if same.Compare.Diff.Diff != 0 || same.Compare.Moved != 0 {
		t.Errorf("the same definition differs from itself: %+v", same.Compare)
	}
}
