package lab

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/importer"
	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
)

// LearnConfig says what to learn from.
type LearnConfig struct {
	Data      string // file path
	Import    importer.Options
	Outcome   string // header of the outcome column
	Positive  string // the outcome value that means converted; "" reads yes/no words
	Drop      []string
	AllowLeak []string // flagged columns the user insists on keeping
	Split     Split
	Seed      uint64
	Folds     int // cross-validation folds; default 5
	Bins      int // quantile tiers for numbers; default 10
	// Base is a definition file whose other sections the learned one
	// keeps (inquiry, quality, lead gate, routing, SLA); nil: a minimal one.
	Base     []byte
	BaseName string
	Now      time.Time // for the file's header comment
}

// Column is what learning did with one column of the file.
type Column struct {
	Header string  `json:"header"`
	Field  string  `json:"field,omitempty"`
	Status string  `json:"status"` // used, outcome, dropped, leak, identity, constant, unreadable, ignored
	Reason string  `json:"reason,omitempty"`
	AUC    float64 `json:"auc_alone,omitempty"` // how well it ranks alone (learning rows)
	Rule   string  `json:"rule,omitempty"`
}

// CVPoint is one regularisation strength tried by cross-validation.
type CVPoint struct {
	Lambda  float64 `json:"lambda"`
	LogLoss float64 `json:"log_loss"` // mean held-out log-loss over the folds
}

// LearnReport says what was learned and how well it ranks.
type LearnReport struct {
	File        string    `json:"file"`
	Rows        int       `json:"rows"`
	Skipped     int       `json:"skipped"` // unreadable rows and rows without an outcome
	LearnRows   int       `json:"learn_rows"`
	TestRows    int       `json:"test_rows"`
	Positives   int       `json:"positives"` // among learning rows
	Split       string    `json:"split"`
	Columns     []Column  `json:"columns"`
	CV          []CVPoint `json:"cross_validation"`
	Lambda      float64   `json:"lambda"`
	ModelLearn  AUC       `json:"model_auc_learn"`
	DefLearn    AUC       `json:"definition_auc_learn"`
	ModelTest   *AUC      `json:"model_auc_test,omitempty"`
	DefTest     *AUC      `json:"definition_auc_test,omitempty"`
	Rules       int       `json:"rules"`
	Seconds     float64   `json:"seconds"`
	PointsScale float64   `json:"points_per_log_odds"`
}

// Learned is a learned definition: its file text and the report.
type Learned struct {
	YAML   []byte
	Def    *definition.Definition
	Report LearnReport
}

// data is a file read for learning.
type data struct {
	leads  []lead.Lead
	y      []bool
	test   []bool
	values [][]any // per candidate column, per row
}

// Learn fits an L2-regularised logistic regression on the file's columns
// (numbers in quantile tiers, text in value tables), picks the
// regularisation by cross-validation and writes it as a definition whose
// integer points rank leads as the model does.
func Learn(cfg LearnConfig) (*Learned, error) {
	start := time.Now()
	if cfg.Folds == 0 {
		cfg.Folds = 5
	}
	if cfg.Bins == 0 {
		cfg.Bins = 10
	}
	if cfg.Outcome == "" {
		return nil, errors.New("--outcome COLUMN is required: the column that says whether the lead converted")
	}
	r, err := Open(cfg.Data, cfg.Import, cfg.Outcome)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	rep := LearnReport{File: filepath.Base(cfg.Data), Split: cfg.Split.Describe()}
	cands := candidates(r, cfg, &rep)
	d, err := readData(r, cfg, cands, &rep)
	if err != nil {
		return nil, err
	}
	learn := make([]bool, len(d.y))
	for i := range learn {
		learn[i] = !d.test[i]
		if learn[i] {
			rep.LearnRows++
			if d.y[i] {
				rep.Positives++
			}
		} else {
			rep.TestRows++
		}
	}
	if rep.Positives == 0 || rep.Positives == rep.LearnRows {
		return nil, fmt.Errorf("the learning rows have %d converted of %d: learning needs both outcomes", rep.Positives, rep.LearnRows)
	}
	feats := features(cands, d, learn, cfg, &rep)
	if len(feats) == 0 {
		return nil, errors.New("no column is left to learn from (see the column report)")
	}
	des := buildDesign(feats, d)
	lambda, cv, err := crossValidate(des, learn, cfg)
	if err != nil {
		return nil, err
	}
	rep.CV, rep.Lambda = cv, lambda
	m, err := fit(des, learn, lambda, nil)
	if err != nil {
		return nil, err
	}
	pts := toPoints(feats, m)
	rep.PointsScale = pts.scale
	text, err := writeDefinition(cfg, feats, des, m, pts, learn, &rep)
	if err != nil {
		return nil, err
	}
	def, err := definition.Parse("learned.yaml", text)
	if err != nil {
		return nil, fmt.Errorf("the learned definition does not load (this is a bug, or --base conflicts with it): %w", err)
	}
	// How well the model and the written definition rank, on the same rows.
	ev := engine.New(def)
	model := make([]float64, len(d.y))
	total := make([]float64, len(d.y))
	for i := range d.y {
		model[i] = m.logit(des.row(i))
		total[i] = ev.Evaluate(&d.leads[i], nil, nil, cfg.Now).Total
	}
	rep.ModelLearn = ComputeAUC(pick(model, learn, true), pickY(d.y, learn, true))
	rep.DefLearn = ComputeAUC(pick(total, learn, true), pickY(d.y, learn, true))
	if rep.TestRows > 0 {
		mt := ComputeAUC(pick(model, learn, false), pickY(d.y, learn, false))
		dt := ComputeAUC(pick(total, learn, false), pickY(d.y, learn, false))
		rep.ModelTest, rep.DefTest = &mt, &dt
	}
	rep.Rules = len(def.Fit)
	rep.Seconds = time.Since(start).Seconds()
	return &Learned{YAML: text, Def: def, Report: rep}, nil
}

func pick(v []float64, mask []bool, want bool) []float64 {
	var out []float64
	for i, x := range v {
		if mask[i] == want {
			out = append(out, x)
		}
	}
	return out
}

func pickY(v []bool, mask []bool, want bool) []bool {
	var out []bool
	for i, x := range v {
		if mask[i] == want {
			out = append(out, x)
		}
	}
	return out
}

// candidate is a column that may become a rule.
type candidate struct {
	header, path string
	col          int // index in rep.Columns
}

// candidates lists the mapped columns a rule could read, and reports the
// others.
func candidates(r *Reader, cfg LearnConfig, rep *LearnReport) []candidate {
	m := r.Mapping()
	seen := map[string]bool{}
	var out []candidate
	for _, h := range r.Header() {
		c := Column{Header: h, Field: m[h]}
		switch {
		case strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(cfg.Outcome)):
			c.Status, c.Reason = "outcome", "the outcome being learned"
		case hasFold(cfg.Drop, h):
			c.Status, c.Reason = "dropped", "--drop"
		case c.Field == "" || c.Field == "-":
			c.Status, c.Reason = "ignored", "the mapping ignores it"
		case notFeatures[c.Field]:
			c.Status, c.Reason = "identity", "identifies a person; scoring it would not generalise"
		case seen[c.Field]:
			c.Status, c.Reason = "ignored", "another column fills "+c.Field
		default:
			if _, ok := fieldValue(&lead.Lead{}, c.Field); !ok {
				c.Status, c.Reason = "unreadable", "a table cannot read "+c.Field+" (a list or an amount)"
				break
			}
			if why := leakByName(h); why != "" && !hasFold(cfg.AllowLeak, h) {
				c.Status, c.Reason = "leak", why+"; left out (--allow-leak "+h+" keeps it)"
				break
			}
			seen[c.Field] = true
			out = append(out, candidate{header: h, path: c.Field, col: len(rep.Columns)})
		}
		rep.Columns = append(rep.Columns, c)
	}
	return out
}

func hasFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(s)) })
}

func readData(r *Reader, cfg LearnConfig, cands []candidate, rep *LearnReport) (*data, error) {
	d := &data{values: make([][]any, len(cands))}
	tcol := -1
	if cfg.Split.TimeColumn != "" {
		if tcol = r.Column(cfg.Split.TimeColumn); tcol < 0 {
			return nil, fmt.Errorf("--time-column %q: no such column", cfg.Split.TimeColumn)
		}
	}
	err := r.Each(func(rec *Record) error {
		rep.Rows++
		if rec.Err != nil {
			rep.Skipped++
			return nil
		}
		y, ok, err := Outcome(rec.Outcome, cfg.Positive)
		if err != nil {
			return fmt.Errorf("row %d (line %d): %w", rec.Row, rec.Line, err)
		}
		if !ok {
			rep.Skipped++
			return nil
		}
		var date time.Time
		if tcol >= 0 {
			if date, err = ParseDate(cell(rec.Values, tcol)); err != nil {
				return fmt.Errorf("row %d (line %d): %s: %w", rec.Row, rec.Line, cfg.Split.TimeColumn, err)
			}
		}
		// Learn on values as the server stores them ("PHARMA" is pharma),
		// so the written tables match what a backtest and intake read.
		intake.ReadLead(&rec.Lead, nil)
		d.leads = append(d.leads, rec.Lead)
		d.y = append(d.y, y)
		d.test = append(d.test, cfg.Split.Test(rec.Row, date))
		for j, c := range cands {
			v, _ := fieldValue(&rec.Lead, c.path)
			d.values[j] = append(d.values[j], v)
		}
		return nil
	})
	return d, err
}

func cell(rec []string, i int) string {
	if i < len(rec) {
		return rec[i]
	}
	return ""
}

// features bins each candidate on the learning rows and applies the
// leakage guard's second test: a column that alone ranks almost perfectly.
func features(cands []candidate, d *data, learn []bool, cfg LearnConfig, rep *LearnReport) []*feature {
	n := 0
	for _, l := range learn {
		if l {
			n++
		}
	}
	b := binning{Bins: cfg.Bins, MinCount: max(20, n/500)}
	y := pickY(d.y, learn, true)
	var out []*feature
	names := map[string]bool{}
	for j, c := range cands {
		col := &rep.Columns[c.col]
		var vals []any
		for i, v := range d.values[j] {
			if learn[i] {
				vals = append(vals, v)
			}
		}
		f, ok := newFeature(c.header, c.path, vals, b)
		if !ok {
			col.Status, col.Reason = "constant", "one value (or none) on the learning rows"
			continue
		}
		levels := make([]int, len(vals))
		for i, v := range vals {
			levels[i] = f.level(v)
		}
		col.AUC = round4(aloneAUC(levels, f.levels(), y))
		if col.AUC >= leakAUC && !hasFold(cfg.AllowLeak, c.header) {
			col.Status = "leak"
			col.Reason = fmt.Sprintf("alone it ranks the outcome almost perfectly (AUC %.3f): likely known only after the outcome; left out (--allow-leak %s keeps it)", col.AUC, c.header)
			continue
		}
		f.Rule = ruleName(c.path, names)
		col.Status, col.Rule = "used", f.Rule
		out = append(out, f)
		// keep the feature's values for the design
		f.values = d.values[j]
	}
	return out
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

var notRuleChar = regexp.MustCompile(`[^\p{L}\p{N}_-]+`)

// ruleName names a rule after its field's last part: job, age, euribor3m.
func ruleName(path string, used map[string]bool) string {
	base := path[strings.LastIndexByte(path, '.')+1:]
	base = strings.Trim(notRuleChar.ReplaceAllString(base, "_"), "_-")
	if base == "" || !unicodeLetter(base) {
		base = "field_" + base
	}
	name := base
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	used[name] = true
	return name
}

func unicodeLetter(s string) bool {
	for _, r := range s {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127
	}
	return false
}

func buildDesign(feats []*feature, d *data) *design {
	des := &design{cols: len(feats), y: d.y}
	offsets := make([]int, len(feats))
	for j, f := range feats {
		offsets[j] = des.p
		des.p += f.levels()
	}
	des.x = make([]int32, len(d.y)*len(feats))
	for i := range d.y {
		for j, f := range feats {
			des.x[i*des.cols+j] = int32(offsets[j] + f.level(f.values[i]))
		}
	}
	for j, f := range feats {
		f.offset = offsets[j]
	}
	return des
}

// lambdas are the regularisation strengths tried, strongest first so that
// each fit starts from the previous one.
var lambdas = []float64{300, 100, 30, 10, 3, 1, 0.3}

// crossValidate picks lambda by the mean held-out log-loss over folds of
// the learning rows (folds drawn by seed); folds run in parallel.
func crossValidate(des *design, learn []bool, cfg LearnConfig) (float64, []CVPoint, error) {
	k := cfg.Folds
	fold := make([]int, len(learn))
	for i := range fold {
		fold[i] = int(unit(cfg.Seed+7919, i) * float64(k))
	}
	loss := make([][]float64, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for f := 0; f < k; f++ {
		wg.Add(1)
		go func(f int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			train := make([]bool, len(learn))
			test := make([]bool, len(learn))
			for i := range learn {
				train[i] = learn[i] && fold[i] != f
				test[i] = learn[i] && fold[i] == f
			}
			var m *model
			for _, l := range lambdas {
				var err error
				if m, err = fit(des, train, l, m); err != nil {
					errs[f] = err
					return
				}
				loss[f] = append(loss[f], logLoss(des, test, m))
			}
		}(f)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, nil, err
		}
	}
	var cv []CVPoint
	best := 0
	for li, l := range lambdas {
		s := 0.0
		for f := 0; f < k; f++ {
			s += loss[f][li]
		}
		cv = append(cv, CVPoint{Lambda: l, LogLoss: s / float64(k)})
		if cv[li].LogLoss < cv[best].LogLoss {
			best = li
		}
	}
	return lambdas[best], cv, nil
}

// points are the model's weights as integer points.
type points struct {
	scale float64 // points per unit of log-odds
	of    [][]int // per feature, per level
}

// toPoints shifts each column's weights so that its lowest level gives 0
// (a constant shift per column changes no ranking) and scales them so the
// highest possible total is 100, then rounds.
func toPoints(feats []*feature, m *model) points {
	var sumRange float64
	for _, f := range feats {
		lo, hi := weightRange(f, m)
		sumRange += hi - lo
	}
	p := points{scale: 100 / math.Max(sumRange, 1e-9)}
	for _, f := range feats {
		lo, _ := weightRange(f, m)
		lv := make([]int, f.levels())
		for l := range lv {
			lv[l] = int(math.Round((m.w[f.offset+l] - lo) * p.scale))
		}
		p.of = append(p.of, lv)
	}
	return p
}

func weightRange(f *feature, m *model) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for l := 0; l < f.levels(); l++ {
		w := m.w[f.offset+l]
		lo, hi = math.Min(lo, w), math.Max(hi, w)
	}
	return lo, hi
}

// quantile of v (not modified) at q in [0, 1].
func quantile(v []float64, q float64) float64 {
	s := slices.Clone(v)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[min(len(s)-1, int(q*float64(len(s))))]
}
