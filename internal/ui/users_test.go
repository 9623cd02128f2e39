package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestUserPages: an admin invites a person (a one-time link is shown),
// changes their role, language, time zone and absence, and deactivates
// them, which ends their sessions; a manager may not make an admin; a rep
// may not open the page.
func TestUserPages(t *testing.T) {
	e := newEnv(t)
	admin := e.client()
	admin.signIn("ada")
	list := admin.get("/app/users")
	if list.Status != 200 || !strings.Contains(list.Body, "rita@instrumentos.example") || !strings.Contains(list.Body, "Norteamérica ×1") ||
		!strings.Contains(list.Body, "Norteamérica (manager)") || strings.Contains(list.Body, "norteamerica") {
		t.Fatalf("users: %s", list)
	}
	bad := admin.post("/app/users", url.Values{"csrf": {list.csrf()}, "name": {"Nora Nueva"}, "email": {"nora"}, "role": {"rep"}, "language": {"pt"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `class="field-error"`) {
		t.Errorf("a bad e-mail: %d", bad.Status)
	}
	made := admin.post("/app/users", url.Values{"csrf": {list.csrf()}, "name": {"Nora Nueva"}, "email": {"nora@instrumentos.example"}, "role": {"rep"},
		"language": {"pt"}, "timezone": {"America/Sao_Paulo"}})
	link := regexp.MustCompile(`/login/reset/(pwr_[A-Za-z0-9_-]+)`).FindStringSubmatch(made.Body)
	if made.Status != 200 || link == nil {
		t.Fatalf("create: %s", made)
	}
	if p := e.client().get(link[0]); p.Status != 200 || !strings.Contains(p.Body, "nora@instrumentos.example") {
		t.Errorf("the invitation link: %d", p.Status)
	}
	nora, err := e.DB.UserByEmail(t.Context(), "nora@instrumentos.example")
	if err != nil || nora.Language != "pt" || nora.Timezone != "America/Sao_Paulo" {
		t.Fatalf("stored: %+v %v", nora, err)
	}
	edit := admin.get("/app/users/" + itoa64(nora.ID))
	res := admin.post("/app/users/"+itoa64(nora.ID), url.Values{"csrf": {edit.csrf()}, "name": {"Nora Nueva"}, "role": {"bdr"}, "language": {"es"},
		"timezone": {"America/Bogota"}, "active": {"1"}, "away_from": {"2026-12-24"}, "away_until": {"2026-12-20"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "the absence must end after it starts") {
		t.Errorf("an absence that ends before it starts: %d", res.Status)
	}
	res = admin.post("/app/users/"+itoa64(nora.ID), url.Values{"csrf": {edit.csrf()}, "name": {"Nora Nueva"}, "role": {"bdr"}, "language": {"es"},
		"timezone": {"America/Bogota"}, "active": {"1"}, "away_from": {"2026-12-24"}, "away_until": {"2027-01-02"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("save: %s", res)
	}
	nora, _ = e.DB.User(t.Context(), nora.ID)
	if nora.Role != "bdr" || nora.Language != "es" || nora.AwayFrom == nil || nora.AwayUntil == nil {
		t.Errorf("after the change: %+v", nora)
	}

	// Deactivating Rita ends her session at once.
	rita := e.client()
	rita.signIn("rita")
	ritaID := itoa64(e.Users["rita"].ID)
	res = admin.post("/app/users/"+ritaID, url.Values{"csrf": {edit.csrf()}, "name": {"Rita Rep"}, "role": {"rep"}, "language": {"en"}, "timezone": {"America/Bogota"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("deactivate: %s", res)
	}
	if p := rita.get("/app/queue"); p.Status != http.StatusSeeOther {
		t.Errorf("a deactivated user's session still works: %d", p.Status)
	}

	boss := e.client()
	boss.signIn("marta")
	bl := boss.get("/app/users")
	if strings.Contains(bl.Body, `<option value="admin"`) {
		t.Errorf("a manager is offered the admin role")
	}
	if res := boss.post("/app/users", url.Values{"csrf": {bl.csrf()}, "name": {"X"}, "email": {"x@instrumentos.example"}, "role": {"admin"}, "language": {"es"}}); res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusForbidden {
		t.Errorf("a manager made an admin: %d", res.Status)
	}
	if _, err := e.DB.UserByEmail(t.Context(), "x@instrumentos.example"); err == nil {
		t.Errorf("the admin made by a manager exists")
	}
	rep := e.client()
	rep.signIn("rui")
	if p := rep.get("/app/users"); p.Status != http.StatusForbidden {
		t.Errorf("a rep opened the users page: %d", p.Status)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
