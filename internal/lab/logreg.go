package lab

import (
	"errors"
	"math"
)

// design is a one-hot design matrix: every row has exactly one active
// level per column, so a row is stored as its active feature indices.
type design struct {
	p    int     // features (levels of all columns)
	cols int     // active features per row
	x    []int32 // row i's features are x[i*cols : (i+1)*cols]
	y    []bool
}

func (d *design) rows() int { return len(d.y) }

func (d *design) row(i int) []int32 { return d.x[i*d.cols : (i+1)*d.cols] }

// model is a logistic regression: log-odds = b + Σ w[active features].
type model struct {
	b float64
	w []float64
}

func (m *model) logit(feats []int32) float64 {
	z := m.b
	for _, f := range feats {
		z += m.w[f]
	}
	return z
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// fit finds the L2-regularised maximum likelihood model on the rows where
// use is true (nil: all) by Newton's method: the loss is the log-loss summed
// over rows plus lambda/2 Σw² (the intercept is not penalised). start, when
// given, warm-starts it. With one-hot features the Hessian is small (one
// row and column per level) and each row touches only cols² of it.
func fit(d *design, use []bool, lambda float64, start *model) (*model, error) {
	p := d.p
	m := &model{w: make([]float64, p)}
	if start != nil {
		m.b = start.b
		copy(m.w, start.w)
	} else {
		pos, n := 0, 0
		for i := range d.y {
			if use == nil || use[i] {
				n++
				if d.y[i] {
					pos++
				}
			}
		}
		if n == 0 || pos == 0 || pos == n {
			return nil, errors.New("the outcome must have both positive and negative rows to learn from")
		}
		m.b = math.Log(float64(pos) / float64(n-pos))
	}
	k := p + 1 // intercept last
	h := make([]float64, k*k)
	g := make([]float64, k)
	for iter := 0; iter < 50; iter++ {
		clear(h)
		clear(g)
		for i := range d.y {
			if use != nil && !use[i] {
				continue
			}
			feats := d.row(i)
			pr := sigmoid(m.logit(feats))
			r := pr
			if d.y[i] {
				r = pr - 1
			}
			wt := pr * (1 - pr)
			for _, a := range feats {
				g[a] += r
				row := h[int(a)*k:]
				for _, b := range feats {
					row[b] += wt
				}
				row[p] += wt
			}
			g[p] += r
			last := h[p*k:]
			for _, b := range feats {
				last[b] += wt
			}
			last[p] += wt
		}
		for j := 0; j < p; j++ {
			g[j] += lambda * m.w[j]
			h[j*k+j] += lambda
		}
		h[p*k+p] += 1e-9
		step, err := solve(h, g, k)
		if err != nil {
			return nil, err
		}
		// Newton's full step can overshoot where a level has (almost) no
		// converted rows; halve it until the objective goes down.
		before := objective(d, use, lambda, m)
		prev := &model{b: m.b, w: append([]float64(nil), m.w...)}
		big := 0.0
		for t := 1.0; t > 1e-4; t /= 2 {
			big = 0
			for j := 0; j < p; j++ {
				m.w[j] = prev.w[j] - t*step[j]
				big = max(big, math.Abs(t*step[j]))
			}
			m.b = prev.b - t*step[p]
			big = max(big, math.Abs(t*step[p]))
			if objective(d, use, lambda, m) <= before+1e-12 {
				break
			}
		}
		if big < 1e-7 {
			break
		}
	}
	return m, nil
}

// solve solves the symmetric positive definite system a·x = b (a is k×k,
// row-major, overwritten) by Cholesky decomposition.
func solve(a, b []float64, k int) ([]float64, error) {
	for j := 0; j < k; j++ {
		s := a[j*k+j]
		for l := 0; l < j; l++ {
			s -= a[j*k+l] * a[j*k+l]
		}
		if s <= 0 {
			return nil, errors.New("the model cannot be fitted: the data are degenerate (raise the regularisation)")
		}
		d := math.Sqrt(s)
		a[j*k+j] = d
		for i := j + 1; i < k; i++ {
			s := a[i*k+j]
			for l := 0; l < j; l++ {
				s -= a[i*k+l] * a[j*k+l]
			}
			a[i*k+j] = s / d
		}
	}
	x := make([]float64, k)
	for i := 0; i < k; i++ {
		s := b[i]
		for l := 0; l < i; l++ {
			s -= a[i*k+l] * x[l]
		}
		x[i] = s / a[i*k+i]
	}
	for i := k - 1; i >= 0; i-- {
		s := x[i]
		for l := i + 1; l < k; l++ {
			s -= a[l*k+i] * x[l]
		}
		x[i] = s / a[i*k+i]
	}
	return x, nil
}

// logLoss is the mean negative log-likelihood of m on the rows where use
// is true.
func logLoss(d *design, use []bool, m *model) float64 {
	sum, n := 0.0, 0
	for i := range d.y {
		if !use[i] {
			continue
		}
		pr := sigmoid(m.logit(d.row(i)))
		pr = min(max(pr, 1e-12), 1-1e-12)
		if d.y[i] {
			sum -= math.Log(pr)
		} else {
			sum -= math.Log(1 - pr)
		}
		n++
	}
	return sum / float64(max(n, 1))
}

// objective is what fit minimises: the summed log-loss plus the penalty.
func objective(d *design, use []bool, lambda float64, m *model) float64 {
	sum := 0.0
	for i := range d.y {
		if use != nil && !use[i] {
			continue
		}
		z := m.logit(d.row(i))
		// log(1+e^z) - y·z, computed without overflow
		l := math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z)))
		if d.y[i] {
			l -= z
		}
		sum += l
	}
	for _, w := range m.w {
		sum += lambda / 2 * w * w
	}
	return sum
}
