package intake

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

func knownService(t *testing.T, db *store.DB, now func() time.Time) *Service {
	t.Helper()
	s, err := New(context.Background(), Config{DB: db, Now: now, MaxBatch: 64})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	src, err := os.ReadFile("../../examples/definitions/instrumentos.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDefinition(context.Background(), "instrumentos.yaml", src, true); err != nil {
		t.Fatal(err)
	}
	return s
}

func knownInquiry(action string) Inquiry {
	return Inquiry{
		Person:  lead.Person{Email: "laura.chen@helixbio.com", FirstName: "Laura", LastName: "Chen", Seniority: "vp", Country: "US", Phone: "+16175550142"},
		Company: lead.Company{Name: "Helix Biosciences", Industry: "life_sciences", Revenue: lead.Money{Amount: 4.2e9, Currency: "USD"}, Country: "US"},
		Source:  lead.Source{Format: "web_form"},
		Action:  lead.Action{Type: action},
	}
}

// write prepares inquiries as a batch does, merging known people ahead
// (their inquiries judged for quality only) unless ahead is false, lets
// between run, and writes them.
func write(t *testing.T, s *Service, ins []Inquiry, ahead bool, between func()) []*submission {
	t.Helper()
	subs := prepared(t, s, ins, ahead)
	if between != nil {
		between()
	}
	return written(t, s, subs)
}

// prepared is write's preparing: what SubmitBatch does for one request
// before the writer.
func prepared(t *testing.T, s *Service, ins []Inquiry, ahead bool) []*submission {
	t.Helper()
	var subs []*submission
	for i := range ins {
		sub, err := s.readNew(&ins[i], nil, s.now()) // evaluated below, as SubmitBatch does
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
	}
	if ahead {
		s.prepareKnown(context.Background(), subs)
	}
	if err := s.encodeUnknown(subs); err != nil {
		t.Fatal(err)
	}
	return subs
}

// written is write's writing: the prepared inquiries in one group.
func written(t *testing.T, s *Service, subs []*submission) []*submission {
	t.Helper()
	ctx := context.Background()
	if err := s.writer.submit(ctx, subs); err != nil {
		t.Fatal(err)
	}
	for _, sub := range subs {
		if sub.err != nil {
			t.Fatal(sub.err)
		}
	}
	return subs
}

// A known person's inquiry merged ahead of the writer leaves the same
// lead, answer, merge record and timeline as one merged in the writer:
// from a source that vouches for it (its details taken over) and from one
// that does not (an integration's token: it fills blanks only, and is
// recorded without changing the lead when it would lower it).
func TestKnownMergedAheadAsInWriter(t *testing.T) {
	trusted := knownInquiry("content_download")
	trusted.Person.Title, trusted.Person.Phone, trusted.Company.Domain = "Head of Lab", "+16175550199", "helix.example"
	trusted.Person.Attributes = map[string]any{"campaign": "fall"}
	fills := trusted
	fills.Untrusted = true
	// With five product pages viewed, a price request makes an MQL; a
	// newsletter sign-up after it would not be one.
	lowers := knownInquiry("newsletter_signup")
	lowers.Person.FirstName, lowers.Company.Name, lowers.Company.Country, lowers.Untrusted = "Mallory", "Evil Corp", "MX", true
	cases := []struct {
		name  string
		pages int // product pages the person viewed before
		again Inquiry
		check func(l *store.Lead, merge string) string // what is wrong, or ""
	}{
		{"vouched for", 0, trusted, func(l *store.Lead, merge string) string {
			if len(l.Data.Actions) != 2 || l.Data.Person.Title != "Head of Lab" || l.Phone != "+16175550199" || strings.Contains(merge, `"reported"`) {
				return "the inquiry's details were not taken over"
			}
			return ""
		}},
		{"untrusted, filling blanks", 0, fills, func(l *store.Lead, merge string) string {
			if len(l.Data.Actions) != 2 || l.Data.Person.Title != "Head of Lab" || l.Phone != "+16175550142" ||
				!strings.Contains(merge, `"fill_only":true`) || !strings.Contains(merge, `"person.phone":"+16175550199"`) {
				return "want the title's blank filled, the phone kept and the other one reported"
			}
			return ""
		}},
		{"untrusted, lowering the lead", 5, lowers, func(l *store.Lead, merge string) string {
			if len(l.Data.Actions) != 1 || l.Data.Person.FirstName != "Laura" || l.Stage() != "mql" || !strings.Contains(merge, `"held":true`) {
				return "want the lead left as it was, an MQL with one action, and the inquiry held"
			}
			return ""
		}},
	}
	for _, target := range storetest.Targets() {
		for _, c := range cases {
			t.Run(target.Name+"/"+c.name, func(t *testing.T) {
				knownMergedAheadAsInWriter(t, target, c.pages, c.again, c.check)
			})
		}
	}
}

func knownMergedAheadAsInWriter(t *testing.T, target storetest.Target, pages int, again Inquiry, check func(*store.Lead, string) string) {
	ctx := context.Background()
	clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
	var states [2]struct {
		lead     *store.Lead
		body     []byte
		timeline []string
		merge    []byte
	}
	for i, ahead := range []bool{true, false} {
		db := target.Open(t)
		s := knownService(t, db, clk.Now)
		if pages > 0 {
			var views []EventIn
			for i := range pages {
				views = append(views, EventIn{Email: "laura.chen@helixbio.com", Type: "page_view",
					At: clk.Now().Add(-time.Hour + time.Duration(i)*time.Minute), Props: map[string]any{"category": "product"}})
			}
			if _, err := s.AddEvents(ctx, views, nil); err != nil {
				t.Fatal(err)
			}
		}
		write(t, s, []Inquiry{knownInquiry("price_request")}, true, nil)
		other := knownInquiry("webinar_attended")
		other.Person.Email, other.Person.Phone = "ana@helixbio.com", ""
		subs := write(t, s, []Inquiry{again, other}, ahead, nil)
		if ahead && (subs[0].known == nil || !subs[0].known.saved) {
			t.Fatalf("the known person's inquiry was not saved as merged ahead (merged ahead: %t)", subs[0].known != nil)
		}
		if subs[1].known != nil {
			t.Errorf("a new person was read as known")
		}
		if subs[0].res.Created || subs[0].res.MergedBy != "email" || !subs[1].res.Created {
			t.Fatalf("outcomes: %+v, %+v", subs[0].res, subs[1].res)
		}
		l, err := db.Lead(ctx, subs[0].res.LeadID)
		if err != nil {
			t.Fatal(err)
		}
		states[i].lead, states[i].body = l, subs[0].body
		entries, err := db.Timeline(ctx, l.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			states[i].timeline = append(states[i].timeline, e.Kind+" "+string(e.Data))
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			merges, err := tx.MergesOf(ctx, l.ID)
			if len(merges) != 1 {
				t.Fatalf("%d merges", len(merges))
			}
			states[i].merge = merges[0].Data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	a, b := states[0], states[1]
	if string(a.body) != string(b.body) {
		t.Errorf("answer merged ahead:\n%s\nin the writer:\n%s", a.body, b.body)
	}
	if string(a.merge) != string(b.merge) {
		t.Errorf("merge record ahead:\n%s\nin the writer:\n%s", a.merge, b.merge)
	}
	if !slices.Equal(a.timeline, b.timeline) {
		t.Errorf("timeline ahead:\n%q\nin the writer:\n%q", a.timeline, b.timeline)
	}
	la, lb := a.lead, b.lead
	if err := la.Encode(); err != nil {
		t.Fatal(err)
	}
	if err := lb.Encode(); err != nil {
		t.Fatal(err)
	}
	if string(la.Encoded.Data) != string(lb.Encoded.Data) || string(la.Encoded.Eval) != string(lb.Encoded.Eval) ||
		la.Email != lb.Email || la.Phone != lb.Phone || la.CompanyID != lb.CompanyID || la.CompanyID == 0 ||
		!la.UpdatedAt.Equal(lb.UpdatedAt) || la.Stage() != lb.Stage() {
		t.Errorf("lead merged ahead:\n%+v\nin the writer:\n%+v", la, lb)
	}
	if what := check(la, string(a.merge)); what != "" {
		t.Errorf("%s: lead %+v, stage %s, phone %s; merge %s", what, la.Data, la.Stage(), la.Phone, a.merge)
	}
}

// A lead that changes between being merged ahead and the write is merged
// again in the writer, with the change: nothing is lost, even when the
// clock has not moved (updated_at moves forward on every change).
func TestKnownChangedBeforeTheWrite(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			db := target.Open(t)
			s := knownService(t, db, clk.Now)
			first := write(t, s, []Inquiry{knownInquiry("price_request")}, true, nil)[0].res
			if first.Stage == "mql" {
				t.Fatalf("already an MQL before its events: the test proves nothing")
			}

			// Another inquiry of hers is written meanwhile.
			subs := write(t, s, []Inquiry{knownInquiry("content_download")}, true, func() {
				if _, err := s.Submit(ctx, knownInquiry("webinar_attended"), nil); err != nil {
					t.Fatal(err)
				}
			})
			if subs[0].known == nil || subs[0].known.saved {
				t.Fatalf("merged ahead and saved over a change (merged ahead: %t)", subs[0].known != nil)
			}
			l, err := db.Lead(ctx, first.LeadID)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, a := range l.Data.Actions {
				actions = append(actions, a.Type)
			}
			if !slices.Equal(actions, []string{"price_request", "webinar_attended", "content_download"}) {
				t.Errorf("actions %v", actions)
			}

			// Events arrive meanwhile: the lead becomes an MQL with them.
			subs = write(t, s, []Inquiry{knownInquiry("price_request")}, true, func() {
				var events []EventIn
				for i := range 6 {
					events = append(events, EventIn{LeadID: first.LeadID, Type: "page_view", At: clk.Now().Add(-time.Duration(i+1) * time.Minute), Props: map[string]any{"category": "product"}})
				}
				if _, err := s.AddEvents(ctx, events, nil); err != nil {
					t.Fatal(err)
				}
			})
			if subs[0].known == nil || subs[0].known.saved {
				t.Fatalf("merged ahead and saved over new events (merged ahead: %t)", subs[0].known != nil)
			}
			if l, err = db.Lead(ctx, first.LeadID); err != nil {
				t.Fatal(err)
			}
			if l.Eval.Stage != "mql" {
				t.Errorf("stage %s after six product pages: evaluated without them", l.Eval.Stage)
			}
			if n := len(l.Data.Actions); n != 4 {
				t.Errorf("%d actions", n)
			}
		})
	}
}

// A person found by phone and merged ahead, whose lead then takes another
// phone, is new after all: the writer stores the inquiry as a new lead,
// evaluated whole although it was only judged for its quality when it
// was merged ahead. The lead's phone changes either before the writer's
// group (another transaction) or in it, by another request's inquiry
// written first.
func TestKnownNewAfterAll(t *testing.T) {
	for _, target := range storetest.Targets() {
		for _, inGroup := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/in the group %t", target.Name, inGroup), func(t *testing.T) {
				knownNewAfterAll(t, target, inGroup)
			})
		}
	}
}

func knownNewAfterAll(t *testing.T, target storetest.Target, inGroup bool) {
	ctx := context.Background()
	clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
	db := target.Open(t)
	s := knownService(t, db, clk.Now)
	first := write(t, s, []Inquiry{knownInquiry("price_request")}, true, nil)[0].res
	other := knownInquiry("content_download") // her phone, another person's address
	other.Person.Email, other.Person.FirstName = "marta@helixbio.com", "Marta"
	again := knownInquiry("webinar_attended") // Laura's lead takes a new phone
	again.Person.Phone = "+16175550199"
	var subs []*submission
	if inGroup {
		before := prepared(t, s, []Inquiry{again}, true)
		subs = prepared(t, s, []Inquiry{other}, true)
		written(t, s, append(before, subs...))
	} else {
		subs = write(t, s, []Inquiry{other}, true, func() {
			if _, err := s.Submit(ctx, again, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
	if subs[0].known == nil || subs[0].known.k.By != "phone" {
		t.Fatalf("not merged ahead by phone: %+v", subs[0].known)
	}
	res := subs[0].res
	if !res.Created || res.LeadID == first.LeadID {
		t.Fatalf("outcome %+v: want a new lead", res)
	}
	l, err := db.Lead(ctx, res.LeadID)
	if err != nil {
		t.Fatal(err)
	}
	ref := other
	want, err := s.evaluateNew(&ref, nil, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, w := l.Eval, want.fresh.Eval
	if got == nil || got.Stage == "" || got.Band != w.Band || got.Total != w.Total || got.Stage != w.Stage ||
		len(got.Explanation) != len(w.Explanation) {
		t.Errorf("stored evaluation %+v\nwant %+v", got, w)
	}
	if res.Band != w.Band || res.Score != w.Total {
		t.Errorf("answer %+v, want band %s score %v", res, w.Band, w.Total)
	}
}

// Known people whose leads no earlier inquiry of the group can touch are
// saved together, in one round trip on PostgreSQL (saveKnownAhead): the
// leads, answers and timelines are those of saving them one by one, a
// person named twice in the group is merged in order, and a lead changed
// meanwhile is merged again in the writer.
func TestKnownSavedTogether(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			person := func(email, action string) Inquiry {
				in := knownInquiry(action)
				in.Person.Email, in.Person.Phone = email, ""
				return in
			}
			emails := []string{"ana@helixbio.com", "bea@helixbio.com", "caro@helixbio.com"}
			type state struct {
				bodies, leads []string
			}
			var states [2]state
			for i, together := range []bool{true, false} {
				clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
				db := target.Open(t)
				s := knownService(t, db, clk.Now)
				var first []Inquiry
				for _, e := range emails {
					first = append(first, person(e, "price_request"))
				}
				first[1].Person.Phone = "+16175550111"
				// An inquiry with Bea's phone and another e-mail, before
				// hers: merged into her lead first, so hers cannot be saved
				// ahead of it.
				byPhone := person("bea.personal@example.com", "content_download")
				byPhone.Person.Phone = "+16175550111"
				write(t, s, first, true, nil)
				clk.Advance(time.Minute)
				group := []Inquiry{person(emails[0], "content_download"), byPhone, person(emails[1], "webinar_attended"),
					person("dani@helixbio.com", "price_request"), person(emails[0], "webinar_attended"), person(emails[2], "content_download")}
				if !together {
					for _, in := range group {
						write(t, s, []Inquiry{in}, true, nil) // one by one
					}
				}
				var subs []*submission
				if together {
					// Caro's lead changes after it was merged ahead.
					subs = write(t, s, group, true, func() {
						if _, err := s.Submit(ctx, person(emails[2], "webinar_attended"), nil); err != nil {
							t.Fatal(err)
						}
					})
					pg := db.Dialect() == store.Postgres
					if got := subs[0].known != nil && subs[0].known.ahead; got != pg {
						t.Errorf("Ana's lead saved with the others: %t, want %t (PostgreSQL)", got, pg)
					}
					if subs[4].known != nil && subs[4].known.ahead {
						t.Errorf("Ana's second inquiry saved ahead of her first")
					}
					if k := subs[5].known; k == nil || k.saved {
						t.Errorf("Caro's lead saved over a change")
					}
					for _, sub := range subs {
						states[i].bodies = append(states[i].bodies, string(sub.body))
					}
				} else if _, err := s.Submit(ctx, person(emails[2], "webinar_attended"), nil); err != nil {
					t.Fatal(err)
				}
				for _, e := range append(emails, "dani@helixbio.com") {
					id, _, err := db.FindLead(ctx, e, "", "")
					if err != nil {
						t.Fatal(err)
					}
					l, err := db.Lead(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					var actions []string
					for _, a := range l.Data.Actions {
						actions = append(actions, a.Type)
					}
					states[i].leads = append(states[i].leads, e+" "+l.Stage()+" "+strings.Join(actions, ","))
				}
			}
			for _, l := range states[0].leads[:2] {
				if !strings.HasSuffix(l, " price_request,content_download,webinar_attended") {
					t.Errorf("lead %q: want its three actions in order", l)
				}
			}
			caro := states[0].leads[2]
			if !strings.HasSuffix(caro, "price_request,webinar_attended,content_download") {
				t.Errorf("Caro's lead %q: the change made meanwhile is lost or out of order", caro)
			}
			// Saved together or one by one: the same leads (Caro's
			// inquiries arrived in another order one by one).
			for j := range 2 {
				if states[0].leads[j] != states[1].leads[j] {
					t.Errorf("lead saved together %q, one by one %q", states[0].leads[j], states[1].leads[j])
				}
			}
			if states[0].leads[3] != states[1].leads[3] {
				t.Errorf("new lead %q, one by one %q", states[0].leads[3], states[1].leads[3])
			}
			for j, b := range states[0].bodies {
				if b == "" || !strings.Contains(b, `"lead_id"`) {
					t.Errorf("inquiry %d answered %q", j, b)
				}
			}
		})
	}
}

// On PostgreSQL an instance runs 1 group-commit transaction at a time on a
// machine of at most 2 processors, 2 for an import, and 4 at once on a
// larger one.
func TestDefaultPGWriters(t *testing.T) {
	for _, c := range []struct {
		procs int
		bulk  bool
		want  int
	}{{1, false, 1}, {2, false, 1}, {1, true, 2}, {2, true, 2}, {3, false, 4}, {3, true, 4}, {8, false, 4}, {64, true, 4}} {
		if got := defaultPGWriters(c.procs, c.bulk); got != c.want {
			t.Errorf("%d processors, bulk %v: %d writers, want %d", c.procs, c.bulk, got, c.want)
		}
	}
}
