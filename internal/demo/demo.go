// Package demo generates realistic, reproducible inquiries for Pista: the
// people, companies, web behaviour, BANT calls and deal outcomes of a Latin
// American and North American B2B seller (seed 002's instrument maker).
// Demos, load tests, backtests and model-quality work need data that
// looks like what customers send, including the junk and the duplicates,
// and that is the same every time for the same seed.
//
// Generation streams: memory stays constant however many leads are asked
// for. Companies are derived from a hash of their key rather than
// remembered, and re-submissions come from a fixed-size window of recent
// people.
package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pistahq/pista/internal/lead"
)

// Config says what to generate.
type Config struct {
	// Seed selects the sequence: the same seed gives the same items.
	Seed uint64
	// Start and End bound every action, event and qualification. A zero
	// Start means 2026-01-01 UTC; an End not after Start means Start plus
	// 90 days.
	Start, End time.Time
	// Leads is how many items to generate.
	Leads int
	// Target is the share of regular people drawn from the ideal customer
	// profile (see targetProfile), as an account-based campaign brings
	// them, more of them through some formats than others (targetShares);
	// 0 leaves the mix as it is.
	Target float64
}

// Item is one generated submission with what happened around it.
type Item struct {
	// Lead has the person, company, source and 1 to 3 actions.
	Lead lead.Lead `json:"lead"`
	// Events are web and e-mail behaviour around the actions, oldest
	// first: 0 to 300, most leads few.
	Events []lead.Event `json:"events,omitempty"`
	// Qualification is a BDR's BANT call, for about 15% of leads.
	Qualification *lead.Qualification `json:"qualification,omitempty"`
	// Outcome is "won", "lost", "open" or "" (never became an
	// opportunity). It correlates with fit (life sciences, VP or more
	// senior, large revenue, US or Canada) and with the BANT answers.
	Outcome string `json:"outcome,omitempty"`
	// Truth is what the generator knows and Pista has to infer.
	Truth Truth `json:"truth"`
}

// Truth is the ground truth behind an item, for measuring quality checks,
// dedup and scoring models against.
type Truth struct {
	// Junk is the kind of junk (JunkFictional, JunkTest, JunkMash,
	// JunkDisposable), or "" for a real person.
	Junk string `json:"junk,omitempty"`
	// DuplicateOf is the Lead.ID of the earlier item this person
	// re-submits, or "".
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// Duplicate says how the re-submission can be recognised:
	// DupSameEmail, DupEmailCase or DupSamePhone.
	Duplicate string `json:"duplicate,omitempty"`
	// Fit is the hidden fit the outcome was drawn from (higher is better;
	// around -3 to 4).
	Fit float64 `json:"fit"`
}

// Outcomes.
const (
	Won  = "won"
	Lost = "lost"
	Open = "open"
)

// Generate calls yield with cfg.Leads items, in order, until yield returns
// false. Items are independent values: yield may keep them.
func Generate(cfg Config, yield func(Item) bool) {
	g := newGenerator(cfg)
	for i := range g.cfg.Leads {
		if !yield(g.item(i)) {
			return
		}
	}
}

// generator is the state of one Generate run: the random source and the
// window of recent people that re-submit.
type generator struct {
	cfg    Config
	r      *rand.Rand
	span   time.Duration
	recent recentPeople
}

func newGenerator(cfg Config) *generator {
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	cfg.Start = cfg.Start.UTC()
	if !cfg.End.After(cfg.Start) {
		cfg.End = cfg.Start.AddDate(0, 0, 90)
	}
	cfg.End = cfg.End.UTC()
	return &generator{
		cfg:  cfg,
		r:    rand.New(rand.NewPCG(cfg.Seed, 0x70697374615f6465)), // "pista_de"
		span: cfg.End.Sub(cfg.Start),
	}
}

// Shares of the item kinds. newProfile makes inquiryJunk of what it
// draws junk (that is what Inquiry gives); Generate tops it up so that
// junk is junkShare of all items, duplicates included.
const (
	junkShare   = 0.05
	dupShare    = 0.08
	inquiryJunk = 0.05
	junkTopUp   = (junkShare/(1-dupShare) - inquiryJunk) / (1 - inquiryJunk)
)

// item generates the i-th item. First actions advance through [Start,
// End] with i, so re-submissions naturally come later than the original.
func (g *generator) item(i int) Item {
	r := g.r
	frac := (float64(i) + r.Float64()) / float64(g.cfg.Leads)
	base := g.cfg.Start.Add(time.Duration(frac * float64(g.span)))
	id := fmt.Sprintf("demo-%07d", i+1)

	if chance(r, dupShare) && g.recent.n > 0 {
		if it, ok := g.duplicate(base, id); ok {
			return it
		}
	}
	pr := newProfile(r, base)
	if pr.junk == "" && chance(r, junkTopUp) {
		pr = junkProfile(r, pick(r, countryShares), base)
	}
	if f := pr.lead.Source.Format; g.cfg.Target > 0 && pr.junk == "" && chance(r, min(1, g.cfg.Target*targetShares[f])) {
		pr = targetProfile(r, base, f)
	}
	first := g.workingTime(base, countries[pr.co.ci].utcOffset)
	pr.lead.Actions[0].At = first
	pr.lead.ID = id
	it := Item{Truth: Truth{Junk: pr.junk, Fit: pr.fit}}
	if pr.junk == "" {
		moreActions(r, &pr, g.cfg.End)
	}
	it.Lead = pr.lead
	it.Events = g.events(&pr)
	if pr.junk != "" {
		return it
	}
	q := sigmoid(pr.fit - 0.5)
	if chance(r, qualifyChance(&pr)) {
		it.Qualification = qualify(r, &pr, q, first, g.cfg.End)
	}
	it.Outcome = outcome(r, &pr, it.Qualification, first, g.cfg.End)
	g.recent.add(recent{id: id, loc: pr.loc, person: it.Lead.Person, company: it.Lead.Company, ci: pr.co.ci,
		last: it.Lead.Actions[len(it.Lead.Actions)-1].At, interest: pr.interest, fit: pr.fit})
	return it
}

// events generates the web behaviour of a profile within the window.
func (g *generator) events(pr *profile) []lead.Event {
	acts := pr.lead.Actions
	lo := maxTime(g.cfg.Start, acts[0].At.AddDate(0, 0, -60))
	hi := minTime(g.cfg.End, acts[len(acts)-1].At.AddDate(0, 0, 30))
	n := eventCount(g.r, pr.interest)
	if pr.junk != "" {
		n = g.r.IntN(3)
	}
	return behaviour(g.r, pr.loc, pr.interest, acts, n, lo, hi)
}

// hourShares weight the local hour of day of submissions: office hours,
// a lunch dip, a long evening tail.
var hourShares = []w[int]{
	{0, 0.4}, {1, 0.3}, {2, 0.2}, {3, 0.2}, {4, 0.2}, {5, 0.3}, {6, 0.8}, {7, 2}, {8, 6}, {9, 9}, {10, 10}, {11, 10},
	{12, 7}, {13, 6}, {14, 8}, {15, 9}, {16, 8}, {17, 6}, {18, 4}, {19, 3}, {20, 2.5}, {21, 2}, {22, 1.5}, {23, 0.8},
}

// workingTime moves t to a plausible local time on (usually) a weekday,
// staying within the window.
func (g *generator) workingTime(t time.Time, utcOffset int) time.Time {
	off := time.Duration(utcOffset) * time.Hour
	local := t.Add(off)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	switch wd := day.Weekday(); {
	case wd == time.Saturday && chance(g.r, 0.75):
		day = day.AddDate(0, 0, one(g.r, []int{-1, 2})) // Friday or Monday
	case wd == time.Sunday && chance(g.r, 0.8):
		day = day.AddDate(0, 0, 1)
	}
	minute := pick(g.r, hourShares)*60 + g.r.IntN(60)
	out := day.Add(time.Duration(minute)*time.Minute + time.Duration(g.r.IntN(60))*time.Second - off)
	if out.Before(g.cfg.Start) || out.After(g.cfg.End) {
		return t.Truncate(time.Second) // at the window's edges, keep the raw time
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
