package ui_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/engine"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
)

// TestQueuePages: a rep holding more leads than a page sees fifty, the
// first touch due first on top, the header counting all of them, "1–50
// of 63" and a next page link (an address, no JavaScript) that shows the
// rest in order and links back to the first page; the team's unassigned
// leads page the same way, each table keeping the other's position and
// the filters; a made-up position is refused.
func TestQueuePages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.Clock.Now()
	const mine, waiting = 63, 57
	var want, wantTeam []int64
	dueOf := map[int64]time.Time{}
	// Stored with the active definition, as intake stores leads: a lead
	// stored with another is evaluated again in the background, which
	// would replace this test's evaluations.
	def, err := e.DB.ActiveDefinition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = e.DB.InTx(ctx, func(tx *store.Tx) error {
		for i := range mine + waiting {
			email := fmt.Sprintf("p%d@paged.example", i)
			l := &store.Lead{Email: email, CreatedAt: now, UpdatedAt: now, DefinitionID: def.ID,
				Data: lead.Lead{Person: lead.Person{Email: email, FirstName: "Paged", LastName: fmt.Sprint(i)}},
				Eval: &engine.Result{Stage: "mql", Total: 40, Band: "caliente", Team: "norteamerica"}}
			if err := tx.InsertLead(ctx, l); err != nil {
				return err
			}
			a := &store.Assignment{LeadID: l.ID, Team: "norteamerica", At: now, Actor: "routing", Reason: []byte(`{}`), Status: store.AssignOpen}
			if i < mine {
				l.OwnerID, l.Owner = e.Users["rita"].ID, e.Users["rita"].Email
				if err := tx.SaveFlow(ctx, l, now); err != nil {
					return err
				}
				a.UserID = l.OwnerID
			}
			if err := tx.InsertAssignment(ctx, a); err != nil {
				return err
			}
			// Due times out of the leads' order, some overdue.
			due := now.Add(time.Duration((i*37)%(mine+waiting)-20) * time.Hour)
			c := &store.Clock{LeadID: l.ID, AssignmentID: a.ID, Team: "norteamerica", UserID: a.UserID, Policy: "mql",
				StartedAt: now, DueAt: due, Status: store.ClockPending}
			if err := tx.InsertClock(ctx, c); err != nil {
				return err
			}
			dueOf[l.ID] = due
			if i < mine {
				want = append(want, l.ID)
			} else {
				wantTeam = append(wantTeam, l.ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	byDue := func(a, b int64) int { return dueOf[a].Compare(dueOf[b]) }
	slices.SortFunc(want, byDue)
	slices.SortFunc(wantTeam, byDue)

	b := e.client()
	b.signIn("rita")
	rows := func(body, table string) []int64 {
		_, rest, ok := strings.Cut(body, `id="`+table+`"`)
		if !ok {
			return nil
		}
		rest, _, _ = strings.Cut(rest, "</table>")
		var ids []int64
		for _, m := range regexp.MustCompile(`<tr class="sla-[a-z_]+">\s*<td><a href="/app/leads/(\d+)"`).FindAllStringSubmatch(rest, -1) {
			var id int64
			fmt.Sscan(m[1], &id)
			ids = append(ids, id)
		}
		return ids
	}
	link := func(body, id string) string {
		m := regexp.MustCompile(`<a href="([^"]*)" id="` + id + `"`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	has := func(body, s string) bool { return strings.Contains(body, s) }

	first := b.get("/app/queue")
	if first.Status != http.StatusOK {
		t.Fatalf("queue: %s", first)
	}
	if got := rows(first.Body, "my-queue"); !slices.Equal(got, want[:50]) {
		t.Fatalf("first page: %v\nwant %v", got, want[:50])
	}
	if got := rows(first.Body, "team-queue"); !slices.Equal(got, wantTeam[:50]) {
		t.Fatalf("team queue's first page: %v\nwant %v", got, wantTeam[:50])
	}
	for _, s := range []string{"63 leads · due today", "1–50 of 63", "Team queue (unassigned): 57", "1–50 of 57"} {
		if !has(first.Body, s) {
			t.Errorf("the first page does not say %q", s)
		}
	}
	next, teamNext := link(first.Body, "my-queue-next"), link(first.Body, "team-queue-next")
	if !strings.HasPrefix(next, "/app/queue?after=") || !strings.HasPrefix(teamNext, "/app/queue?team_after=") {
		t.Fatalf("next page links: %q, %q", next, teamNext)
	}

	// My second page, then the team's second page from there: each
	// table keeps the other's position.
	second := b.get(next)
	if got := rows(second.Body, "my-queue"); !slices.Equal(got, want[50:]) {
		t.Fatalf("second page: %v\nwant %v", got, want[50:])
	}
	if !has(second.Body, "51–63 of 63") || !has(second.Body, "63 leads · due today") || link(second.Body, "my-queue-next") != "" {
		t.Errorf("the second page's counts or links are wrong")
	}
	if !has(second.Body, `<a href="/app/queue">First page</a>`) {
		t.Errorf("the second page has no link to the first")
	}
	both := b.get(link(second.Body, "team-queue-next"))
	if got := rows(both.Body, "my-queue"); !slices.Equal(got, want[50:]) {
		t.Errorf("my position was lost: %v", got)
	}
	if got := rows(both.Body, "team-queue"); !slices.Equal(got, wantTeam[50:]) {
		t.Errorf("team queue's second page: %v\nwant %v", got, wantTeam[50:])
	}
	if !has(both.Body, "51–57 of 57") {
		t.Errorf("the team queue's second page does not say 51–57 of 57")
	}

	// Filters narrow both tables and stay in the links.
	none := b.get("/app/queue?band=tibio")
	if rows(none.Body, "my-queue") != nil || rows(none.Body, "team-queue") != nil || !has(none.Body, "0 leads") {
		t.Errorf("a band nobody has still lists leads")
	}
	sal := b.get("/app/queue?stage=mql")
	if l := link(sal.Body, "my-queue-next"); !strings.Contains(l, "stage=mql") || len(rows(sal.Body, "my-queue")) != 50 {
		t.Errorf("the stage filter: next link %q, %d rows", l, len(rows(sal.Body, "my-queue")))
	}
	if res := b.get("/app/queue?after=1_2_x_4"); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("a made-up position: %d", res.Status)
	}
}
