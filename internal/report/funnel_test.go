package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/definition"
	"github.com/pistahq/pista/internal/report"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

var bogota = func() *time.Location {
	loc, err := time.LoadLocation("America/Bogota")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is a time in Bogotá in November 2026 (day, hour, minute). The team
// works 08:00-17:00 on the Colombian calendar: 9 business hours a day;
// Monday 16 November is a holiday.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, bogota)
}

var (
	november = [2]time.Time{time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	allTime  = [2]time.Time{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}
)

func noDefinition() *definition.Definition { return nil }

// scenario writes thirty-odd leads through every path and returns the
// reports over them.
func scenario(t *testing.T, db *store.DB) *report.Reports {
	ctx := context.Background()
	if err := db.PutTeam(ctx, &store.Team{Name: "ventas", Calendar: json.RawMessage(`{"Country":"CO","Timezone":"America/Bogota","Hours":"08:00-17:00"}`)}, at(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	h := &history{t: t, db: db}
	web := func(day, hour int, stage, band string, score float64) person {
		return person{at: at(day, hour, 0), source: "web_form", campaign: "feria", form: "precios", country: "US", band: band,
			team: "ventas", owner: "ana@x", score: score, stage: stage, version: "v1"}
	}
	// L1: straight to won, one step a day or so.
	l1 := h.lead(web(9, 9, "inquiry", "A", 90))
	h.move(l1, at(9, 10, 0), "inquiry", "mql", "v1")   // 1.0 h
	h.move(l1, at(9, 12, 0), "mql", "sal", "")         // 2.0 h
	h.move(l1, at(10, 9, 0), "sal", "sql", "v1")       // 12-17 + 8-9 = 6.0 h
	h.move(l1, at(11, 9, 0), "sql", "opportunity", "") // 9.0 h
	h.move(l1, at(13, 9, 0), "opportunity", "won", "") // 18.0 h
	h.won(l1, 1000, "USD")
	// L2: an MQL at once, won the next day.
	l2 := h.lead(web(9, 9, "mql", "A", 85))
	h.move(l2, at(9, 9, 30), "mql", "sal", "")          // 0.5
	h.move(l2, at(9, 11, 0), "sal", "sql", "v1")        // 1.5
	h.move(l2, at(9, 15, 0), "sql", "opportunity", "")  // 4.0
	h.move(l2, at(10, 15, 0), "opportunity", "won", "") // 9.0
	h.won(l2, 500, "EUR")
	// L3: rejected and disqualified.
	l3 := h.lead(web(9, 9, "mql", "A", 60))
	h.reject(l3, at(9, 13, 0), "no_budget", "mql", "disqualified")
	// L4: rejected to nurture, recycled two weeks later, an MQL again
	// under v2, accepted: recycled, came back, converted.
	l4 := h.lead(web(9, 9, "mql", "A", 60))
	h.reject(l4, at(9, 10, 0), "bad_timing", "mql", "nurture")
	h.recycle(l4, at(23, 9, 0), "inquiry")
	h.move(l4, at(23, 10, 0), "inquiry", "mql", "v2")
	h.move(l4, at(24, 9, 0), "mql", "sal", "") // 9 Nov 9:00 → 24 Nov 9:00: 8+36+36+9+1 = 90.0 h
	// L5: recycled and back, not converted.
	l5 := h.lead(web(9, 9, "mql", "A", 60))
	h.reject(l5, at(9, 10, 0), "wrong_contact", "mql", "nurture")
	h.recycle(l5, at(23, 9, 0), "inquiry")
	// L6: recycled, not back yet.
	l6 := h.lead(web(9, 9, "mql", "A", 60))
	h.reject(l6, at(10, 9, 0), "not_a_fit", "mql", "nurture")
	// L7: a person who came twice, the second time through the API: one lead.
	l7 := h.lead(web(9, 9, "inquiry", "A", 50))
	h.inquiryAgain(l7, at(12, 9, 0), "api", "otra")
	// L8: reassigned from Ana to Beto after a breach, accepted by Beto.
	l8 := h.lead(web(10, 9, "mql", "A", 60))
	h.update(l8, func(l *store.Lead) { l.Owner = "beto@x" })
	h.move(l8, at(12, 9, 0), "mql", "sal", "") // 8 + 9 + 1 = 18.0 h
	// Twelve inquiries that went no further; three nurtured at once by
	// band (never MQLs: not recycled).
	for i := range 12 {
		band, stage := "B", "inquiry"
		if i < 3 {
			band, stage = "C", "nurture"
		}
		h.lead(web(11, 9, stage, band, 30))
	}
	// Webinar attendees from Mexico.
	wb := func(day, hour int, band string, score float64) person {
		return person{at: at(day, hour, 0), source: "webinar_list", campaign: "webinar-nov", country: "MX", band: band,
			team: "ventas", owner: "beto@x", score: score, stage: "inquiry", version: "v2"}
	}
	// L21: a BDR's BANT call takes it from inquiry to SQL under v2.
	l21 := h.lead(wb(9, 9, "A", 80))
	h.move(l21, at(10, 10, 0), "inquiry", "sql", "v2") // mql 8+2 = 10.0, sal 0, sql 0
	// L22: an MQL an hour after the inquiry.
	l22 := h.lead(wb(9, 9, "B", 40))
	h.move(l22, at(9, 10, 0), "inquiry", "mql", "v2")
	for range 8 {
		h.lead(wb(12, 9, "C", 10))
	}
	// L31: October's MQL accepted in November (flow, not cohort).
	l31 := h.lead(person{at: time.Date(2026, 10, 30, 9, 0, 0, 0, bogota), source: "web_form", country: "US", band: "A", team: "ventas",
		owner: "ana@x", score: 70, stage: "mql", version: "v1"})
	h.move(l31, at(10, 9, 0), "mql", "sal", "")
	// L32: merged away into another lead: never counted.
	l32 := h.lead(web(9, 9, "mql", "A", 60))
	h.update(l32, func(l *store.Lead) { l.MergedInto = l1 })
	return report.New(db, noDefinition)
}

func f(v float64) *float64 { return &v }

func TestFunnelScenario(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			rep := scenario(t, target.Open(t))
			fun, err := rep.Funnel(ctx, report.Query{From: november[0], To: november[1], GroupBy: []string{"source"}})
			if err != nil {
				t.Fatal(err)
			}
			tot := fun.Total
			wantCounts := map[string]int64{"inquiry": 30, "mql": 9, "sal": 5, "sql": 3, "opportunity": 2, "won": 2}
			if !reflect.DeepEqual(tot.Counts, wantCounts) {
				t.Errorf("counts %v, want %v", tot.Counts, wantCounts)
			}
			checkFloats(t, "rates", tot.Rates, map[string]*float64{"mql": f(0.3), "sal": f(0.5556), "sql": f(0.6), "opportunity": f(0.6667), "won": f(1)})
			checkFloats(t, "median hours", tot.MedianHours, map[string]*float64{"mql": f(0), "sal": f(2), "sql": f(1.5), "opportunity": f(4), "won": f(9)})
			checkFloats(t, "p90 hours", tot.P90Hours, map[string]*float64{"mql": f(10), "sal": f(90), "sql": f(6), "opportunity": f(9), "won": f(18)})
			if !reflect.DeepEqual(tot.WonAmount, map[string]float64{"USD": 1000, "EUR": 500}) {
				t.Errorf("won amount %v", tot.WonAmount)
			}
			wantReasons := map[string]int64{"no_budget": 1, "bad_timing": 1, "wrong_contact": 1, "not_a_fit": 1}
			if tot.Rejected.Count != 4 || *tot.Rejected.Share != 0.4444 || !reflect.DeepEqual(tot.Rejected.Reasons, wantReasons) {
				t.Errorf("rejected %+v", tot.Rejected)
			}
			if r := tot.Recycled; r.Count != 3 || *r.Share != 0.3333 || r.CameBack != 2 || r.Converted != 1 {
				t.Errorf("recycled %+v", r)
			}
			if len(fun.Groups) != 2 || fun.Groups[0].Key != "web_form" || fun.Groups[1].Key != "webinar_list" {
				t.Fatalf("groups %+v", fun.Groups)
			}
			webForm, webinar := fun.Groups[0], fun.Groups[1]
			if want := map[string]int64{"inquiry": 20, "mql": 7, "sal": 4, "sql": 2, "opportunity": 2, "won": 2}; !reflect.DeepEqual(webForm.Counts, want) {
				t.Errorf("web_form counts %v", webForm.Counts)
			}
			if want := map[string]int64{"inquiry": 10, "mql": 2, "sal": 1, "sql": 1, "opportunity": 0, "won": 0}; !reflect.DeepEqual(webinar.Counts, want) {
				t.Errorf("webinar counts %v", webinar.Counts)
			}
			// A rate over zero is null; a rate of zero is zero.
			checkFloats(t, "webinar rates", webinar.Rates, map[string]*float64{"mql": f(0.2), "sal": f(0.5), "sql": f(1), "opportunity": f(0), "won": nil})
			checkFloats(t, "webinar median", webinar.MedianHours, map[string]*float64{"mql": f(1), "sal": f(0), "sql": f(0), "opportunity": nil, "won": nil})
			b, _ := json.Marshal(webinar)
			if !strings.Contains(string(b), `"won":null`) || strings.Contains(string(b), "NaN") {
				t.Errorf("JSON of a rate over zero: %s", b)
			}

			// The MQL belongs to the version that made it: L4 stays v1
			// although v2 made it an MQL again after the recycle.
			byVersion, err := rep.Funnel(ctx, report.Query{From: november[0], To: november[1], GroupBy: []string{"definition_version"}})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			for _, g := range byVersion.Groups {
				got[g.Key] = g.Counts["mql"]
			}
			if want := map[string]int64{"": 0, "v1": 7, "v2": 2}; !reflect.DeepEqual(got, want) {
				t.Errorf("MQLs by version %v, want %v", got, want)
			}
			// Owner is the current one: L8 counts for Beto.
			byOwner, err := rep.Funnel(ctx, report.Query{From: november[0], To: november[1], GroupBy: []string{"owner"},
				Filters: map[string][]string{"source": {"web_form"}}})
			if err != nil {
				t.Fatal(err)
			}
			if len(byOwner.Groups) != 2 || byOwner.Groups[1].Key != "beto@x" || byOwner.Groups[1].Counts["sal"] != 1 || byOwner.Groups[0].Counts["sal"] != 3 {
				t.Errorf("by owner %+v", byOwner.Groups)
			}
			// The form and campaign of the first inquiry, not of the later one.
			byForm, err := rep.Funnel(ctx, report.Query{From: november[0], To: november[1], GroupBy: []string{"form", "campaign"}})
			if err != nil {
				t.Fatal(err)
			}
			keys := []string{}
			for _, g := range byForm.Groups {
				keys = append(keys, g.Key)
			}
			if want := []string{" / webinar-nov", "precios / feria"}; !reflect.DeepEqual(keys, want) {
				t.Errorf("form / campaign keys %q, want %q", keys, want)
			}

			// The flow of November counts October's lead accepted then.
			flow, err := rep.Funnel(ctx, report.Query{From: november[0], To: november[1], Flow: true})
			if err != nil {
				t.Fatal(err)
			}
			if want := map[string]int64{"inquiry": 30, "mql": 9, "sal": 6, "sql": 3, "opportunity": 2, "won": 2}; !reflect.DeepEqual(flow.Total.Counts, want) {
				t.Errorf("flow counts %v, want %v", flow.Total.Counts, want)
			}

			// CSV: the total first, a row per group.
			var buf bytes.Buffer
			if err := fun.Table().WriteCSV(&buf); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if len(lines) != 4 || !strings.HasPrefix(lines[0], "group,source,inquiry,mql,sal,sql,opportunity,won,rate_mql") ||
				!strings.HasPrefix(lines[1], "total,,30,9,5,3,2,2,0.3,0.5556,0.6,0.6667,1,") {
				t.Errorf("csv:\n%s", buf.String())
			}
		})
	}
}

func TestBandsScenario(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			t.Parallel()
			rep := scenario(t, target.Open(t))
			b, err := rep.Bands(context.Background(), report.Query{From: november[0], To: november[1]})
			if err != nil {
				t.Fatal(err)
			}
			if b.Total.Leads != 30 || b.Total.Counts["sal"] != 5 || *b.Total.Rates["sal"] != 0.1667 {
				t.Errorf("total %+v", b.Total)
			}
			if len(b.Bands) != 3 {
				t.Fatalf("bands %+v", b.Bands)
			}
			a, bb, c := b.Bands[0], b.Bands[1], b.Bands[2]
			if a.Name != "A" || a.Leads != 9 || a.Counts["sal"] != 5 || a.Counts["won"] != 2 || *a.Rates["sal"] != 0.5556 {
				t.Errorf("band A %+v", a)
			}
			checkFloats(t, "lift A", a.Lift, map[string]*float64{"sal": f(3.33), "sql": f(3.33), "opportunity": f(3.33), "won": f(3.33)})
			if bb.Name != "B" || bb.Leads != 10 || *bb.Lift["sal"] != 0 || c.Name != "C" || c.Leads != 11 {
				t.Errorf("bands B %+v C %+v", bb, c)
			}
			if len(b.Deciles) != 10 {
				t.Fatalf("deciles %+v", b.Deciles)
			}
			top := b.Deciles[0]
			if top.Name != "1" || top.Leads != 3 || top.Counts["sal"] != 3 || top.Counts["won"] != 2 {
				t.Errorf("top decile %+v", top)
			}
			var sum int64
			for _, d := range b.Deciles {
				sum += d.Leads
			}
			if sum != 30 {
				t.Errorf("deciles hold %d leads", sum)
			}
		})
	}
}

func checkFloats(t *testing.T, what string, got, want map[string]*float64) {
	t.Helper()
	for k, w := range want {
		g := got[k]
		if (g == nil) != (w == nil) || (g != nil && *g != *w) {
			t.Errorf("%s[%s] = %v, want %v", what, k, show(g), show(w))
		}
	}
}

func show(v *float64) any {
	if v == nil {
		return "null"
	}
	return *v
}
