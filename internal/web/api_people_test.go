package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/pistahq/pista/internal/access"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/calendar"
	"github.com/pistahq/pista/internal/store"
)

type userJSON struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Email     string     `json:"email"`
	Role      string     `json:"role"`
	Language  string     `json:"language"`
	Timezone  string     `json:"timezone"`
	Active    bool       `json:"active"`
	AwayFrom  *time.Time `json:"away_from"`
	AwayUntil *time.Time `json:"away_until"`
}

type teamJSON struct {
	Name     string         `json:"name"`
	Label    string         `json:"label"`
	Calendar map[string]any `json:"calendar"`
	Manager  *struct {
		ID    int64  `json:"id"`
		Email string `json:"email"`
	} `json:"manager"`
	Members []struct {
		UserID        int64   `json:"user_id"`
		Name          string  `json:"name"`
		Email         string  `json:"email"`
		Away          bool    `json:"away"`
		Weight        float64 `json:"weight"`
		DailyCapacity int     `json:"daily_capacity"`
	} `json:"members"`
}

// addUser creates a user through the API as admin.
func (e *apiEnv) addUser(name, email, role string) userJSON {
	e.t.Helper()
	var u userJSON
	e.mustCall(201, &u, "admin", "POST", "/api/v1/users", map[string]any{"name": name, "email": email, "role": role})
	return u
}

func TestAPIUsers(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		var ana userJSON
		e.mustCall(201, &ana, "manager", "POST", "/api/v1/users",
			map[string]any{"name": " Ana Restrepo ", "email": " Ana@Instrumentos.Example ", "role": "manager", "timezone": "America/Bogota"})
		if ana.ID == 0 || ana.Name != "Ana Restrepo" || ana.Email != "ana@instrumentos.example" || ana.Language != "es" || !ana.Active || ana.Timezone != "America/Bogota" {
			t.Errorf("created %+v", ana)
		}
		bruno := e.addUser("Bruno Lima", "bruno@instrumentos.example", "rep")

		// Idempotency-Key: a retry gets the first answer, not a 409.
		body := map[string]any{"name": "Carla", "email": "carla@instrumentos.example", "role": "bdr", "language": "pt"}
		first := e.mustCall(201, nil, "admin", "POST", "/api/v1/users", body, "Idempotency-Key", "carla-1")
		again := e.mustCall(201, nil, "admin", "POST", "/api/v1/users", body, "Idempotency-Key", "carla-1")
		if string(first.Body) != string(again.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay: %s / %s", first, again)
		}

		var list struct {
			Users []userJSON `json:"users"`
		}
		e.mustCall(200, &list, "rep", "GET", "/api/v1/users", nil)
		if len(list.Users) != 3 || list.Users[0].Email != "ana@instrumentos.example" {
			t.Errorf("list: %+v", list.Users)
		}
		var got userJSON
		e.mustCall(200, &got, "integration", "GET", fmt.Sprintf("/api/v1/users/%d", bruno.ID), nil)
		if got.Email != bruno.Email {
			t.Errorf("get: %+v", got)
		}
		checkProblem(t, e.call("rep", "GET", "/api/v1/users/999", nil), 404)

		// Out of office, then back early.
		from, until := "2026-12-21T05:00:00Z", "2027-01-12T05:00:00-05:00"
		e.mustCall(200, &got, "manager", "PATCH", fmt.Sprintf("/api/v1/users/%d", bruno.ID),
			map[string]any{"away_from": from, "away_until": until, "language": "en", "timezone": "America/Sao_Paulo"})
		if got.AwayFrom == nil || !got.AwayFrom.Equal(time.Date(2026, 12, 21, 5, 0, 0, 0, time.UTC)) ||
			got.AwayUntil == nil || !got.AwayUntil.Equal(time.Date(2027, 1, 12, 10, 0, 0, 0, time.UTC)) ||
			got.Language != "en" || got.Timezone != "America/Sao_Paulo" || got.Name != "Bruno Lima" {
			t.Errorf("patched %+v", got)
		}
		// A patch of one field keeps the others.
		e.mustCall(200, &got, "manager", "PATCH", fmt.Sprintf("/api/v1/users/%d", bruno.ID), map[string]any{"name": "Bruno Lima Souza"})
		if got.AwayFrom == nil || got.Name != "Bruno Lima Souza" {
			t.Errorf("patched name: %+v", got)
		}
		got = userJSON{}
		e.mustCall(200, &got, "admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", bruno.ID), map[string]any{"away_from": nil, "away_until": nil})
		if got.AwayFrom != nil || got.AwayUntil != nil {
			t.Errorf("cleared: %+v", got)
		}
		got = userJSON{}
		e.mustCall(200, &got, "admin", "GET", fmt.Sprintf("/api/v1/users/%d", bruno.ID), nil)
		if got.AwayFrom != nil || got.Name != "Bruno Lima Souza" || got.Language != "en" {
			t.Errorf("stored: %+v", got)
		}
	})
}

func TestAPIUsersRefused(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		bruno := e.addUser("Bruno Lima", "bruno@instrumentos.example", "rep")
		boss := e.addUser("Root", "root@instrumentos.example", "admin")
		brunoURL := fmt.Sprintf("/api/v1/users/%d", bruno.ID)
		e.mustCall(200, nil, "admin", "PATCH", brunoURL, map[string]any{"away_from": "2026-12-01T00:00:00Z"})
		cases := []struct {
			name         string
			role, method string
			path         string
			body         any
			status       int
			fields       []string
		}{
			{"bad email", "admin", "POST", "/api/v1/users", map[string]any{"name": "X", "email": "x@", "role": "rep"}, 422, []string{"email"}},
			{"no email", "admin", "POST", "/api/v1/users", map[string]any{"name": "X", "role": "rep"}, 422, []string{"email"}},
			{"bad role", "admin", "POST", "/api/v1/users", map[string]any{"name": "X", "email": "x@instrumentos.example", "role": "integration"}, 422, []string{"role"}},
			{"every bad field", "admin", "POST", "/api/v1/users", map[string]any{"email": "nope", "role": "boss", "language": "fr", "timezone": "Mars/Olympus"}, 422,
				[]string{"name", "email", "role", "language", "timezone"}},
			{"unknown field", "admin", "POST", "/api/v1/users", map[string]any{"name": "X", "email": "x@instrumentos.example", "role": "rep", "team": "latam"}, 422, []string{"team"}},
			{"wrong type", "admin", "POST", "/api/v1/users", map[string]any{"name": 7, "email": "x@instrumentos.example", "role": "rep"}, 422, []string{"name"}},
			{"duplicate", "admin", "POST", "/api/v1/users", map[string]any{"name": "B", "email": "BRUNO@instrumentos.example", "role": "rep"}, 409, []string{"email"}},
			{"rep may not add", "rep", "POST", "/api/v1/users", map[string]any{"name": "X", "email": "x@instrumentos.example", "role": "rep"}, 403, nil},
			{"marketing may not add", "marketing", "POST", "/api/v1/users", map[string]any{"name": "X", "email": "x@instrumentos.example", "role": "rep"}, 403, nil},
			{"manager may not make an admin", "manager", "POST", "/api/v1/users", map[string]any{"name": "X", "email": "x@instrumentos.example", "role": "admin"}, 403, nil},
			{"manager may not promote", "manager", "PATCH", brunoURL, map[string]any{"role": "admin"}, 403, nil},
			{"manager may not touch an admin", "manager", "PATCH", fmt.Sprintf("/api/v1/users/%d", boss.ID), map[string]any{"active": false}, 403, nil},
			{"until before from", "admin", "PATCH", brunoURL, map[string]any{"away_from": "2026-12-10T00:00:00Z", "away_until": "2026-12-09T00:00:00Z"}, 422, []string{"away_until"}},
			{"until equal to stored from", "admin", "PATCH", brunoURL, map[string]any{"away_until": "2026-12-01T00:00:00Z"}, 422, []string{"away_until"}},
			{"from after stored until", "admin", "PATCH", brunoURL, map[string]any{"away_until": "2026-12-05T00:00:00Z", "away_from": "2026-12-06T00:00:00Z"}, 422, []string{"away_until"}},
			{"not a time", "admin", "PATCH", brunoURL, map[string]any{"away_from": "next monday"}, 422, []string{"away_from"}},
			{"bad patch role", "admin", "PATCH", brunoURL, map[string]any{"role": "boss", "name": ""}, 422, []string{"role", "name"}},
			{"patch email", "admin", "PATCH", brunoURL, map[string]any{"email": "b@instrumentos.example"}, 422, []string{"email"}},
			{"patch unknown user", "admin", "PATCH", "/api/v1/users/999", map[string]any{"name": "X"}, 404, nil},
			{"patch not an id", "admin", "PATCH", "/api/v1/users/abc", map[string]any{"name": "X"}, 404, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				checkProblem(t, e.as(t).call(c.role, c.method, c.path, c.body), c.status, c.fields...)
			})
		}
		// Nothing refused was stored.
		var got userJSON
		e.mustCall(200, &got, "admin", "GET", brunoURL, nil)
		if got.Role != "rep" || got.Name != "Bruno Lima" || got.AwayUntil != nil || !got.AwayFrom.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("after refusals: %+v", got)
		}
	})
}

func TestAPITeams(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		ana := e.addUser("Ana Restrepo", "ana@instrumentos.example", "manager")
		bruno := e.addUser("Bruno Lima", "bruno@instrumentos.example", "rep")
		carla := e.addUser("Carla Gómez", "carla@instrumentos.example", "bdr")
		e.mustCall(200, nil, "admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", carla.ID),
			map[string]any{"away_from": "2026-11-19T00:00:00Z", "away_until": "2026-11-30T00:00:00Z"})

		var team teamJSON
		e.mustCall(200, &team, "manager", "PUT", "/api/v1/teams/latam", map[string]any{
			"label":    "LatAm inside sales",
			"calendar": map[string]any{"country": "co", "timezone": "America/Bogota", "hours": "08:00-17:00", "days": []string{"mon", "tue", "wed", "thu", "fri"}, "holidays": []string{"2026-12-24"}},
			"manager":  "ANA@instrumentos.example",
			"members": []map[string]any{
				{"user": "bruno@instrumentos.example", "weight": 2, "daily_capacity": 20},
				{"user": carla.ID},
			},
		})
		if team.Name != "latam" || team.Label != "LatAm inside sales" || team.Manager == nil || team.Manager.ID != ana.ID ||
			team.Calendar["country"] != "CO" || team.Calendar["hours"] != "08:00-17:00" || len(team.Members) != 2 {
			t.Fatalf("put: %+v", team)
		}
		for _, m := range team.Members {
			switch m.UserID {
			case bruno.ID:
				if m.Name != "Bruno Lima" || m.Email != bruno.Email || m.Weight != 2 || m.DailyCapacity != 20 || m.Away {
					t.Errorf("bruno: %+v", m)
				}
			case carla.ID:
				if m.Name != "Carla Gómez" || m.Weight != 1 || m.DailyCapacity != 0 || !m.Away {
					t.Errorf("carla: %+v", m)
				}
			default:
				t.Errorf("member %+v", m)
			}
		}

		stored, err := e.DB.Team(context.Background(), "latam")
		if err != nil || stored.ManagerID != ana.ID || len(stored.Members) != 2 {
			t.Fatalf("stored %+v, %v", stored, err)
		}
		// The stored calendar reads back into the calendar.Config that
		// routing and SLA clocks build a calendar from.
		var cfg calendar.Config
		if err := json.Unmarshal(stored.Calendar, &cfg); err != nil || cfg.Country != "CO" || cfg.Timezone != "America/Bogota" || len(cfg.Holidays) != 1 {
			t.Errorf("calendar %s: %+v, %v", stored.Calendar, cfg, err)
		} else if _, err := calendar.New(cfg); err != nil {
			t.Errorf("calendar %s: %v", stored.Calendar, err)
		}

		// Replacing the team keeps a staying member's rotation credit.
		for i := range stored.Members {
			stored.Members[i].Credit = float64(i + 1)
		}
		if err := e.DB.InTx(context.Background(), func(tx *store.Tx) error {
			return tx.SaveCredits(context.Background(), stored.ID, stored.Members)
		}); err != nil {
			t.Fatal(err)
		}
		team = teamJSON{}
		e.mustCall(200, &team, "admin", "PUT", "/api/v1/teams/latam", map[string]any{"members": []map[string]any{{"user": bruno.ID, "weight": 3}}})
		after, err := e.DB.Team(context.Background(), "latam")
		if err != nil || len(after.Members) != 1 || after.Members[0].UserID != bruno.ID || after.Members[0].Weight != 3 || after.Members[0].Credit == 0 {
			t.Errorf("replaced: %+v, %v", after, err)
		}
		if team.Manager != nil || team.Calendar != nil || team.Label != "" {
			t.Errorf("a PUT replaces the whole team: %+v", team)
		}

		e.mustCall(200, nil, "admin", "PUT", "/api/v1/teams/north_america", map[string]any{"members": []any{}})
		var list struct {
			Teams []teamJSON `json:"teams"`
		}
		e.mustCall(200, &list, "rep", "GET", "/api/v1/teams", nil)
		if len(list.Teams) != 2 || list.Teams[0].Name != "latam" || list.Teams[1].Name != "north_america" || list.Teams[1].Members == nil {
			t.Errorf("list: %+v", list.Teams)
		}
		team = teamJSON{}
		e.mustCall(200, &team, "integration", "GET", "/api/v1/teams/latam", nil)
		if len(team.Members) != 1 || team.Members[0].Email != bruno.Email {
			t.Errorf("get: %+v", team)
		}
		checkProblem(t, e.call("rep", "GET", "/api/v1/teams/nope", nil), 404)
	})
}

func TestAPITeamsRefused(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		bruno := e.addUser("Bruno Lima", "bruno@instrumentos.example", "rep")
		ok := func(extra map[string]any) map[string]any {
			b := map[string]any{"members": []map[string]any{{"user": bruno.Email}}}
			for k, v := range extra {
				b[k] = v
			}
			return b
		}
		cases := []struct {
			name, role, path string
			body             any
			status           int
			fields           []string
		}{
			{"bad country", "admin", "/api/v1/teams/latam", ok(map[string]any{"calendar": map[string]any{"country": "VE"}}), 422, []string{"calendar.country"}},
			{"bad calendar fields", "admin", "/api/v1/teams/latam",
				ok(map[string]any{"calendar": map[string]any{"timezone": "Bogota", "hours": "9-5", "days": []string{"mon", "funday"}, "holidays": []string{"2026-13-01"}}}), 422,
				[]string{"calendar.timezone", "calendar.hours", "calendar.days[1]", "calendar.holidays[0]"}},
			{"unknown calendar field", "admin", "/api/v1/teams/latam", ok(map[string]any{"calendar": map[string]any{"zone": "UTC"}}), 422, []string{"calendar.zone"}},
			{"unknown member", "admin", "/api/v1/teams/latam",
				map[string]any{"members": []map[string]any{{"user": bruno.Email}, {"user": "ghost@instrumentos.example"}, {"user": 999}}}, 422,
				[]string{"members[1].user", "members[2].user"}},
			{"member twice", "admin", "/api/v1/teams/latam", map[string]any{"members": []map[string]any{{"user": bruno.Email}, {"user": bruno.ID}}}, 422, []string{"members[1].user"}},
			{"member not a user", "admin", "/api/v1/teams/latam", map[string]any{"members": []map[string]any{{"user": true}}}, 422, []string{"members[0].user"}},
			{"member without user", "admin", "/api/v1/teams/latam", map[string]any{"members": []map[string]any{{"weight": 1}}}, 422, []string{"members[0].user"}},
			{"bad weight and capacity", "admin", "/api/v1/teams/latam",
				map[string]any{"members": []map[string]any{{"user": bruno.Email, "weight": 0, "daily_capacity": -1}}}, 422,
				[]string{"members[0].weight", "members[0].daily_capacity"}},
			{"unknown manager", "admin", "/api/v1/teams/latam", ok(map[string]any{"manager": "boss@instrumentos.example"}), 422, []string{"manager"}},
			{"unknown field", "admin", "/api/v1/teams/latam", ok(map[string]any{"calender": map[string]any{}}), 422, []string{"calender"}},
			{"bad name", "admin", "/api/v1/teams/LatAm", ok(nil), 422, []string{"name"}},
			{"name too long", "admin", "/api/v1/teams/" + fmt.Sprintf("%065d", 0), ok(nil), 422, []string{"name"}},
			{"rep may not", "rep", "/api/v1/teams/latam", ok(nil), 403, nil},
			{"marketing may not", "marketing", "/api/v1/teams/latam", ok(nil), 403, nil},
			{"not JSON", "admin", "/api/v1/teams/latam", "{", 422, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				checkProblem(t, e.as(t).call(c.role, "PUT", c.path, c.body), c.status, c.fields...)
			})
		}
		checkProblem(t, e.call("admin", "GET", "/api/v1/teams/latam", nil), 404)
	})
}

// TestAPITokenUser checks that a token made for a user acts as them, and
// stops working when the user is deactivated.
func TestAPITokenUser(t *testing.T) {
	forEachTarget(t, func(t *testing.T, e *apiEnv) {
		ana := e.addUser("Ana Restrepo", "ana@instrumentos.example", "manager")
		const raw = "pst_test_ana"
		if _, err := e.DB.InsertUserToken(context.Background(), "ana-laptop", "manager", access.HashToken(raw), ana.ID, e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		var me struct {
			Token struct {
				Name string `json:"name"`
				Role string `json:"role"`
			} `json:"token"`
			User *userJSON `json:"user"`
		}
		e.mustCall(200, &me, raw, "GET", "/api/v1/me", nil)
		if me.Token.Name != "ana-laptop" || me.Token.Role != "manager" || me.User == nil || me.User.ID != ana.ID {
			t.Errorf("me: %+v", me)
		}
		me.User = nil
		e.mustCall(200, &me, "rep", "GET", "/api/v1/me", nil)
		if me.User != nil || me.Token.Role != "rep" {
			t.Errorf("me without a user: %+v", me)
		}
		e.mustCall(200, nil, "admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", ana.ID), map[string]any{"active": false})
		// Servers cache a token for 30 s.
		e.Clock.Advance(31 * time.Second)
		checkProblem(t, e.call(raw, "GET", "/api/v1/me", nil), 401)
	})
}
