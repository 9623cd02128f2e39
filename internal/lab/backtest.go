package lab

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
)

// BacktestConfig says which definitions to prove on which outcomes.
type BacktestConfig struct {
	Data      string
	Import    importer.Options
	Limits    *importer.Limits // an upload's limits; nil for a local file
	Outcome   string
	Positive  string
	Candidate *definition.Definition
	Against   *definition.Definition // the active definition, or nil
	// Split, when set, scores only the held-out rows: the rows a learned
	// definition did not learn from (same seed, same rows).
	Split Split
	// Now is the decision moment for rows that carry none (no action date,
	// no time column).
	Now time.Time
	// Capacity is how many leads sales can work per week (0: not asked);
	// Weeks is how many weeks the file covers (0: from the time column,
	// else the capacity counts leads of the file).
	Capacity        int
	Weeks           float64
	TargetPrecision float64
	Workers         int
}

// BacktestReport is everything a backtest found.
type BacktestReport struct {
	File     string `json:"file"`
	Rows     int    `json:"rows"`
	Scored   int    `json:"scored"`
	Skipped  int    `json:"skipped"` // unreadable, no outcome, or not held out
	Split    string `json:"split"`
	TimeNote string `json:"time_note"`
	// Converted among the scored leads.
	Positives  int        `json:"positives"`
	Conversion float64    `json:"conversion"`
	Candidate  DefReport  `json:"candidate"`
	Against    *DefReport `json:"against,omitempty"`
	Compare    *Compare   `json:"compare,omitempty"`
	Capacity   *Threshold `json:"capacity,omitempty"`
	Precision  *Threshold `json:"target_precision,omitempty"`
	// Tradeoff is what working the top 10%, 20%, ... of leads gives.
	Tradeoff []Threshold `json:"tradeoff"`
	Weeks    float64     `json:"weeks,omitempty"`
	Seconds  float64     `json:"seconds"`
}

// DefReport is how one definition ranks the leads.
type DefReport struct {
	Name        string    `json:"name"`
	Version     string    `json:"version,omitempty"`
	Hash        string    `json:"hash"`
	AUC         AUC       `json:"auc"`
	Deciles     []Decile  `json:"deciles"`
	Bands       []BandRow `json:"bands"`
	Calibration []CalRow  `json:"calibration"`
	Rules       []RuleRow `json:"rules"`
	// Slope is the log-odds of converting per point of the total (a
	// one-variable logistic fit); suggested points divide by it.
	Slope float64 `json:"log_odds_per_point"`
}

// Decile is a tenth of the leads, best scored first.
type Decile struct {
	Decile int `json:"decile"`
	Leads  int `json:"leads"`
	// Converted counts leads tied across a boundary in proportion, so it
	// may have decimals.
	Converted  float64 `json:"converted"`
	Conversion float64 `json:"conversion"`
	Lift       float64 `json:"lift"`
	MinTotal   float64 `json:"min_total"`
	MaxTotal   float64 `json:"max_total"`
	// CumRecall is the share of all conversions in this decile and above.
	CumRecall float64 `json:"cumulative_recall"`
}

// BandRow is one band. Precision and recall are those of working this
// band and every band above it.
type BandRow struct {
	Band       string  `json:"band"`
	Action     string  `json:"action"`
	Leads      int     `json:"leads"`
	Share      float64 `json:"share"`
	Converted  int     `json:"converted"`
	Conversion float64 `json:"conversion"`
	Precision  float64 `json:"precision"`
	Recall     float64 `json:"recall"`
}

// CalRow is observed conversion for a range of totals.
type CalRow struct {
	From       float64 `json:"from"`
	Below      float64 `json:"below"`
	Leads      int     `json:"leads"`
	Converted  int     `json:"converted"`
	Conversion float64 `json:"conversion"`
}

// RuleRow is the evidence for one rule (or one entry of a table rule):
// the leads it fired for, their conversion against the rest's, and the
// points the data suggests (log-odds ratio over the definition's slope).
type RuleRow struct {
	Rule       string  `json:"rule"`
	Entry      string  `json:"entry,omitempty"` // a table's value, tier, other or missing
	Points     float64 `json:"points"`
	Fired      int     `json:"fired"`
	Conversion float64 `json:"conversion"`
	Rest       float64 `json:"rest_conversion"`
	Suggested  float64 `json:"suggested_points"`
}

// Compare is the candidate against the active definition on the same leads.
type Compare struct {
	Diff     AUCDiff   `json:"auc_difference"` // candidate − active
	Moved    int       `json:"moved"`          // leads whose band changes
	Moves    []Move    `json:"moves"`
	Examples []Example `json:"examples"`
}

// Move counts leads going from one band (active) to another (candidate).
type Move struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Leads     int    `json:"leads"`
	Converted int    `json:"converted"`
}

// Example is one lead that moves band.
type Example struct {
	Row       int     `json:"row"`
	ID        string  `json:"id,omitempty"`
	From      string  `json:"from"`
	To        string  `json:"to"`
	Active    float64 `json:"active_total"`
	Candidate float64 `json:"candidate_total"`
	Converted bool    `json:"converted"`
}

// Threshold is what working every lead at or above a total gives.
type Threshold struct {
	Label     string  `json:"label"`
	Total     float64 `json:"threshold"`
	Leads     int     `json:"leads"`
	PerWeek   float64 `json:"per_week,omitempty"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

// scored is one lead's result, kept small: a million fit in 40 MB.
type scored struct {
	row    int32
	y      bool
	bandC  int8
	bandA  int8
	totalC float64
	totalA float64
	id     string
}

// ruleKey names one rule entry in the evidence counts.
type ruleKey struct{ rule, entry string }

type counts struct {
	n, pos int
	points float64
}

// Backtest scores every lead of the file with the candidate (and the
// active definition), as of the decision moment, and compares the scores
// with the outcomes.
func Backtest(cfg BacktestConfig) (*BacktestReport, error) {
	start := time.Now()
	if cfg.Candidate == nil {
		return nil, errors.New("--definition is required")
	}
	if cfg.Outcome == "" {
		return nil, errors.New("--outcome COLUMN is required")
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	r, err := OpenLimited(cfg.Data, cfg.Import, cfg.Limits, cfg.Outcome)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	rep := &BacktestReport{File: filepath.Base(cfg.Data), Split: cfg.Split.Describe()}
	if cfg.Split.TimeColumn == "" && cfg.Split.Holdout == 0 {
		rep.Split = "every row is scored (no split)"
	} else {
		rep.Split += "; only the test rows are scored"
	}
	rows, rules, firstAt, lastAt, err := scoreAll(r, cfg, rep)
	if err != nil {
		return nil, err
	}
	if err := analyse(cfg, rep, rows, rules, firstAt, lastAt); err != nil {
		return nil, err
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// analyse fills the report from the scored leads.
func analyse(cfg BacktestConfig, rep *BacktestReport, rows []scored, rules [2]map[ruleKey]*counts, firstAt, lastAt time.Time) error {
	rep.Scored = len(rows)
	if rep.Scored == 0 {
		return errors.New("no lead was scored (every row unreadable, without outcome or not held out)")
	}
	for _, s := range rows {
		if s.y {
			rep.Positives++
		}
	}
	if rep.Positives == 0 || rep.Positives == rep.Scored {
		return fmt.Errorf("%d of %d scored leads converted: a backtest needs both outcomes", rep.Positives, rep.Scored)
	}
	rep.Conversion = float64(rep.Positives) / float64(rep.Scored)
	y := make([]bool, len(rows))
	tc := make([]float64, len(rows))
	for i, s := range rows {
		y[i], tc[i] = s.y, s.totalC
	}
	rep.Candidate = defReport(cfg.Candidate, rows, tc, y, rules[0], func(s *scored) int8 { return s.bandC })
	if cfg.Against != nil {
		ta := make([]float64, len(rows))
		for i, s := range rows {
			ta[i] = s.totalA
		}
		a := defReport(cfg.Against, rows, ta, y, rules[1], func(s *scored) int8 { return s.bandA })
		rep.Against = &a
		rep.Compare = compare(cfg, rows, tc, ta, y)
	}
	rep.Weeks = cfg.Weeks
	if rep.Weeks == 0 && !firstAt.IsZero() && lastAt.After(firstAt) {
		rep.Weeks = lastAt.Sub(firstAt).Hours() / (24 * 7)
	}
	thresholds(rep, cfg, tc, y)
	return nil
}

// batch is a group of records scored together by one worker.
type batch struct {
	recs  []Record
	ys    []bool
	nows  []time.Time
	out   []scored
	rules [2]map[ruleKey]*counts
}

// scoreAll reads the file, keeps the rows to score and scores them on all
// processors. firstAt and lastAt span the decision moments seen.
func scoreAll(r *Reader, cfg BacktestConfig, rep *BacktestReport) ([]scored, [2]map[ruleKey]*counts, time.Time, time.Time, error) {
	tcol := -1
	if cfg.Split.TimeColumn != "" {
		if tcol = r.Column(cfg.Split.TimeColumn); tcol < 0 {
			return nil, [2]map[ruleKey]*counts{}, time.Time{}, time.Time{}, fmt.Errorf("--time-column %q: no such column", cfg.Split.TimeColumn)
		}
	}
	var firstAt, lastAt time.Time
	rows, rules, err := scorePool(cfg, true, func(emit func(*Record, bool, time.Time)) error {
		return r.Each(func(rec *Record) error {
			rep.Rows++
			if rec.Err != nil {
				rep.Skipped++
				return nil
			}
			y, ok, err := Outcome(rec.Outcome, cfg.Positive)
			if err != nil {
				return fmt.Errorf("row %d (line %d): %w", rec.Row, rec.Line, err)
			} else if !ok {
				rep.Skipped++
				return nil
			}
			// The decision moment: the row's date, else its action's, else now.
			now := cfg.Now
			var date time.Time
			if tcol >= 0 {
				if date, err = ParseDate(cell(rec.Values, tcol)); err != nil {
					return fmt.Errorf("row %d (line %d): %s: %w", rec.Row, rec.Line, cfg.Split.TimeColumn, err)
				}
				now = date
			} else if n := len(rec.Lead.Actions); n > 0 && !rec.Lead.Actions[n-1].At.IsZero() {
				now = rec.Lead.Actions[n-1].At
			}
			if (cfg.Split.TimeColumn != "" || cfg.Split.Holdout > 0) && !cfg.Split.Test(rec.Row, date) {
				rep.Skipped++
				return nil
			}
			if now != cfg.Now {
				if firstAt.IsZero() || now.Before(firstAt) {
					firstAt = now
				}
				if now.After(lastAt) {
					lastAt = now
				}
			}
			rec.Values = nil
			emit(rec, y, now)
			return nil
		})
	})
	if err != nil {
		return nil, rules, firstAt, lastAt, err
	}
	switch {
	case tcol >= 0:
		rep.TimeNote = fmt.Sprintf("Each lead was scored as of its %s: only what the file says was known then; no later events or outcomes were read.", cfg.Split.TimeColumn)
	case !firstAt.IsZero():
		rep.TimeNote = "Each lead was scored as of its action's date (the inquiry): only what was known then; no later events or outcomes were read."
	default:
		rep.TimeNote = fmt.Sprintf("The file has no dates: every lead was scored as of %s with only the values of its row, as recorded when it arrived; columns written after the outcome must not be in the definition (pista lab learn leaves them out).", cfg.Now.Format("2006-01-02"))
	}
	return rows, rules, firstAt, lastAt, nil
}

// scorePool scores the records feed emits (each with its outcome and
// decision moment) with the candidate and the active definition on every
// processor, and counts the rules that fired. The rows come back in row
// order, so that ties and examples are the same on every run.
//
// Rows of a file hold values as people typed them (mapValues): each
// definition's vocabularies (the built-in ones when it declares none) read
// them into codes first, as intake does when the rows are imported, so a
// file backtest scores what the server would. Leads from a database were
// read at intake already.
func scorePool(cfg BacktestConfig, mapValues bool, feed func(emit func(*Record, bool, time.Time)) error) ([]scored, [2]map[ruleKey]*counts, error) {
	var rules [2]map[ruleKey]*counts
	rules[0], rules[1] = map[ruleKey]*counts{}, map[ruleKey]*counts{}
	evC := engine.New(cfg.Candidate)
	var evA *engine.Evaluator
	if cfg.Against != nil {
		evA = engine.New(cfg.Against)
	}
	todo := make(chan *batch, cfg.Workers*2)
	done := make(chan *batch, cfg.Workers*2)
	var wg sync.WaitGroup
	for w := 0; w < cfg.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range todo {
				b.rules[0], b.rules[1] = map[ruleKey]*counts{}, map[ruleKey]*counts{}
				for i := range b.recs {
					rec := &b.recs[i]
					y, now := b.ys[i], b.nows[i]
					s := scored{row: int32(rec.Row), y: y, id: rec.ID}
					l := &rec.Lead
					if mapValues {
						l = asIntake(cfg.Candidate, &rec.Lead)
					}
					res := evC.Evaluate(l, rec.Events, rec.Qualification, now)
					s.totalC, s.bandC = res.Total, bandIndex(cfg.Candidate, res.Band)
					tally(b.rules[0], &res, y)
					if evA != nil {
						l := &rec.Lead
						if mapValues {
							l = asIntake(cfg.Against, &rec.Lead)
						}
						res := evA.Evaluate(l, rec.Events, rec.Qualification, now)
						s.totalA, s.bandA = res.Total, bandIndex(cfg.Against, res.Band)
						tally(b.rules[1], &res, y)
					}
					b.out = append(b.out, s)
				}
				done <- b
			}
		}()
	}
	var rows []scored
	collected := make(chan struct{})
	go func() {
		for b := range done {
			rows = append(rows, b.out...)
			for k := range 2 {
				for key, c := range b.rules[k] {
					t := rules[k][key]
					if t == nil {
						t = &counts{points: c.points}
						rules[k][key] = t
					}
					t.n += c.n
					t.pos += c.pos
				}
			}
		}
		close(collected)
	}()
	cur := &batch{}
	err := feed(func(rec *Record, y bool, now time.Time) {
		cur.recs = append(cur.recs, *rec)
		cur.ys = append(cur.ys, y)
		cur.nows = append(cur.nows, now)
		if len(cur.recs) == 256 {
			todo <- cur
			cur = &batch{}
		}
	})
	if len(cur.recs) > 0 {
		todo <- cur
	}
	close(todo)
	wg.Wait()
	close(done)
	<-collected
	sort.Slice(rows, func(i, j int) bool { return rows[i].row < rows[j].row })
	return rows, rules, err
}

// tally counts which rules (and table entries) gave points to a lead.
func tally(m map[ruleKey]*counts, res *engine.Result, y bool) {
	for _, s := range res.Explanation {
		if s.Kind != "fit" && s.Kind != "engagement" {
			continue
		}
		k := ruleKey{rule: s.Rule}
		if s.Value != "" || s.Note != "" {
			k.entry = s.Note
			if k.entry == "" {
				k.entry = s.Value
			}
		}
		c := m[k]
		if c == nil {
			c = &counts{points: s.Points}
			m[k] = c
		}
		c.n++
		if y {
			c.pos++
		}
	}
}

func bandIndex(d *definition.Definition, name string) int8 {
	for i := range d.Bands {
		if d.Bands[i].Name == name {
			return int8(i)
		}
	}
	return -1
}

func bandName(d *definition.Definition, i int8) string {
	if i < 0 {
		return "(none)"
	}
	return d.Bands[i].Name
}

func rate(pos, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(pos) / float64(n)
}

func defReport(d *definition.Definition, rows []scored, total []float64, y []bool, rules map[ruleKey]*counts, band func(*scored) int8) DefReport {
	rep := DefReport{Name: d.Name, Version: d.Version, Hash: d.Hash, AUC: ComputeAUC(total, y)}
	n, pos := len(y), 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	base := rate(pos, n)
	// Deciles: best first. Leads with the same total that straddle a
	// decile boundary share their conversions in proportion, which is what
	// breaking the tie at random would give on average.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return total[order[a]] > total[order[b]] })
	groupRate := make([]float64, n) // by position: the conversion of its tie group
	for i := 0; i < n; {
		j, p := i, 0
		for j < n && total[order[j]] == total[order[i]] {
			if y[order[j]] {
				p++
			}
			j++
		}
		for k := i; k < j; k++ {
			groupRate[k] = float64(p) / float64(j-i)
		}
		i = j
	}
	cum := 0.0
	for dcl := 0; dcl < 10; dcl++ {
		lo, hi := dcl*n/10, (dcl+1)*n/10
		if lo == hi {
			continue
		}
		dc := Decile{Decile: dcl + 1, Leads: hi - lo, MaxTotal: total[order[lo]], MinTotal: total[order[hi-1]]}
		for k := lo; k < hi; k++ {
			dc.Converted += groupRate[k]
		}
		cum += dc.Converted
		dc.Conversion = dc.Converted / float64(dc.Leads)
		dc.Lift = dc.Conversion / base
		dc.CumRecall = cum / float64(max(pos, 1))
		rep.Deciles = append(rep.Deciles, dc)
	}
	// Bands, in the definition's order (highest first).
	rows2 := make([]BandRow, len(d.Bands))
	for i := range d.Bands {
		rows2[i] = BandRow{Band: d.Bands[i].Name, Action: d.Bands[i].Action}
	}
	var none BandRow
	none.Band = "(none)"
	for i := range rows {
		b := band(&rows[i])
		r := &none
		if b >= 0 {
			r = &rows2[b]
		}
		r.Leads++
		if rows[i].y {
			r.Converted++
		}
	}
	if none.Leads > 0 {
		rows2 = append(rows2, none)
	}
	cl, cp := 0, 0
	for i := range rows2 {
		r := &rows2[i]
		cl += r.Leads
		cp += r.Converted
		r.Share, r.Conversion = rate(r.Leads, n), rate(r.Converted, r.Leads)
		r.Precision, r.Recall = rate(cp, cl), rate(cp, pos)
	}
	rep.Bands = rows2
	rep.Calibration = calibration(total, y)
	rep.Slope = slope(total, y)
	for k, c := range rules {
		rr := RuleRow{Rule: k.rule, Entry: k.entry, Points: c.points, Fired: c.n, Conversion: rate(c.pos, c.n), Rest: rate(pos-c.pos, n-c.n)}
		if rep.Slope > 0 {
			rr.Suggested = math.Round(logOddsRatio(c.pos, c.n, pos-c.pos, n-c.n) / rep.Slope)
		}
		rep.Rules = append(rep.Rules, rr)
	}
	ruleOrder := map[string]int{}
	for i, f := range d.Fit {
		ruleOrder[f.Name] = i
	}
	for i, e := range d.Engagement.Rules {
		ruleOrder[e.Name] = len(d.Fit) + i
	}
	sort.Slice(rep.Rules, func(a, b int) bool {
		ra, rb := rep.Rules[a], rep.Rules[b]
		if ruleOrder[ra.Rule] != ruleOrder[rb.Rule] {
			return ruleOrder[ra.Rule] < ruleOrder[rb.Rule]
		}
		if ra.Fired != rb.Fired {
			return ra.Fired > rb.Fired
		}
		return ra.Entry < rb.Entry
	})
	return rep
}

// logOddsRatio compares the odds of converting with and without, with
// half a lead added to every cell so that empty cells stay finite.
func logOddsRatio(posIn, nIn, posOut, nOut int) float64 {
	a, b := float64(posIn)+0.5, float64(nIn-posIn)+0.5
	c, d := float64(posOut)+0.5, float64(nOut-posOut)+0.5
	return math.Log(a/b) - math.Log(c/d)
}

// calibration groups totals in ten-point ranges.
func calibration(total []float64, y []bool) []CalRow {
	byFrom := map[float64]*CalRow{}
	for i, t := range total {
		from := math.Floor(t/10) * 10
		r := byFrom[from]
		if r == nil {
			r = &CalRow{From: from, Below: from + 10}
			byFrom[from] = r
		}
		r.Leads++
		if y[i] {
			r.Converted++
		}
	}
	var out []CalRow
	for _, r := range byFrom {
		r.Conversion = rate(r.Converted, r.Leads)
		out = append(out, *r)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].From < out[b].From })
	return out
}

// slope fits P(converted) = σ(a + b·total) by Newton's method and returns b.
func slope(total []float64, y []bool) float64 {
	var a, b float64
	for iter := 0; iter < 30; iter++ {
		var g0, g1, h00, h01, h11 float64
		for i, t := range total {
			p := sigmoid(a + b*t)
			r := p
			if y[i] {
				r = p - 1
			}
			w := p * (1 - p)
			g0 += r
			g1 += r * t
			h00 += w
			h01 += w * t
			h11 += w * t * t
		}
		det := h00*h11 - h01*h01
		if det <= 0 {
			return b
		}
		da, db := (h11*g0-h01*g1)/det, (h00*g1-h01*g0)/det
		a, b = a-da, b-db
		if math.Abs(da)+math.Abs(db) < 1e-10 {
			break
		}
	}
	return b
}

func compare(cfg BacktestConfig, rows []scored, tc, ta []float64, y []bool) *Compare {
	c := &Compare{Diff: CompareAUC(tc, ta, y)}
	moves := map[[2]int8]*Move{}
	for i := range rows {
		s := &rows[i]
		from, to := bandName(cfg.Against, s.bandA), bandName(cfg.Candidate, s.bandC)
		if from == to {
			continue
		}
		c.Moved++
		k := [2]int8{s.bandA, s.bandC}
		m := moves[k]
		if m == nil {
			m = &Move{From: from, To: to}
			moves[k] = m
		}
		m.Leads++
		if s.y {
			m.Converted++
		}
		if len(c.Examples) < 5 {
			c.Examples = append(c.Examples, Example{Row: int(s.row), ID: s.id, From: from, To: to, Active: s.totalA, Candidate: s.totalC, Converted: s.y})
		}
	}
	for _, m := range moves {
		c.Moves = append(c.Moves, *m)
	}
	sort.Slice(c.Moves, func(a, b int) bool { return c.Moves[a].Leads > c.Moves[b].Leads })
	return c
}

// thresholds fills the trade-off table, the capacity answer and the
// target-precision answer from the candidate's totals.
func thresholds(rep *BacktestReport, cfg BacktestConfig, total []float64, y []bool) {
	n := len(total)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return total[order[a]] > total[order[b]] })
	pos := rep.Positives
	// at returns what working every lead with a total ≥ t gives.
	at := func(label string, t float64) Threshold {
		th := Threshold{Label: label, Total: t}
		p := 0
		for _, i := range order {
			if total[i] < t {
				break
			}
			th.Leads++
			if y[i] {
				p++
			}
		}
		th.Precision, th.Recall = rate(p, th.Leads), rate(p, pos)
		if rep.Weeks > 0 {
			th.PerWeek = float64(th.Leads) / rep.Weeks
		}
		return th
	}
	for k := 1; k <= 10; k++ {
		idx := min(n-1, k*n/10-1)
		if idx < 0 {
			continue
		}
		rep.Tradeoff = append(rep.Tradeoff, at(fmt.Sprintf("top %d%%", k*10), total[order[idx]]))
	}
	if cfg.Capacity > 0 {
		want := float64(cfg.Capacity)
		label := fmt.Sprintf("%d leads", cfg.Capacity)
		if rep.Weeks > 0 {
			want = float64(cfg.Capacity) * rep.Weeks
			label = fmt.Sprintf("%d leads a week", cfg.Capacity)
		}
		// The lowest total whose leads at or above still fit the capacity.
		th := Threshold{Label: label + ": the best-scored leads alone are more than that"}
		for k := 0; k < n; {
			t := total[order[k]]
			j := k
			for j < n && total[order[j]] == t {
				j++
			}
			if float64(j) > want {
				break
			}
			th = at(label, t)
			k = j
		}
		rep.Capacity = &th
	}
	if cfg.TargetPrecision > 0 {
		label := fmt.Sprintf("precision %.0f%%", cfg.TargetPrecision*100)
		var best *Threshold
		p := 0
		for k := 0; k < n; {
			t := total[order[k]]
			j := k
			for j < n && total[order[j]] == t {
				if y[order[j]] {
					p++
				}
				j++
			}
			if rate(p, j) >= cfg.TargetPrecision {
				th := at(label, t)
				best = &th
			}
			k = j
		}
		if best == nil {
			best = &Threshold{Label: label + ": no threshold reaches it"}
		}
		rep.Precision = best
	}
}

// asIntake returns a copy of a row's lead with its values read through d's
// vocabularies, as intake reads an imported row.
func asIntake(d *definition.Definition, l *lead.Lead) *lead.Lead {
	c := *l
	c.Actions = slices.Clone(l.Actions)
	c.Mappings = nil
	intake.ReadLead(&c, d.Vocab)
	return &c
}
