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
	for i := range events {
		e := &events[i]
		if e.At.After(ev.now) {
			continue
		}
		if t := typeIndex(d.EventTypes, e.Type); t >= 0 {
			ev.consider(e, &d.ByType[t])
		}
		if len(d.AnyType.Signals)+len(d.AnyType.Engagement) > 0 {
			ev.consider(e, &d.AnyType)
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

func (ev *evaluation) consider(e *lead.Event, tr *definition.TypeRules) {
	d, s := ev.def, ev.s
	age := ev.now.Sub(e.At)
	for _, i := range tr.Signals {
		sig := &d.Signals[i]
		if sig.Within > 0 && age > sig.Within || !ev.matches(e, &sig.Match) {
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
		if r.Within > 0 && age > r.Within || !ev.matches(e, &r.Match) {
			continue
		}
		pts := r.Points
		if r.HalfLife > 0 && age > 0 {
			pts *= math.Exp2(-float64(age) / float64(r.HalfLife))
		}
		s.engSum[i] += pts
		s.engCount[i]++
	}
}

func (ev *evaluation) matches(e *lead.Event, m *definition.Match) bool {
	for i := range m.Props {
		if !propMatches(e.Props[m.Props[i].Key], m.Props[i].Values) {
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
		if s.engCount[i] == 0 {
			continue
		}
		r := &d.Engagement.Rules[i]
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
