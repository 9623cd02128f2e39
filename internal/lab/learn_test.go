package lab

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
)

// synthetic writes a file of leads whose conversion depends on a segment
// and a size, with a column equal to the outcome, a status typed after
// it, noise, and a date; flip changes the outcomes of rows dated on or
// after flipFrom (to prove a time split never reads them).
func synthetic(t *testing.T, n int, flipFrom time.Time) string {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 11))
	var b strings.Builder
	b.WriteString("email,segment,size,noise,echo,sales_status,signed_up,converted\n")
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		seg := []string{"alpha", "beta", "gamma", "delta", "rare"}[r.IntN(401)/100]
		size := r.IntN(500)
		z := -2.0 + map[string]float64{"alpha": 1.2, "beta": 0.4, "gamma": -0.5, "delta": 0, "rare": 2}[seg] + float64(size)/250
		y := r.Float64() < 1/(1+math.Exp(-z))
		date := day0.AddDate(0, 0, i*365/n)
		if !flipFrom.IsZero() && !date.Before(flipFrom) {
			y = !y
		}
		yes := map[bool]string{true: "yes", false: "no"}[y]
		status := map[bool]string{true: "closed won", false: "open"}[y && r.IntN(3) > 0]
		fmt.Fprintf(&b, "p%d@example.com,%s,%d,%d,%s,%s,%s,%s\n", i, seg, size, r.IntN(100), yes, status, date.Format("2006-01-02"), yes)
	}
	path := filepath.Join(t.TempDir(), "leads.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func learnCfg(path string) LearnConfig {
	return LearnConfig{Data: path, Outcome: "converted", Split: Split{Holdout: 0.3, Seed: 3}, Seed: 3,
		Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
}

func column(r *LearnReport, h string) Column {
	for _, c := range r.Columns {
		if c.Header == h {
			return c
		}
	}
	return Column{}
}

func TestLearnFlagsLeaksAndRanksLikeTheModel(t *testing.T) {
	path := synthetic(t, 4000, time.Time{})
	l, err := Learn(learnCfg(path))
	if err != nil {
		t.Fatal(err)
	}
	rep := l.Report
	if c := column(&rep, "echo"); c.Status != "leak" || c.AUC < 0.99 {
		t.Errorf("a column equal to the outcome is not flagged: %+v", c)
	}
	if c := column(&rep, "sales_status"); c.Status != "leak" || !strings.Contains(c.Reason, "status") {
		t.Errorf("a status typed by sales is not flagged: %+v", c)
	}
	for _, h := range []string{"segment", "size"} {
		if c := column(&rep, h); c.Status != "used" {
			t.Errorf("%s: %+v", h, c)
		}
	}
	if c := column(&rep, "email"); c.Status != "identity" {
		t.Errorf("email: %+v", c)
	}
	if rep.LearnRows+rep.TestRows != 4000 || rep.TestRows < 1000 || rep.TestRows > 1400 {
		t.Errorf("split %d/%d", rep.LearnRows, rep.TestRows)
	}
	// The written points rank as the model does.
	if d := math.Abs(rep.ModelLearn.Value - rep.DefLearn.Value); d > 0.005 {
		t.Errorf("learning rows: model AUC %.4f, definition %.4f", rep.ModelLearn.Value, rep.DefLearn.Value)
	}
	if d := math.Abs(rep.ModelTest.Value - rep.DefTest.Value); d > 0.005 {
		t.Errorf("test rows: model AUC %.4f, definition %.4f", rep.ModelTest.Value, rep.DefTest.Value)
	}
	if rep.DefTest.Value < 0.7 {
		t.Errorf("the learned definition hardly ranks: %.4f", rep.DefTest.Value)
	}
	// It is a normal definition: it loads, names the segment's values, and
	// the rare segment (below the minimum count) falls in other.
	def, err := definition.Parse("learned.yaml", l.YAML)
	if err != nil {
		t.Fatal(err)
	}
	var seg *definition.Table
	for _, f := range def.Fit {
		if f.Name == "industry" { // the header "segment" suggests company.industry
			seg = f.Table
		}
	}
	if seg == nil || len(seg.Keys) != 4 {
		t.Fatalf("segment table %+v\n%s", seg, l.YAML)
	}
	if seg.Values["alpha"] <= seg.Values["gamma"] {
		t.Errorf("alpha (converts more) gets %v, gamma %v", seg.Values["alpha"], seg.Values["gamma"])
	}
	for _, want := range []string{"# company.industry (column \"segment\")", "leads,", "% converted, weight", "name: hot", "name: cold"} {
		if !bytes.Contains(l.YAML, []byte(want)) {
			t.Errorf("learned file lacks %q", want)
		}
	}
	// Same seed, same file, byte for byte.
	again, err := Learn(learnCfg(path))
	if err != nil || !bytes.Equal(again.YAML, l.YAML) {
		t.Errorf("not reproducible with the same seed (%v)", err)
	}
	// The user may insist on a flagged column.
	cfg := learnCfg(path)
	cfg.AllowLeak = []string{"echo"}
	kept, err := Learn(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c := column(&kept.Report, "echo"); c.Status != "used" {
		t.Errorf("--allow-leak echo: %+v", c)
	}
}

// A time split learns only from rows before the date: changing every
// later outcome changes nothing learned.
func TestTimeSplitNeverSeesTheFuture(t *testing.T) {
	at := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	cfg := learnCfg(synthetic(t, 3000, time.Time{}))
	cfg.Split = Split{TimeColumn: "signed_up", At: at}
	a, err := Learn(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Data = synthetic(t, 3000, at)
	b, err := Learn(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Row i is dated day i*365/3000 of 2025; September 1st is day 243.
	if a.Report.LearnRows != 1998 || a.Report.TestRows != 1002 {
		t.Errorf("learn %d, test %d; want the 1998 rows before September", a.Report.LearnRows, a.Report.TestRows)
	}
	if !bytes.Equal(a.YAML, b.YAML) {
		t.Errorf("the learned definition changed when only outcomes after the split changed")
	}
	if a.Report.DefTest.Value == b.Report.DefTest.Value {
		t.Errorf("the test rows' outcomes were flipped; their AUC should differ")
	}
}

// The engine, scoring the written definition, gives every lead the sum
// of the points of its levels: what the file says is what was learned.
func TestLearnedDefinitionScoresEveryRowAsWritten(t *testing.T) {
	path := synthetic(t, 1500, time.Time{})
	l, err := Learn(learnCfg(path))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, learnCfg(path).Import, "converted")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ev := engine.New(l.Def)
	err = r.Each(func(rec *Record) error {
		res := ev.Evaluate(&rec.Lead, nil, nil, time.Now())
		sum := 0.0
		for _, s := range res.Explanation {
			if s.Kind == "fit" {
				sum += s.Points
			}
		}
		if res.Total != sum || res.Total < 0 || res.Total > 100 || len(res.Errors) > 0 {
			t.Fatalf("row %d: total %v, fit steps %v, errors %v", rec.Row, res.Total, sum, res.Errors)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLeakByName(t *testing.T) {
	for h, leak := range map[string]bool{
		"duration": true, "Call Duration": true, "callDuration": true, "Lead Status": true, "stage": true,
		"deal_won": true, "Outcome": true, "poutcome": false, "age": false, "job": false, "previous": false,
	} {
		if got := leakByName(h) != ""; got != leak {
			t.Errorf("%q: flagged %v, want %v", h, got, leak)
		}
	}
}
