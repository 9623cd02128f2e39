package intake_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
	"github.com/pistahq/pista/internal/testenv"
)

func newService(t *testing.T, db *store.DB, clk *testenv.Clock) *intake.Service {
	t.Helper()
	s, err := intake.New(context.Background(), intake.Config{DB: db, Now: clk.Now, MaxBatch: 64})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	activate(t, s)
	return s
}

func activate(t testing.TB, s *intake.Service) {
	t.Helper()
	src, err := os.ReadFile("../../examples/definitions/instrumentos.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDefinition(context.Background(), "instrumentos.yaml", src, true); err != nil {
		t.Fatal(err)
	}
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return v
}

func laura() intake.Inquiry {
	return intake.Inquiry{
		Person:  lead.Person{Email: " Laura.Chen@HelixBio.com ", FirstName: "Laura", LastName: "Chen", Seniority: "vp", Country: "us", Phone: "(617) 555-0142"},
		Company: lead.Company{Name: "Helix Biosciences", Industry: "life_sciences", Revenue: lead.Money{Amount: 4.2e9, Currency: "USD"}, Country: "US"},
		Source:  lead.Source{Format: "web_form"},
		Action:  lead.Action{Type: "price_request"},
	}
}

func TestIntakeScenario(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			s := newService(t, db, clk)

			// Anonymous behaviour first: five product pages today.
			var events []intake.EventIn
			for i := range 5 {
				events = append(events, intake.EventIn{Email: "laura.chen@helixbio.com", Type: "page_view", At: clk.Now().Add(-time.Duration(i+1) * time.Minute), Props: map[string]any{"category": "product"}})
			}
			ev, err := s.AddEvents(ctx, events, nil)
			if err != nil || ev.Outcome != intake.Accepted {
				t.Fatalf("events: %d %v", ev.Outcome, err)
			}
			if r := decode[intake.EventsResult](t, ev.Encoded); r.Anonymous != 5 || r.Attached != 0 || *ev.Result != r {
				t.Fatalf("events result %+v", r)
			}

			// The inquiry creates a lead, normalised, with the anonymous events attached.
			ans, err := s.Submit(ctx, laura(), nil)
			if err != nil || ans.Outcome != intake.Created {
				t.Fatalf("submit: %d %v", ans.Outcome, err)
			}
			first := decode[intake.InquiryResult](t, ans.Encoded)
			if !first.Created || first.Stage != "mql" || first.Evaluation == nil {
				t.Fatalf("first inquiry %+v", first)
			}
			l, err := db.Lead(ctx, first.LeadID)
			if err != nil {
				t.Fatal(err)
			}
			if l.Email != "laura.chen@helixbio.com" || l.Phone != "+16175550142" || l.CompanyID == 0 || l.Data.Company.Domain != "helixbio.com" {
				t.Errorf("normalised lead: email %q phone %q company %d domain %q", l.Email, l.Phone, l.CompanyID, l.Data.Company.Domain)
			}

			// Same person by e-mail (different case): merged, not duplicated.
			clk.Advance(time.Hour)
			again := laura()
			again.Person.Email = "LAURA.CHEN@helixbio.com"
			again.Person.Title = "VP Quality & Compliance"
			again.Action = lead.Action{Type: "webinar_attended"}
			ans, err = s.Submit(ctx, again, nil)
			if err != nil || ans.Outcome != intake.Merged {
				t.Fatalf("second: %d %v", ans.Outcome, err)
			}
			second := decode[intake.InquiryResult](t, ans.Encoded)
			if second.Created || second.LeadID != first.LeadID || second.MergedBy != "email" || second.MergeID == 0 {
				t.Fatalf("second inquiry %+v", second)
			}
			// By phone, with another e-mail.
			byPhone := laura()
			byPhone.Person.Email = "lchen@gmail.com"
			byPhone.Action = lead.Action{Type: "contact_form"}
			ans, err = s.Submit(ctx, byPhone, nil)
			if err != nil {
				t.Fatal(err)
			}
			third := decode[intake.InquiryResult](t, ans.Encoded)
			if third.LeadID != first.LeadID || third.MergedBy != "phone" {
				t.Fatalf("third inquiry %+v", third)
			}
			l, _ = db.Lead(ctx, first.LeadID)
			if len(l.Data.Actions) != 3 || l.Data.Person.Title != "VP Quality & Compliance" || l.Email != "laura.chen@helixbio.com" {
				t.Errorf("merged lead: %d actions, title %q, email %q", len(l.Data.Actions), l.Data.Person.Title, l.Email)
			}

			// Undo the phone merge: a separate lead again, the kept one restored.
			undo, err := s.UndoMerge(ctx, third.MergeID, "ops@example.com")
			if err != nil {
				t.Fatal(err)
			}
			l, _ = db.Lead(ctx, first.LeadID)
			split, _ := db.Lead(ctx, undo.NewID)
			if len(l.Data.Actions) != 2 || split == nil || split.Email != "lchen@gmail.com" || len(split.Data.Actions) != 1 {
				t.Errorf("after undo: kept %d actions, split %+v", len(l.Data.Actions), split)
			}
			if _, err := s.UndoMerge(ctx, third.MergeID, "ops"); err == nil {
				t.Error("undoing twice succeeded")
			}

			// A human BANT call qualifies the lead: SQL, urgent SLA.
			months := 0.5
			q, err := s.Qualify(ctx, first.LeadID, lead.Qualification{Budget: &lead.Budget{Min: 10000, Max: 20000, Currency: "USD"},
				Authority: "decision_maker", Need: "confirmed", TimingMonths: &months, By: "bdr@example.com"}, nil)
			if err != nil || q.Outcome != intake.Updated || q.Result.LeadID != first.LeadID || q.Result.Evaluation.Stage != "sql" {
				t.Fatalf("qualify: %d %+v %v", q.Outcome, q.Result, err)
			}
			if r := decode[intake.Qualified](t, q.Encoded); r.LeadID != first.LeadID || r.Evaluation == nil {
				t.Errorf("qualify's answer: %s", q.Encoded)
			}
			l, _ = db.Lead(ctx, first.LeadID)
			if l.Eval.Stage != "sql" || l.Eval.SLA == nil || l.Eval.SLA.Policy != "urgente" {
				t.Errorf("after BANT: stage %s sla %+v", l.Eval.Stage, l.Eval.SLA)
			}
			if _, err := s.Qualify(ctx, 999999, lead.Qualification{By: "x", Authority: "influencer"}, nil); !isKind(err, problem.NotFound) {
				t.Errorf("qualify unknown lead: %v", err)
			}
			if _, err := s.Qualify(ctx, first.LeadID, lead.Qualification{Authority: "influencer"}, nil); !isKind(err, problem.Invalid) {
				t.Errorf("qualify without by: %v", err)
			}

			// Timeline tells the story.
			tl, err := db.Timeline(ctx, first.LeadID, 100)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]int{}
			for _, e := range tl {
				kinds[e.Kind]++
			}
			if kinds["inquiry"] != 3 || kinds["merged"] != 2 || kinds["merge_undone"] != 1 || kinds["qualification"] != 1 || kinds["stage_changed"] < 2 {
				t.Errorf("timeline kinds %v", kinds)
			}
		})
	}
}

func isKind(err error, k problem.Kind) bool {
	pe, ok := problem.As(err)
	return ok && pe.Kind == k
}

func TestIdempotency(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			s := newService(t, db, clk)
			idem := &intake.Idem{TokenID: 1, Key: "k-1", Fingerprint: "f1"}
			a1, err := s.Submit(ctx, laura(), idem)
			if err != nil || a1.Replayed {
				t.Fatal(err, a1.Replayed)
			}
			clk.Advance(time.Minute)
			a2, err := s.Submit(ctx, laura(), idem)
			if err != nil || a2.Outcome != a1.Outcome || !a2.Replayed || string(a2.Encoded) != string(a1.Encoded) || a2.Result.LeadID != a1.Result.LeadID {
				t.Fatalf("retry: %d %v\n%s\n%s", a2.Outcome, err, a1.Encoded, a2.Encoded)
			}
			_, err = s.Submit(ctx, laura(), &intake.Idem{TokenID: 1, Key: "k-1", Fingerprint: "other"})
			if !errors.Is(err, intake.ErrIdemMismatch) {
				t.Errorf("same key, other body: %v", err)
			}
			n, _ := db.CountLiveLeads(ctx)
			if n != 1 {
				t.Errorf("%d leads", n)
			}
		})
	}
}

func TestInvalidInquiries(t *testing.T) {
	db := storetest.OpenSQLite(t)
	s := newService(t, db, testenv.NewClock(time.Now()))
	tests := []struct {
		name  string
		edit  func(*intake.Inquiry)
		field string
	}{
		{"no action", func(in *intake.Inquiry) { in.Action.Type = "" }, "action.type"},
		{"no contact", func(in *intake.Inquiry) { in.Person.Email, in.Person.Phone = "", "" }, "person.email"},
		{"bad format", func(in *intake.Inquiry) { in.Source.Format = "fax" }, "source.format"},
		{"negative employees", func(in *intake.Inquiry) { in.Company.Employees = -1 }, "company.employees"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := laura()
			tt.edit(&in)
			_, err := s.Submit(context.Background(), in, nil)
			pe, ok := problem.As(err)
			if !ok || pe.Kind != problem.Invalid || len(pe.Fields) == 0 || pe.Fields[0].Name != tt.field {
				t.Errorf("got %v", err)
			}
		})
	}
}

func TestEventsReevaluateAndDefinitionChange(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			s := newService(t, db, clk)
			in := laura()
			ans, err := s.Submit(ctx, in, nil)
			if err != nil {
				t.Fatal(err)
			}
			first := decode[intake.InquiryResult](t, ans.Encoded)
			if first.Stage != "nurture" && first.Stage != "inquiry" {
				// no behaviour yet: the lead gate needs five product pages
				t.Logf("stage before events: %s", first.Stage)
			}
			var events []intake.EventIn
			for i := range 6 {
				events = append(events, intake.EventIn{LeadID: first.LeadID, Type: "page_view", At: clk.Now().Add(-time.Duration(i+1) * time.Minute), Props: map[string]any{"category": "product"}})
			}
			if _, err := s.AddEvents(ctx, events, nil); err != nil {
				t.Fatal(err)
			}
			runCtx, cancel := context.WithCancel(ctx)
			go s.Run(runCtx)
			deadline := time.Now().Add(5 * time.Second)
			for {
				l, _ := db.Lead(ctx, first.LeadID)
				if l.Eval.Stage == "mql" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("not re-evaluated after events: %s", l.Eval.Stage)
				}
				time.Sleep(20 * time.Millisecond)
			}
			cancel()
			if _, err := s.AddEvents(ctx, []intake.EventIn{{LeadID: 424242, Type: "x"}}, nil); !isKind(err, problem.Invalid) {
				t.Errorf("event for unknown lead: %v", err)
			}

			// A stricter definition: re-evaluation moves the lead out of MQL.
			src, _ := os.ReadFile("../../examples/definitions/bant-classic.yaml")
			res, err := s.AddDefinition(ctx, "bant-classic.yaml", src, true)
			if err != nil {
				t.Fatal(err)
			}
			deadline = time.Now().Add(10 * time.Second)
			for {
				r, err := db.LatestReevaluation(ctx, res.Definition.ID)
				if err == nil && r.FinishedAt != nil {
					if r.Done != 1 || r.Error != "" {
						t.Fatalf("re-evaluation %+v", r)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("re-evaluation did not finish")
				}
				time.Sleep(20 * time.Millisecond)
			}
			l, _ := db.Lead(ctx, first.LeadID)
			if l.Eval.Stage != "inquiry" || l.DefinitionID != res.Definition.ID {
				t.Errorf("after definition change: stage %s definition %d", l.Eval.Stage, l.DefinitionID)
			}
			if _, err := s.AddDefinition(ctx, "bad.yaml", []byte("name: x\n"), false); !isKind(err, problem.Invalid) {
				t.Errorf("bad definition: %v", err)
			}
		})
	}
}

// Stored answers show the evaluation their lead had then: a retry gets
// the first answer byte for byte after the lead was merged into and
// evaluated again, by single inquiries, batches and new events.
func TestReplayAfterTheLeadChanged(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			db := target.Open(t)
			clk := testenv.NewClock(time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC))
			s := newService(t, db, clk)
			type sent struct {
				idem    *intake.Idem
				in      intake.Inquiry
				encoded []byte
			}
			var answers []sent
			single := func(key, action string) {
				in := laura()
				in.Action.Type = action
				idem := &intake.Idem{TokenID: 1, Key: key, Fingerprint: key}
				a, err := s.Submit(ctx, in, idem)
				if err != nil || a.Replayed || !strings.Contains(string(a.Encoded), `"evaluation":{`) {
					t.Fatalf("%s: %v %s", key, err, a.Encoded)
				}
				answers = append(answers, sent{idem, in, a.Encoded})
				clk.Advance(time.Minute)
			}
			batch := func(key string) []byte {
				in := laura()
				in.Action.Type = "content_download"
				items, _, err := s.SubmitBatch(ctx, []intake.Inquiry{in}, &intake.Idem{TokenID: 1, Key: key, Fingerprint: key})
				if err != nil {
					t.Fatal(err)
				}
				return answersText(items)
			}
			single("k-1", "price_request")
			single("k-2", "webinar_attended")
			firstBatch := batch("b-1")
			clk.Advance(time.Minute)
			single("k-3", "demo_request")
			var events []intake.EventIn
			for i := range 6 {
				events = append(events, intake.EventIn{LeadID: 1, Type: "page_view", At: clk.Now().Add(-time.Duration(i+1) * time.Minute), Props: map[string]any{"category": "product"}})
			}
			if _, err := s.AddEvents(ctx, events, nil); err != nil {
				t.Fatal(err)
			}
			if err := s.EvaluatePending(ctx); err != nil {
				t.Fatal(err)
			}
			for _, a := range answers {
				again, err := s.Submit(ctx, a.in, a.idem)
				if err != nil || !again.Replayed || string(again.Encoded) != string(a.encoded) {
					t.Errorf("retry of %s (%v):\n%s\nfirst:\n%s", a.idem.Key, err, again.Encoded, a.encoded)
				}
			}
			if again := batch("b-1"); string(again) != string(firstBatch) {
				t.Errorf("retry of the batch:\n%s\nfirst:\n%s", again, firstBatch)
			}
			if n, _ := db.CountLiveLeads(ctx); n != 1 {
				t.Errorf("%d leads", n)
			}
		})
	}
}
