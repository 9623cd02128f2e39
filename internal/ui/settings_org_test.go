package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/report"
)

// The organisation's time zone, which reports count days and weeks in, is
// set on the settings page by an admin, checked as the API checks it;
// other roles neither see the form nor may post it.
func TestSettingsOrganisationTimezone(t *testing.T) {
	e := newEnv(t)
	admin := e.client()
	admin.signIn("ada") // English
	p := admin.get("/app/settings")
	if p.Status != 200 || !strings.Contains(p.Body, `id="s-org-timezone"`) || !strings.Contains(p.Body, "Organisation&#39;s time zone") {
		t.Fatalf("the admin's settings page: %s", p)
	}

	bad := admin.post("/app/settings/organisation", url.Values{"csrf": {p.csrf()}, "org_timezone": {"America/Bogotá"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `class="field-error"`) || !strings.Contains(bad.Body, `value="America/Bogotá"`) {
		t.Fatalf("a zone that does not exist: %s", bad)
	}
	if v, _ := e.DB.Setting(t.Context(), report.TimezoneSetting); v != "" {
		t.Fatalf("a refused zone was stored: %q", v)
	}
	if empty := admin.post("/app/settings/organisation", url.Values{"csrf": {p.csrf()}, "org_timezone": {" "}}); empty.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an empty zone: %s", empty)
	}

	ok := admin.post("/app/settings/organisation", url.Values{"csrf": {p.csrf()}, "org_timezone": {" America/Lima "}})
	if ok.Status != http.StatusSeeOther || ok.Header.Get("Location") != "/app/settings?done=org_saved" {
		t.Fatalf("saving America/Lima: %s", ok)
	}
	if v, err := e.DB.Setting(t.Context(), report.TimezoneSetting); err != nil || v != "America/Lima" {
		t.Fatalf("stored zone %q, %v", v, err)
	}
	if after := admin.get("/app/settings?done=org_saved"); !strings.Contains(after.Body, `value="America/Lima"`) || !strings.Contains(after.Body, "time zone is saved") {
		t.Fatalf("the page after saving: %s", after)
	}

	// In Spanish for a manager: no form, and a post is refused.
	mgr := e.client()
	mgr.signIn("marta")
	mp := mgr.get("/app/settings")
	if mp.Status != 200 || strings.Contains(mp.Body, `id="s-org-timezone"`) {
		t.Fatalf("the manager's settings page: %s", mp)
	}
	if res := mgr.post("/app/settings/organisation", url.Values{"csrf": {mp.csrf()}, "org_timezone": {"UTC"}}); res.Status != http.StatusForbidden {
		t.Fatalf("a manager changing the organisation's zone: %s", res)
	}
	if v, _ := e.DB.Setting(t.Context(), report.TimezoneSetting); v != "America/Lima" {
		t.Fatalf("the manager's post changed the zone to %q", v)
	}
}
