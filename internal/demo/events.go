package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

// Event types of website and e-mail behaviour.
const (
	evPageView    = "page_view"
	evDownload    = "content_download"
	evWebinarReg  = "webinar_registered"
	evWebinarAtt  = "webinar_attended"
	evEmailOpen   = "email_open"
	evEmailClick  = "email_click"
	maxLeadEvents = 300
)

// eventCount is long-tailed: most people leave a handful of traces, a few
// hundreds. interest shifts the whole distribution.
func eventCount(r *rand.Rand, interest float64) int {
	if chance(r, 0.15) {
		return 0
	}
	n := logNormal(r, math.Exp(1.3+0.6*interest), 1.2)
	return int(math.Min(n, maxLeadEvents))
}

// session kinds: what one visit or e-mail interaction looks like.
const (
	sessBrowse = iota
	sessProduct
	sessEmail
	sessDownload
	sessWebinar
)

// behaviour generates n events in sessions around the lead's actions,
// within [lo, hi]. Product sessions of interested people are long, which
// is what makes seed 002's "five product pages in one day" happen.
func behaviour(r *rand.Rand, loc locale, interest float64, actions []lead.Action, n int, lo, hi time.Time) []lead.Event {
	if n == 0 || !hi.After(lo) {
		return nil
	}
	ev := make([]lead.Event, 0, n)
	kinds := []w[int]{{sessBrowse, 40}, {sessProduct, math.Max(5, 25+12*interest)}, {sessEmail, 20},
		{sessDownload, 8}, {sessWebinar, 3}}
	productMean := 2 + 2.5*math.Max(0, interest)
	for len(ev) < n {
		t := sessionStart(r, actions, lo, hi)
		add := func(typ string, props map[string]any) bool {
			if len(ev) >= n || t.After(hi) {
				return false
			}
			ev = append(ev, lead.Event{Type: typ, At: t, Props: props})
			t = t.Add(time.Duration(20+r.IntN(240)) * time.Second)
			return true
		}
		switch pick(r, kinds) {
		case sessBrowse:
			for k := 1 + geometric(r, 1.5); k > 0; k-- {
				cat := pick(r, []w[string]{{"blog", 50}, {"docs", 25}, {"product", 15}, {"careers", 7}, {"pricing", 3}})
				if !add(evPageView, pageView(r, loc, cat)) {
					break
				}
			}
		case sessProduct:
			for k := 1 + geometric(r, productMean); k > 0; k-- {
				cat := pick(r, []w[string]{{"product", 80}, {"pricing", 12}, {"docs", 8}})
				if !add(evPageView, pageView(r, loc, cat)) {
					break
				}
			}
		case sessEmail:
			camp := one(r, campaigns[loc]["email"])
			if add(evEmailOpen, map[string]any{"campaign": camp}) && chance(r, 0.3+0.1*interest) {
				add(evEmailClick, map[string]any{"campaign": camp})
			}
		case sessDownload:
			add(evPageView, pageView(r, loc, "product"))
			add(evDownload, download(r, loc, 0.3+0.1*interest))
		case sessWebinar:
			wb := one(r, webinars[loc])
			if add(evWebinarReg, map[string]any{"webinar": wb}) && chance(r, 0.55) {
				t = t.Add(time.Duration(1+r.IntN(14)) * 24 * time.Hour)
				add(evWebinarAtt, map[string]any{"webinar": wb})
			}
		}
	}
	slices.SortStableFunc(ev, func(a, b lead.Event) int { return a.At.Compare(b.At) })
	return ev
}

// sessionStart places a session near one of the actions: mostly in the
// days before it (research before asking for a price), some after.
func sessionStart(r *rand.Rand, actions []lead.Action, lo, hi time.Time) time.Time {
	anchor := actions[r.IntN(len(actions))].At
	d := time.Duration(logNormal(r, 3*24, 1.2) * float64(time.Hour))
	t := anchor.Add(-d)
	if chance(r, 0.3) {
		t = anchor.Add(d / 2)
	}
	if t.Before(lo) || t.After(hi) {
		t = lo.Add(time.Duration(r.Int64N(int64(hi.Sub(lo)) + 1)))
	}
	return t.Truncate(time.Second)
}

// geometric draws a count with the given mean (≥ 0).
func geometric(r *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	p := 1 / (1 + mean)
	return int(math.Floor(math.Log(1-r.Float64()) / math.Log(1-p)))
}

// Event returns one random behaviour event of l at time at: mostly page
// views, some e-mail opens and downloads, in the lead's language. The load
// tool uses it to build event batches.
func Event(rng *rand.Rand, l *lead.Lead, at time.Time) lead.Event {
	loc := localeOf(l.Person.Language)
	e := lead.Event{At: at}
	switch pick(rng, []w[string]{{evPageView, 80}, {evEmailOpen, 10}, {evEmailClick, 4}, {evDownload, 5}, {evWebinarReg, 1}}) {
	case evPageView:
		e.Type = evPageView
		e.Props = pageView(rng, loc, pick(rng, []w[string]{{"product", 35}, {"blog", 30}, {"docs", 20}, {"pricing", 10}, {"careers", 5}}))
	case evEmailOpen:
		e.Type, e.Props = evEmailOpen, map[string]any{"campaign": one(rng, campaigns[loc]["email"])}
	case evEmailClick:
		e.Type, e.Props = evEmailClick, map[string]any{"campaign": one(rng, campaigns[loc]["email"])}
	case evDownload:
		e.Type, e.Props = evDownload, download(rng, loc, 0.3)
	default:
		e.Type, e.Props = evWebinarReg, map[string]any{"webinar": one(rng, webinars[loc])}
	}
	return e
}

// localeOf maps person.language back to a locale (English if unknown).
func localeOf(lang string) locale {
	for l, s := range langOf {
		if s == lang {
			return locale(l)
		}
	}
	return en
}
