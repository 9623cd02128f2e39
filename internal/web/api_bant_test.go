package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/access"
)

// A BANT call is a sales act like accept or touch: only the lead's owner
// (or the team's manager) records it, signed as who they are. Before, a
// rep could qualify another rep's lead and sign it as the manager.
func TestBANTOwnershipAndIdentity(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		ana, beto, marta := salesTeam(t, e)
		tokens := map[string]int64{"pst_test_ana": ana.ID, "pst_test_beto": beto.ID}
		for raw, id := range tokens {
			if _, err := e.DB.InsertUserToken(context.Background(), raw, "rep", access.HashToken(raw), id, e.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		e.Clock.Set(time.Date(2026, 12, 4, 16, 0, 0, 0, bogota))
		id := mql(t, e, "laura.chen@helixbio.com")
		e.fire()
		if l := e.flowLead(id); l.OwnerID != ana.ID {
			t.Fatalf("routed to %d, want Ana %d", l.OwnerID, ana.ID)
		}
		path := fmt.Sprintf("/api/v1/leads/%d/qualification", id)
		bant := func(by string) map[string]any {
			q := map[string]any{"budget": map[string]any{"min": 10000, "max": 20000, "currency": "USD"},
				"authority": "decision_maker", "need": "confirmed", "timing_months": 2}
			if by != "" {
				q["by"] = by
			}
			return q
		}
		// Beto, with his own token, on Ana's lead: refused, signed as
		// himself or as the manager.
		checkProblem(t, e.call("pst_test_beto", "POST", path, bant("")), 403)
		checkProblem(t, e.call("pst_test_beto", "POST", path, bant(marta.Email)), 422, "by")
		// A rep's token without a user cannot sign as the manager either.
		checkProblem(t, e.call("rep", "POST", path, bant(marta.Email)), 403)
		checkProblem(t, e.call("rep", "POST", path, bant(beto.Email)), 403)
		if l := e.flowLead(id); l.Stage != "mql" || l.kinds()["qualification"] != 0 {
			t.Fatalf("after the refused calls: stage %s, timeline %v", l.Stage, l.kinds())
		}

		// Ana, with her own token, leaves by out: the call is hers.
		var q struct {
			Evaluation evaluationJSON `json:"evaluation"`
		}
		e.mustCall(200, &q, "pst_test_ana", "POST", path, bant(""))
		l := e.flowLead(id)
		if l.Stage != "sql" {
			t.Errorf("after Ana's call: stage %s", l.Stage)
		}
		var byWho struct {
			By   string `json:"by"`
			Role string `json:"role"`
		}
		for _, entry := range l.Timeline {
			if entry.Kind == "qualification" {
				if err := json.Unmarshal(entry.Data, &byWho); err != nil {
					t.Fatal(err)
				}
			}
		}
		if byWho.By != ana.Email || byWho.Role != "rep" {
			t.Errorf("the call is signed %+v, want Ana the rep", byWho)
		}
		// The team's manager may record one on any of her team's leads.
		e.mustCall(200, nil, "manager", "POST", path, bant(marta.Email))
	})
}
