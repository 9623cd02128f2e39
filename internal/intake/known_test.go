package intake

import (
	"context"
	"os"
	"slices"
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
// unless ahead is false, lets between run, and writes them.
func write(t *testing.T, s *Service, ins []Inquiry, ahead bool, between func()) []*submission {
	t.Helper()
	ctx := context.Background()
	var subs []*submission
	for i := range ins {
		sub, err := s.evaluateNew(&ins[i], nil, s.now())
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
	}
	if ahead {
		s.prepareKnown(ctx, subs)
	}
	if err := s.encodeUnknown(subs); err != nil {
		t.Fatal(err)
	}
	if between != nil {
		between()
	}
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
// lead, answer, merge record and timeline as one merged in the writer.
func TestKnownMergedAheadAsInWriter(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
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
				write(t, s, []Inquiry{knownInquiry("price_request")}, true, nil)
				again := knownInquiry("content_download")
				again.Person.Title, again.Person.Phone, again.Company.Domain = "Head of Lab", "+16175550199", "helix.example"
				again.Person.Attributes = map[string]any{"campaign": "fall"}
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
			if len(la.Data.Actions) != 2 || la.Data.Person.Title != "Head of Lab" || la.Phone != "+16175550199" {
				t.Errorf("merged lead: %+v", la.Data)
			}
		})
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
