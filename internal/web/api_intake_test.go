package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
)

func TestAPIInquiriesMergeAndUndo(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		var first inquiryResult
		e.mustCall(201, &first, "integration", "POST", "/api/v1/inquiries", laura())
		if !first.Created || first.LeadID == 0 || first.Stage != "nurture" || first.Score != 65 || first.Band != "tibio" ||
			first.Evaluation == nil || len(first.Evaluation.Explanation) == 0 || first.Definition == 0 {
			t.Fatalf("new inquiry: %+v", first)
		}

		// The same e-mail in another case is the same person.
		e.Clock.Advance(time.Hour)
		again := laura()
		again["person"].(map[string]any)["email"] = "LAURA.CHEN@helixbio.com"
		again["person"].(map[string]any)["title"] = "VP Quality & Compliance"
		again["action"] = map[string]any{"type": "webinar_attended"}
		var byEmail inquiryResult
		// (marketing vouches for what it sends: an integration's inquiry
		// would only fill blanks, see TestUntrustedInquiriesNeverRewriteALead)
		e.mustCall(200, &byEmail, "marketing", "POST", "/api/v1/inquiries", again)
		if byEmail.Created || byEmail.LeadID != first.LeadID || byEmail.MergedBy != "email" || byEmail.MergeID == 0 {
			t.Fatalf("same e-mail: %+v", byEmail)
		}

		// Another e-mail, the same phone written another way.
		byPhoneIn := laura()
		byPhoneIn["person"].(map[string]any)["email"] = "lchen@gmail.com"
		byPhoneIn["person"].(map[string]any)["phone"] = "+1 617 555 0142"
		delete(byPhoneIn["person"].(map[string]any), "title")
		byPhoneIn["action"] = map[string]any{"type": "contact_form"}
		var byPhone inquiryResult
		e.mustCall(200, &byPhone, "marketing", "POST", "/api/v1/inquiries", byPhoneIn)
		if byPhone.Created || byPhone.LeadID != first.LeadID || byPhone.MergedBy != "phone" || byPhone.MergeID == 0 || byPhone.MergeID == byEmail.MergeID {
			t.Fatalf("same phone: %+v", byPhone)
		}

		l := e.lead(first.LeadID)
		if l.Email != "laura.chen@helixbio.com" || l.Phone != "+16175550142" || l.Person.FirstName != "Laura" ||
			l.Person.Title != "VP Quality & Compliance" || l.Company.Domain != "helixbio.com" || len(l.Actions) != 3 {
			t.Errorf("merged lead: %+v", l)
		}
		if l.Evaluation == nil || len(l.Evaluation.Explanation) == 0 || l.Evaluation.Definition.Version != "2026.11-1" {
			t.Errorf("lead evaluation without explanation: %+v", l.Evaluation)
		}
		if k := timelineKinds(l); k["inquiry"] != 3 || k["merged"] != 2 {
			t.Errorf("timeline kinds %v", k)
		}
		// Each inquiry entry says what the lead became.
		if len(l.Timeline) == 0 || l.Timeline[0].Kind != "inquiry" || !strings.Contains(string(l.Timeline[0].Data), `"stage":"nurture"`) {
			t.Errorf("first timeline entry: %+v", l.Timeline)
		}
		if n := len(e.leads("")); n != 1 {
			t.Errorf("%d leads after two merges, want 1", n)
		}

		// Undo the phone merge: the Gmail inquiry becomes a lead of its own.
		var undo struct {
			MergeID int64 `json:"merge_id"`
			KeptID  int64 `json:"kept_lead_id"`
			NewID   int64 `json:"new_lead_id"`
		}
		e.mustCall(200, &undo, "manager", "POST", fmt.Sprintf("/api/v1/merges/%d/undo", byPhone.MergeID), nil)
		if undo.KeptID != first.LeadID || undo.NewID == 0 || undo.NewID == first.LeadID || undo.MergeID != byPhone.MergeID {
			t.Fatalf("undo: %+v", undo)
		}
		if split := e.lead(undo.NewID); split.Email != "lchen@gmail.com" || len(split.Actions) != 1 || timelineKinds(split)["split_from"] != 1 {
			t.Errorf("split lead: %+v", split)
		}
		if kept := e.lead(first.LeadID); len(kept.Actions) != 2 || timelineKinds(kept)["merge_undone"] != 1 {
			t.Errorf("kept lead after undo: %d actions, timeline %v", len(kept.Actions), timelineKinds(kept))
		}
		checkProblem(t, e.call("manager", "POST", fmt.Sprintf("/api/v1/merges/%d/undo", byPhone.MergeID), nil), 409)
		checkProblem(t, e.call("manager", "POST", "/api/v1/merges/999999/undo", nil), 404)
		checkProblem(t, e.call("bdr", "POST", fmt.Sprintf("/api/v1/merges/%d/undo", byEmail.MergeID), nil), 403)
	})
}

func TestAPIIdempotency(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		body, err := json.Marshal(laura())
		if err != nil {
			t.Fatal(err)
		}
		first := e.mustCall(201, nil, "integration", "POST", "/api/v1/inquiries", body, "Idempotency-Key", "order-1")
		if first.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("a first request is marked replayed")
		}
		e.Clock.Advance(time.Minute)
		retry := e.mustCall(201, nil, "integration", "POST", "/api/v1/inquiries", body, "Idempotency-Key", "order-1")
		if !bytes.Equal(retry.Body, first.Body) || retry.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry: Idempotent-Replayed %q\nfirst %s\nretry %s", retry.Header.Get("Idempotent-Replayed"), first.Body, retry.Body)
		}
		if l := e.leads(""); len(l) != 1 || len(l[0].Actions) != 1 {
			t.Errorf("a retry changed the leads: %+v", l)
		}

		other := laura()
		other["action"] = map[string]any{"type": "demo_request"}
		p := checkProblem(t, e.call("integration", "POST", "/api/v1/inquiries", other, "Idempotency-Key", "order-1"), 422)
		if !strings.Contains(p.Detail, "Idempotency-Key") {
			t.Errorf("mismatch detail %q", p.Detail)
		}

		// Keys belong to a token: another token's "order-1" is its own request.
		var second inquiryResult
		r := e.mustCall(200, &second, "integration2", "POST", "/api/v1/inquiries", body, "Idempotency-Key", "order-1")
		if r.Header.Get("Idempotent-Replayed") != "" || second.Created || second.MergedBy != "email" {
			t.Errorf("another token's key was replayed: %s", r)
		}
		if l := e.leads(""); len(l) != 1 || len(l[0].Actions) != 2 {
			t.Errorf("after another token's request: %d leads", len(l))
		}
		// And the first token still gets its first answer.
		again := e.mustCall(201, nil, "integration", "POST", "/api/v1/inquiries", body, "Idempotency-Key", "order-1")
		if !bytes.Equal(again.Body, first.Body) {
			t.Errorf("replay changed after another token used the key: %s", again.Body)
		}

		// Events and qualifications are idempotent too.
		ev := map[string]any{"events": productPages(2, "lead_id", second.LeadID)}
		e1 := e.mustCall(202, nil, "integration", "POST", "/api/v1/events", ev, "Idempotency-Key", "ev-1")
		e2 := e.mustCall(202, nil, "integration", "POST", "/api/v1/events", ev, "Idempotency-Key", "ev-1")
		if !bytes.Equal(e1.Body, e2.Body) || e2.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("events retry: %s / %s", e1, e2)
		}
		checkProblem(t, e.call("integration", "POST", "/api/v1/inquiries", body, "Idempotency-Key", strings.Repeat("k", 256)), 422, "Idempotency-Key")
	})
}

func TestAPIEvents(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		// Anonymous behaviour first, then the inquiry: the lead gets it.
		var er struct{ Accepted, Attached, Anonymous int }
		e.mustCall(202, &er, "integration", "POST", "/api/v1/events",
			map[string]any{"events": productPages(3, "email", "Marc.Tremblay@NordLife.ca")})
		if er.Accepted != 3 || er.Anonymous != 3 || er.Attached != 0 {
			t.Errorf("anonymous events: %+v", er)
		}
		marc := map[string]any{
			"person":  map[string]any{"email": "marc.tremblay@nordlife.ca", "first_name": "Marc", "last_name": "Tremblay", "seniority": "c_level"},
			"company": map[string]any{"name": "Nord Life", "industry": "life_sciences", "country": "CA"},
			"action":  map[string]any{"type": "webinar_registered"},
		}
		var m inquiryResult
		e.mustCall(201, &m, "integration", "POST", "/api/v1/inquiries", marc)
		// 2 points a product page, 30-day half-life, an hour old: just under 6.
		if m.Evaluation == nil || m.Evaluation.Engagement < 5.9 || m.Evaluation.Engagement > 6 {
			t.Errorf("engagement of anonymous events: %+v", m.Evaluation)
		}
		if l := e.lead(m.LeadID); l.Evaluation == nil || l.Evaluation.Engagement != m.Evaluation.Engagement {
			t.Errorf("stored engagement %+v", l.Evaluation)
		}

		// Events by lead ID: the product-page binge makes Laura an MQL, in
		// the background.
		var l inquiryResult
		e.mustCall(201, &l, "integration", "POST", "/api/v1/inquiries", laura())
		if l.Stage != "nurture" {
			t.Fatalf("Laura before the binge: %+v", l)
		}
		e.mustCall(202, &er, "integration", "POST", "/api/v1/events", map[string]any{"events": productPages(5, "lead_id", l.LeadID)})
		if er.Attached != 5 || er.Anonymous != 0 {
			t.Errorf("events by lead: %+v", er)
		}
		var got leadJSON
		eventually(t, "the background evaluator to make Laura an MQL", func() bool {
			got = e.lead(l.LeadID)
			return got.Stage == "mql"
		})
		if got.Band != "caliente" || got.Evaluation == nil || !got.Evaluation.Lead || got.Evaluation.SLA == nil || got.Evaluation.SLA.Policy != "mql" {
			t.Errorf("Laura after the binge: %+v", got)
		}
		var changed bool
		for _, te := range got.Timeline {
			changed = changed || te.Kind == "stage_changed" && strings.Contains(string(te.Data), `"to":"mql"`)
		}
		if !changed {
			t.Errorf("no stage_changed to mql on the timeline: %+v", got.Timeline)
		}
		if listed := e.leads("stage=mql"); len(listed) != 1 || listed[0].ID != l.LeadID {
			t.Errorf("stage=mql lists %+v", listed)
		}

		// Bad batches store nothing and say which event is wrong.
		bad := productPages(3, "lead_id", l.LeadID)
		bad[1]["lead_id"] = 999999
		checkProblem(t, e.call("integration", "POST", "/api/v1/events", map[string]any{"events": bad}), 422, "events[1].lead_id")
		noType := productPages(2, "email", "x@example.com")
		delete(noType[1], "type")
		checkProblem(t, e.call("integration", "POST", "/api/v1/events", map[string]any{"events": noType}), 422, "events[1].type")
		noWho := productPages(1, "email", "not an address")
		checkProblem(t, e.call("integration", "POST", "/api/v1/events", map[string]any{"events": noWho}), 422, "events[0].email")
		checkProblem(t, e.call("integration", "POST", "/api/v1/events", map[string]any{"events": []any{}}), 422, "events")
		many := make([]map[string]any, intake.MaxEventBatch+1)
		for i := range many {
			many[i] = map[string]any{"email": "a@example.com", "type": "page_view"}
		}
		checkProblem(t, e.call("integration", "POST", "/api/v1/events", map[string]any{"events": many}), 422, "events")
		if got := e.lead(l.LeadID); len(got.Timeline) == 0 {
			t.Error("no timeline")
		}
		checkProblem(t, e.call("rep", "POST", "/api/v1/events", map[string]any{"events": productPages(1, "lead_id", l.LeadID)}), 403)
	})
}

func TestAPIQualification(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		var l inquiryResult
		e.mustCall(201, &l, "integration", "POST", "/api/v1/inquiries", laura())
		path := fmt.Sprintf("/api/v1/leads/%d/qualification", l.LeadID)
		// "by" names a user; a BDR's own token records BANT only on the leads
		// the BDR works, so here a manager's records Sofía's call on the
		// unassigned lead (see TestBANTOwnershipAndIdentity).
		e.addUser("Sofía Rojas", "sofia.rojas@instrumentos.example", "bdr")
		bant := map[string]any{"budget": map[string]any{"min": 10000, "max": 20000, "currency": "USD"},
			"authority": "decision_maker", "need": "confirmed", "timing_months": 0.5, "by": "sofia.rojas@instrumentos.example", "role": "bdr"}

		var q struct {
			LeadID     int64          `json:"lead_id"`
			Evaluation evaluationJSON `json:"evaluation"`
		}
		e.mustCall(200, &q, "manager", "POST", path, bant)
		if q.LeadID != l.LeadID || q.Evaluation.Stage != "sql" || q.Evaluation.BANT.Score < 75 || !q.Evaluation.BANT.Human ||
			q.Evaluation.SLA == nil || q.Evaluation.SLA.Policy != "urgente" {
			t.Errorf("qualified: %+v", q)
		}
		got := e.lead(l.LeadID)
		if got.Stage != "sql" || timelineKinds(got)["qualification"] != 1 {
			t.Errorf("lead after BANT: stage %s, timeline %v", got.Stage, timelineKinds(got))
		}

		noBy := maps(bant)
		delete(noBy, "by")
		checkProblem(t, e.call("bdr", "POST", path, noBy), 422, "by")
		checkProblem(t, e.call("rep", "POST", "/api/v1/leads/999999/qualification", bant), 404)
		checkProblem(t, e.call("integration", "POST", path, bant), 403)
		badNeed := maps(bant)
		badNeed["need"] = "desperate"
		if p := checkProblem(t, e.call("bdr", "POST", path, badNeed), 422); len(p.Errors) != 1 || !strings.HasSuffix(p.Errors[0].Name, "need") {
			t.Errorf("bad need: %+v", p)
		}
	})
}

// TestAPIConcurrentRetries: clients retrying at once with one
// Idempotency-Key get one lead and the same answer; different people at
// once get a lead each (group commit shares transactions between them).
func TestAPIConcurrentRetries(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		const n = 20
		var wg sync.WaitGroup
		same := make([]apiResp, n)
		people := make([]apiResp, n)
		for i := range n {
			wg.Add(2)
			go func() {
				defer wg.Done()
				same[i] = e.call("integration", "POST", "/api/v1/inquiries", laura(), "Idempotency-Key", "retry-storm")
			}()
			go func() {
				defer wg.Done()
				in := laura()
				in["person"].(map[string]any)["email"] = fmt.Sprintf("person%d@helixbio.com", i)
				delete(in["person"].(map[string]any), "phone")
				people[i] = e.call("marketing", "POST", "/api/v1/inquiries", in)
			}()
		}
		wg.Wait()
		// (Which of them say Idempotent-Replayed: see TestAPIReportedBugs.)
		for i := range n {
			if same[i].Status != 201 || !bytes.Equal(same[i].Body, same[0].Body) {
				t.Errorf("retry %d: %s, first %s", i, same[i], same[0])
			}
			if people[i].Status != 201 {
				t.Errorf("person %d: %s", i, people[i])
			}
		}
		if got := len(e.leads("")); got != n+1 {
			t.Errorf("%d leads, want %d", got, n+1)
		}
	})
}
