package waterfall_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/intake"
	"github.com/pistahq/pista/internal/lead"
	"github.com/pistahq/pista/internal/store"
)

// routeAll is a definition that routes every price request to the sales
// team, on the Colombian calendar, with a one-business-day first touch.
const routeAll = `
name: route every price request
timezone: America/Bogota
calendar: {country: CO, timezone: America/Bogota, hours: "08:00-17:00"}
lead:
  when: action.type == "price_request"
bands:
  - {name: hot, action: route}
sla:
  - {name: standard, first_touch: 1 business day}
routing:
  default: sales
  teams:
    sales: {label: Sales}
`

func newIntake(t testing.TB, db *store.DB, now func() time.Time, activate bool) *intake.Service {
	t.Helper()
	ctx := context.Background()
	s, err := intake.New(ctx, intake.Config{DB: db, Now: now, MaxBatch: 64})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if activate {
		if _, err := s.AddDefinition(ctx, "route.yaml", []byte(routeAll), true); err != nil {
			t.Fatal(err)
		}
	} else if err := s.RefreshActive(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// salesTeam creates users with these weights in team sales.
func salesTeam(t testing.TB, db *store.DB, weights ...float64) []*store.User {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var users []*store.User
	team := &store.Team{Name: "sales"}
	for i, w := range weights {
		u := &store.User{Name: fmt.Sprintf("Rep %d", i+1), Email: fmt.Sprintf("rep%d@example.com", i+1), Role: "rep", Language: "es", Active: true, CreatedAt: now, UpdatedAt: now}
		if err := db.InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
		team.Members = append(team.Members, store.Member{UserID: u.ID, Weight: w})
	}
	if err := db.PutTeam(ctx, team, now); err != nil {
		t.Fatal(err)
	}
	return users
}

// priceRequest submits a price request from a new person and returns the
// lead ID.
func priceRequest(t testing.TB, s *intake.Service, n int) int64 {
	t.Helper()
	in := intake.Inquiry{
		Person:  lead.Person{Email: fmt.Sprintf("buyer%d@acme-%d.com", n, n), FirstName: "Ana", LastName: "Buyer"},
		Company: lead.Company{Name: "Acme", Country: "CO"},
		Action:  lead.Action{Type: "price_request"},
	}
	ans, err := s.Submit(context.Background(), in, nil)
	if err != nil {
		t.Error(err)
		return 0
	}
	var res struct {
		LeadID int64 `json:"lead_id"`
	}
	if err := json.Unmarshal(ans.Encoded, &res); err != nil {
		t.Error(err)
	}
	return res.LeadID
}

func leadID(t testing.TB, body []byte) int64 {
	t.Helper()
	var res struct {
		LeadID int64 `json:"lead_id"`
	}
	if err := json.Unmarshal(body, &res); err != nil || res.LeadID == 0 {
		t.Fatalf("no lead id in %s: %v", body, err)
	}
	return res.LeadID
}
