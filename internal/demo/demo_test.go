package demo_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/demo"
	"github.com/pistahq/pista/internal/lead"
)

var (
	start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end   = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
)

// collect generates n items with seed.
func collect(seed uint64, n int) []demo.Item {
	var items []demo.Item
	demo.Generate(demo.Config{Seed: seed, Start: start, End: end, Leads: n}, func(it demo.Item) bool {
		items = append(items, it)
		return true
	})
	return items
}

func TestDeterministic(t *testing.T) {
	a, b := collect(7, 3000), collect(7, 3000)
	if len(a) != 3000 || len(b) != 3000 {
		t.Fatalf("got %d and %d items, want 3000", len(a), len(b))
	}
	for i := range a {
		if !reflect.DeepEqual(a[i], b[i]) {
			ja, _ := json.Marshal(a[i])
			jb, _ := json.Marshal(b[i])
			t.Fatalf("item %d differs between runs:\n%s\n%s", i, ja, jb)
		}
	}
	c := collect(8, 100)
	if reflect.DeepEqual(a[:100], c) {
		t.Error("seeds 7 and 8 gave the same items")
	}
	// A prefix is the same whatever the total, apart from the times,
	// which spread over the window.
	short := collect(7, 10)
	if short[0].Lead.Person.Email != a[0].Lead.Person.Email {
		t.Errorf("first email depends on Leads: %q vs %q", short[0].Lead.Person.Email, a[0].Lead.Person.Email)
	}
}

func TestStopsWhenYieldReturnsFalse(t *testing.T) {
	n := 0
	demo.Generate(demo.Config{Seed: 1, Leads: 1000}, func(demo.Item) bool { n++; return n < 5 })
	if n != 5 {
		t.Errorf("yield called %d times, want 5", n)
	}
}

func TestDefaults(t *testing.T) {
	var first, last time.Time
	demo.Generate(demo.Config{Seed: 1, Leads: 500}, func(it demo.Item) bool {
		for _, a := range it.Lead.Actions {
			if first.IsZero() || a.At.Before(first) {
				first = a.At
			}
			if a.At.After(last) {
				last = a.At
			}
		}
		return true
	})
	wantStart := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if first.Before(wantStart) || last.After(wantStart.AddDate(0, 0, 90)) {
		t.Errorf("actions span %v..%v, want within 90 days from %v", first, last, wantStart)
	}
}

// TestValidAndWithinWindow checks every item against the lead model's
// own validation and the window.
func TestValidAndWithinWindow(t *testing.T) {
	in := func(at time.Time) bool { return !at.Before(start) && !at.After(end) }
	for i, it := range collect(3, 20000) {
		l := it.Lead
		if err := lead.Validate(&l, it.Events, it.Qualification); err != nil {
			t.Fatalf("item %d (%s): %v", i, l.ID, err)
		}
		if n := len(l.Actions); n < 1 || n > 3 {
			t.Fatalf("%s: %d actions, want 1..3", l.ID, n)
		}
		for j, a := range l.Actions {
			if !in(a.At) {
				t.Fatalf("%s: action %d at %v outside the window", l.ID, j, a.At)
			}
			if j > 0 && a.At.Before(l.Actions[j-1].At) {
				t.Fatalf("%s: actions not oldest first", l.ID)
			}
		}
		if len(it.Events) > 300 {
			t.Fatalf("%s: %d events", l.ID, len(it.Events))
		}
		for j, e := range it.Events {
			if !in(e.At) {
				t.Fatalf("%s: event %d at %v outside the window", l.ID, j, e.At)
			}
			if j > 0 && e.At.Before(it.Events[j-1].At) {
				t.Fatalf("%s: events not oldest first", l.ID)
			}
		}
		if q := it.Qualification; q != nil {
			checkQualification(t, &it, q, in)
		}
		if !slices.Contains([]string{"", demo.Won, demo.Lost, demo.Open}, it.Outcome) {
			t.Fatalf("%s: outcome %q", l.ID, it.Outcome)
		}
	}
}

func checkQualification(t *testing.T, it *demo.Item, q *lead.Qualification, in func(time.Time) bool) {
	t.Helper()
	id := it.Lead.ID
	if !in(q.At) || q.At.Before(it.Lead.Actions[0].At) {
		t.Fatalf("%s: qualified at %v, first action %v", id, q.At, it.Lead.Actions[0].At)
	}
	if !strings.Contains(q.By, "@") || q.Role != "bdr" || q.Method != "call" {
		t.Fatalf("%s: qualification by %q role %q method %q", id, q.By, q.Role, q.Method)
	}
	if b := q.Budget; b != nil && (b.Currency != it.Lead.Company.Revenue.Currency && it.Lead.Company.Revenue.Currency != "" || b.Min <= 0) {
		t.Fatalf("%s: budget %+v, company revenue %+v", id, b, it.Lead.Company.Revenue)
	}
	if it.Truth.Junk != "" || it.Truth.DuplicateOf != "" {
		t.Fatalf("%s: junk or duplicate was qualified", id)
	}
}

// TestProportions checks the mix against the brief, with tolerances that
// hold for any seed at this size.
func TestProportions(t *testing.T) {
	const n = 30000
	items := collect(11, n)
	count := func(f func(*demo.Item) bool) float64 {
		c := 0
		for i := range items {
			if f(&items[i]) {
				c++
			}
		}
		return float64(c) / n
	}
	tests := []struct {
		name   string
		f      func(*demo.Item) bool
		lo, hi float64
	}{
		{"junk", func(it *demo.Item) bool { return it.Truth.Junk != "" }, 0.04, 0.06},
		{"duplicates", func(it *demo.Item) bool { return it.Truth.DuplicateOf != "" }, 0.065, 0.095},
		{"qualified", func(it *demo.Item) bool { return it.Qualification != nil }, 0.12, 0.18},
		{"won", func(it *demo.Item) bool { return it.Outcome == demo.Won }, 0.015, 0.06},
		{"lost", func(it *demo.Item) bool { return it.Outcome == demo.Lost }, 0.03, 0.12},
		{"open", func(it *demo.Item) bool { return it.Outcome == demo.Open }, 0.005, 0.04},
		{"web_form", func(it *demo.Item) bool { return it.Lead.Source.Format == "web_form" }, 0.5, 0.65},
		{"referral", func(it *demo.Item) bool { return it.Lead.Source.Format == "referral" }, 0.03, 0.09},
		{"trusted referral", func(it *demo.Item) bool { return it.Lead.Source.Trusted }, 0.02, 0.06},
		{"with phone", func(it *demo.Item) bool { return it.Lead.Person.Phone != "" }, 0.4, 0.7},
		{"no events", func(it *demo.Item) bool { return len(it.Events) == 0 }, 0.1, 0.3},
		{"100+ events", func(it *demo.Item) bool { return len(it.Events) >= 100 }, 0.002, 0.03},
		{"several actions", func(it *demo.Item) bool { return len(it.Lead.Actions) > 1 }, 0.15, 0.4},
		{"US or CA", func(it *demo.Item) bool { c := it.Lead.Company.Country; return c == "US" || c == "CA" }, 0.18, 0.28},
		{"life sciences", func(it *demo.Item) bool { return it.Lead.Company.Industry == "life_sciences" }, 0.08, 0.14},
		{"VP or more senior", func(it *demo.Item) bool {
			return slices.Contains([]string{"vp", "svp", "c_level"}, it.Lead.Person.Seniority)
		}, 0.1, 0.2},
	}
	for _, tt := range tests {
		if got := count(tt.f); got < tt.lo || got > tt.hi {
			t.Errorf("%s: %.2f%%, want %.1f%%..%.1f%%", tt.name, 100*got, 100*tt.lo, 100*tt.hi)
		}
	}

	// Every value of the categorical fields occurs.
	seen := map[string]map[string]bool{}
	note := func(field, v string) {
		if seen[field] == nil {
			seen[field] = map[string]bool{}
		}
		seen[field][v] = true
	}
	for i := range items {
		it := &items[i]
		note("country", it.Lead.Company.Country)
		note("currency", it.Lead.Company.Revenue.Currency)
		note("industry", it.Lead.Company.Industry)
		note("seniority", it.Lead.Person.Seniority)
		note("format", it.Lead.Source.Format)
		note("junk", it.Truth.Junk)
		note("duplicate", it.Truth.Duplicate)
		for _, a := range it.Lead.Actions {
			note("action", a.Type)
		}
		for _, e := range it.Events {
			note("event", e.Type)
			if c := e.Prop("category"); c != "" {
				note("category", c)
			}
			if c := e.Prop("tier"); c != "" {
				note("tier", c)
			}
		}
		if q := it.Qualification; q != nil {
			note("authority", q.Authority)
			note("need", q.Need)
		}
	}
	want := map[string][]string{
		"country":   {"CO", "MX", "BR", "AR", "CL", "PE", "US", "CA", "ES"},
		"currency":  {"COP", "MXN", "BRL", "ARS", "CLP", "PEN", "USD", "CAD", "EUR"},
		"industry":  {"life_sciences", "pharma", "food", "manufacturing", "retail", "education", "software", "logistics", "energy", "government"},
		"seniority": {"staff", "manager", "director", "vp", "svp", "c_level", "owner", "student"},
		"format":    {"web_form", "api", "import", "webinar_list", "business_cards", "purchased_list", "referral"},
		"action": {"newsletter_signup", "content_download", "webinar_registered", "webinar_attended", "contact_form",
			"demo_request", "price_request", "referral"},
		"event":     {"page_view", "content_download", "webinar_registered", "webinar_attended", "email_open", "email_click"},
		"category":  {"product", "pricing", "blog", "careers", "docs"},
		"tier":      {"high", "low"},
		"junk":      {demo.JunkFictional, demo.JunkTest, demo.JunkMash, demo.JunkDisposable},
		"duplicate": {demo.DupSameEmail, demo.DupEmailCase, demo.DupSamePhone},
		"authority": {lead.DecisionMaker, lead.Influencer, lead.Gatekeeper, lead.Unknown},
		"need":      {lead.NeedConfirmed, lead.NeedLatent, lead.NeedNone},
	}
	for field, values := range want {
		for _, v := range values {
			if !seen[field][v] {
				t.Errorf("%s %q never generated", field, v)
			}
		}
	}
}

// TestCurrencyMatchesCountry: revenue is reported in the company's local
// currency, in plausible magnitudes.
func TestCurrencyMatchesCountry(t *testing.T) {
	currency := map[string]string{"CO": "COP", "MX": "MXN", "BR": "BRL", "AR": "ARS", "CL": "CLP", "PE": "PEN", "US": "USD", "CA": "CAD", "ES": "EUR"}
	perUSD := map[string]float64{"COP": 4000, "MXN": 18.5, "BRL": 5.5, "ARS": 1300, "CLP": 950, "PEN": 3.7, "USD": 1, "CAD": 1.38, "EUR": 0.92}
	for _, it := range collect(5, 5000) {
		c := it.Lead.Company
		if c.Revenue.IsZero() {
			continue
		}
		if c.Revenue.Currency != currency[c.Country] {
			t.Fatalf("%s: revenue %+v for a company in %s", it.Lead.ID, c.Revenue, c.Country)
		}
		if usd := c.Revenue.Amount / perUSD[c.Revenue.Currency]; usd < 1e4 || usd > 5e11 {
			t.Fatalf("%s: revenue %+v is %.0f USD", it.Lead.ID, c.Revenue, usd)
		}
		if c.Employees < 0 || c.Employees > 400_000 {
			t.Fatalf("%s: %d employees", it.Lead.ID, c.Employees)
		}
	}
}

// TestSameCompanySameFirmographics: companies are a world, not noise.
func TestSameCompanySameFirmographics(t *testing.T) {
	type firmo struct {
		industry, country string
		employees         int
	}
	seen := map[string]firmo{}
	repeats := 0
	for _, it := range collect(9, 20000) {
		c := it.Lead.Company
		if it.Truth.Junk != "" || c.Employees == 0 || c.Domain == "" {
			continue
		}
		f := firmo{c.Industry, c.Country, c.Employees}
		if prev, ok := seen[c.Domain]; ok {
			repeats++
			if prev != f {
				t.Fatalf("%s: %+v, earlier %+v", c.Domain, f, prev)
			}
		}
		seen[c.Domain] = f
	}
	if repeats < 1000 {
		t.Errorf("only %d people from an already-seen company; accounts should repeat", repeats)
	}
}

func TestDuplicates(t *testing.T) {
	items := collect(13, 20000)
	byID := map[string]*demo.Item{}
	for i := range items {
		byID[items[i].Lead.ID] = &items[i]
	}
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	for _, it := range items {
		if it.Truth.DuplicateOf == "" {
			continue
		}
		orig := byID[it.Truth.DuplicateOf]
		if orig == nil || orig.Truth.DuplicateOf != "" || orig.Truth.Junk != "" {
			t.Fatalf("%s: duplicate of %q, which is not an earlier original", it.Lead.ID, it.Truth.DuplicateOf)
		}
		if !it.Lead.Actions[0].At.After(orig.Lead.Actions[len(orig.Lead.Actions)-1].At) {
			t.Fatalf("%s re-submits before %s's last action", it.Lead.ID, orig.Lead.ID)
		}
		p, o := it.Lead.Person, orig.Lead.Person
		switch it.Truth.Duplicate {
		case demo.DupSameEmail:
			if p.Email != o.Email {
				t.Fatalf("%s: email %q, original %q", it.Lead.ID, p.Email, o.Email)
			}
		case demo.DupEmailCase:
			if p.Email == o.Email || !strings.EqualFold(p.Email, o.Email) {
				t.Fatalf("%s: email %q, original %q", it.Lead.ID, p.Email, o.Email)
			}
		case demo.DupSamePhone:
			if strings.EqualFold(p.Email, o.Email) || digits(p.Phone) != digits(o.Phone) || p.Phone == "" {
				t.Fatalf("%s: %q %q, original %q %q", it.Lead.ID, p.Email, p.Phone, o.Email, o.Phone)
			}
		default:
			t.Fatalf("%s: duplicate kind %q", it.Lead.ID, it.Truth.Duplicate)
		}
		if p.FirstName != o.FirstName || p.LastName != o.LastName || it.Lead.Company.Name != orig.Lead.Company.Name {
			t.Fatalf("%s: a different person than %s", it.Lead.ID, orig.Lead.ID)
		}
	}
}

// TestOutcomesFollowFit: the outcome must reward what seed 002's
// definition rewards, or backtests have nothing to find.
func TestOutcomesFollowFit(t *testing.T) {
	items := collect(17, 40000)
	winRate := func(f func(*demo.Item) bool) (float64, int) {
		n, won := 0, 0
		for i := range items {
			it := &items[i]
			if it.Truth.Junk != "" || it.Truth.DuplicateOf != "" || !f(it) {
				continue
			}
			n++
			if it.Outcome == demo.Won {
				won++
			}
		}
		return float64(won) / float64(max(n, 1)), n
	}
	vpPlus := func(it *demo.Item) bool {
		return slices.Contains([]string{"vp", "svp", "c_level"}, it.Lead.Person.Seniority)
	}
	northAmerica := func(it *demo.Item) bool { c := it.Lead.Company.Country; return c == "US" || c == "CA" }
	strongBANT := func(it *demo.Item) bool {
		q := it.Qualification
		return q != nil && q.Authority == lead.DecisionMaker && q.Need == lead.NeedConfirmed
	}
	weakBANT := func(it *demo.Item) bool {
		q := it.Qualification
		return q != nil && q.Authority != lead.DecisionMaker && q.Need == lead.NeedNone
	}
	tests := []struct {
		name         string
		better, than func(*demo.Item) bool
	}{
		{"life sciences vs other industries", func(it *demo.Item) bool { return it.Lead.Company.Industry == "life_sciences" },
			func(it *demo.Item) bool { return it.Lead.Company.Industry != "life_sciences" }},
		{"VP+ vs staff", vpPlus, func(it *demo.Item) bool { return it.Lead.Person.Seniority == "staff" }},
		{"US/CA vs Latin America", northAmerica, func(it *demo.Item) bool { return !northAmerica(it) && it.Lead.Company.Country != "ES" }},
		{"strong vs weak BANT", strongBANT, weakBANT},
		{"qualified vs not", func(it *demo.Item) bool { return it.Qualification != nil }, func(it *demo.Item) bool { return it.Qualification == nil }},
		{"high vs low fit", func(it *demo.Item) bool { return it.Truth.Fit > 1.5 }, func(it *demo.Item) bool { return it.Truth.Fit < 0.5 }},
	}
	for _, tt := range tests {
		a, na := winRate(tt.better)
		b, nb := winRate(tt.than)
		if na < 100 || nb < 100 || a < 1.5*b {
			t.Errorf("%s: won %.1f%% (n=%d) vs %.1f%% (n=%d), want at least 1.5×", tt.name, 100*a, na, 100*b, nb)
		}
	}
}

func TestInquiry(t *testing.T) {
	at := time.Date(2026, 11, 20, 15, 4, 5, 0, time.UTC)
	r1 := rand.New(rand.NewPCG(1, 2))
	r2 := rand.New(rand.NewPCG(1, 2))
	emails := map[string]bool{}
	for range 2000 {
		l := demo.Inquiry(r1, at)
		if !reflect.DeepEqual(l, demo.Inquiry(r2, at)) {
			t.Fatal("Inquiry is not deterministic for the same random source")
		}
		if len(l.Actions) != 1 || !l.Actions[0].At.Equal(at) || l.Actions[0].Type == "" {
			t.Fatalf("actions %+v, want one at %v", l.Actions, at)
		}
		if err := lead.Validate(&l, nil, nil); err != nil {
			t.Fatal(err)
		}
		if l.Person.Email == "" || l.Source.Format == "" {
			t.Fatalf("incomplete inquiry %+v", l)
		}
		emails[strings.ToLower(l.Person.Email)] = true
	}
	if len(emails) < 1800 {
		t.Errorf("%d distinct emails in 2000 inquiries", len(emails))
	}
}

func TestEvent(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	types := map[string]int{}
	for _, lang := range []string{"es", "pt", "en", "fr", ""} {
		l := lead.Lead{Person: lead.Person{Language: lang}}
		for range 500 {
			e := demo.Event(r, &l, at)
			if !e.At.Equal(at) || e.Type == "" || len(e.Props) == 0 {
				t.Fatalf("event %+v", e)
			}
			types[e.Type]++
		}
	}
	if types["page_view"] < len(types)*100 || len(types) < 4 {
		t.Errorf("event mix %v: want mostly page views and several types", types)
	}
}
