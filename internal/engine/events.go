package engine

import (
	"math"
	"slices"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/lead"
)

// events computes signals and engagement in one pass over the events,
// looking at each event only for the rules of its type. Events after now
// are ignored: they have not happened yet as far as this evaluation knows.
func (ev *evaluation) events(events []lead.Event) {
	d, s := ev.def, ev.s
	clear(s.signals)
	clear(s.sigCount)
	clear(s.engSum)
	clear(s.engCount)
	for i := range s.sigBuckets {
		s.sigBuckets[i] = s.sigBuckets[i][:0]
	}
	anyType := len(d.AnyType.Signals)+len(d.AnyType.Engagement) > 0
	now := ev.now.UnixNano()
	for i := range events {
		e := &events[i]
		// Plain nanoseconds: time.Time's Sub and After cost more than
		// the rest of the loop together.
		age := time.Duration(now - e.At.UnixNano())
		if age < 0 {
			continue
		}
		t := typeIndex(d.EventTypes, e.Type)
		if t < 0 && !anyType {
			continue
		}
		s.nextEvent()
		if t >= 0 {
			ev.consider(e, age, &d.ByType[t])
		}
		if anyType {
			ev.consider(e, age, &d.AnyType)
		}
	}
	for i := range d.Signals {
		sig := &d.Signals[i]
		n := s.sigCount[i]
		if sig.Per != "" {
			n = bestPeriod(s.sigBuckets[i])
		}
		fired := n >= sig.AtLeast
		s.signals[sig.Name] = fired
		if fired {
			ev.step(Step{Kind: "signal", Rule: sig.Name, Line: sig.Line, Count: n, Value: "true"})
		}
	}
	s.env.Event = nil
}

func typeIndex(types []string, t string) int {
	for i, x := range types {
		if x == t {
			return i
		}
	}
	return -1
}

// nextEvent invalidates the per-event memo.
func (s *scratch) nextEvent() {
	s.gen++
	if s.gen == 0 { // wrapped: old entries could look valid
		clear(s.matchGen)
		clear(s.decayGen)
		clear(s.propGen)
		s.gen = 1
	}
}

func (ev *evaluation) consider(e *lead.Event, age time.Duration, tr *definition.TypeRules) {
	d, s := ev.def, ev.s
	for _, i := range tr.Signals {
		sig := &d.Signals[i]
		if sig.Within > 0 && age > sig.Within || !ev.matchOnce(e, &sig.Match) {
			continue
		}
		if sig.Per == "" {
			s.sigCount[i]++
		} else {
			s.sigBuckets[i] = append(s.sigBuckets[i], s.zone.period(e.At, sig.Per))
		}
	}
	for _, i := range tr.Engagement {
		r := &d.Engagement.Rules[i]
		if r.Within > 0 && age > r.Within || !ev.matchOnce(e, &r.Match) {
			continue
		}
		pts := r.Points
		if r.HalfLife > 0 && age > 0 {
			id := r.HalfLifeID
			if s.decayGen[id] != s.gen {
				s.decay[id], s.decayGen[id] = decayFactor(float64(age)/float64(r.HalfLife)), s.gen
			}
			pts *= s.decay[id]
		}
		s.engSum[i] += pts
		s.engCount[i]++
	}
}

func (ev *evaluation) matchOnce(e *lead.Event, m *definition.Match) bool {
	s := ev.s
	if s.matchGen[m.ID] == s.gen {
		return s.matchOK[m.ID]
	}
	ok := ev.matches(e, m)
	s.matchGen[m.ID], s.matchOK[m.ID] = s.gen, ok
	return ok
}

func (ev *evaluation) matches(e *lead.Event, m *definition.Match) bool {
	s := ev.s
	for i := range m.Props {
		pm := &m.Props[i]
		if s.propGen[pm.KeyID] != s.gen {
			s.propVal[pm.KeyID], s.propGen[pm.KeyID] = e.Props[pm.Key], s.gen
		}
		if !propMatches(s.propVal[pm.KeyID], pm.Values) {
			return false
		}
	}
	if m.Where != nil {
		ev.s.env.Event = e
		return ev.cond(m.Where)
	}
	return true
}

func propMatches(v any, want []any) bool {
	switch v := v.(type) {
	case string:
		for _, w := range want {
			if s, ok := w.(string); ok && s == v {
				return true
			}
		}
	case float64:
		for _, w := range want {
			if f, ok := w.(float64); ok && f == v {
				return true
			}
		}
	case int:
		for _, w := range want {
			if f, ok := w.(float64); ok && f == float64(v) {
				return true
			}
		}
	case bool:
		for _, w := range want {
			if b, ok := w.(bool); ok && b == v {
				return true
			}
		}
	}
	return false
}

// bestPeriod returns the largest number of equal keys.
func bestPeriod(keys []int64) int {
	if len(keys) == 0 {
		return 0
	}
	slices.Sort(keys)
	best, run := 1, 1
	for i := 1; i < len(keys); i++ {
		if keys[i] == keys[i-1] {
			run++
			best = max(best, run)
		} else {
			run = 1
		}
	}
	return best
}

func (ev *evaluation) engagement() {
	d, s := ev.def, ev.s
	var total float64
	for i := range d.Engagement.Rules {
		r := &d.Engagement.Rules[i]
		if r.Summary() {
			total += ev.summary(r)
			continue
		}
		if s.engCount[i] == 0 {
			continue
		}
		pts := s.engSum[i]
		note := ""
		if r.Max > 0 && pts > r.Max {
			pts, note = r.Max, "capped"
		}
		pts = round2(pts)
		total += pts
		ev.step(Step{Kind: "engagement", Rule: r.Name, Line: r.Line, Points: pts, Count: s.engCount[i], Note: note})
	}
	ev.res.Engagement = round2(total)
	s.env.Engagement = ev.res.Engagement
}

// zoneCache turns instants into calendar periods in the definition's time
// zone. It remembers the current zone offset and its validity bounds, so
// that most events need no time-zone lookup.
type zoneCache struct {
	loc        *time.Location
	start, end int64 // unix seconds during which offset holds
	offset     int64
	valid      bool
}

const secondsPerDay = 86400

// period returns a key for the day, week (starting Monday) or month of t.
func (z *zoneCache) period(t time.Time, per string) int64 {
	u := t.Unix()
	if !z.valid || u < z.start || u >= z.end {
		lt := t.In(z.loc)
		_, off := lt.Zone()
		s, e := lt.ZoneBounds()
		z.offset, z.valid = int64(off), true
		z.start, z.end = math.MinInt64, math.MaxInt64
		if !s.IsZero() {
			z.start = s.Unix()
		}
		if !e.IsZero() {
			z.end = e.Unix()
		}
	}
	day := floorDiv(u+z.offset, secondsPerDay)
	switch per {
	case "week":
		return floorDiv(day+3, 7) // 1970-01-01 was a Thursday
	case "month":
		y, m, _ := time.Unix(day*secondsPerDay, 0).UTC().Date()
		return int64(y)*12 + int64(m)
	}
	return day
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) {
		q--
	}
	return q
}
