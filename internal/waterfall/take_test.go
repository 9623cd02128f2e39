package waterfall_test

import (
	"context"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/problem"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/store/storetest"
)

// TestTakeFromTeamQueue: a lead waiting in the team's queue (every BDR
// away when it came) is taken by a member who asks; an outsider may not
// take it, and once held nobody else can take it (two at once cannot
// both get it); the running clock goes with it.
func TestTakeFromTeamQueue(t *testing.T) {
	for _, target := range storetest.Targets() {
		t.Run(target.Name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, target, "bant-classic.yaml")
			boss := e.user("Jefa", "manager")
			carla, dario := e.user("Carla", "bdr"), e.user("Dario", "bdr")
			outsider := e.user("Olga", "bdr")
			back := e.clk.Now().Add(2 * time.Hour)
			for _, u := range []*store.User{carla, dario} {
				u.AwayUntil = &back
				if err := e.db.UpdateUser(ctx, u); err != nil {
					t.Fatal(err)
				}
			}
			e.team("tele_qualifiers", boss, carla, dario)
			e.team("elsewhere", boss, outsider)
			id := e.demoRequest("pedro@taller.mx")
			e.fire()
			if l := e.lead(id); l.OwnerID != 0 {
				t.Fatalf("assigned to %d while every BDR is away", l.OwnerID)
			}
			_, err := e.wf.Take(ctx, id, as(outsider))
			wantProblem(t, err, problem.Forbidden, "member of team tele_qualifiers")
			v, err := e.wf.Take(ctx, id, as(dario))
			if err != nil {
				t.Fatal(err)
			}
			if v.OwnerID != dario.ID || e.lead(id).OwnerID != dario.ID {
				t.Fatalf("after Dario took it: %+v", v)
			}
			_, err = e.wf.Take(ctx, id, as(carla))
			wantProblem(t, err, problem.Conflict, "not waiting in a team's queue")
			clocks, _ := e.db.Clocks(ctx, id)
			if len(clocks) != 1 || clocks[0].UserID != dario.ID {
				t.Errorf("the clock did not go with the lead: %+v", clocks)
			}
			// Routing's retry when the BDRs are back leaves it with Dario.
			e.clk.Set(back.Add(time.Minute))
			e.fire()
			if l := e.lead(id); l.OwnerID != dario.ID {
				t.Errorf("after routing retried: owner %d", l.OwnerID)
			}
		})
	}
}
