package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pistahq/pista/internal/access"
	"github.com/pistahq/pista/internal/store"
	"github.com/pistahq/pista/internal/waterfall"
)

// TestDemoSalesWaterfall: the demo staffs the definition's teams, routed
// leads get owners, the SLA report has clocks met and breached, and a
// second run on the same database reuses the salespeople.
func TestDemoSalesWaterfall(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	code, out, errs := runCLI(t, "", "demo", "--db", path, "--leads", "400", "--seed", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "Sales waterfall:") || strings.Contains(out, "acts refused") {
		t.Fatalf("output %q", out)
	}
	db, err := openDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	users, err := db.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Email
		if !strings.HasSuffix(u.Email, "@demo.pista.example") {
			t.Errorf("user %s", u.Email)
		}
	}
	teams, err := db.Teams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(teams) != 3 || len(users) != 14 {
		t.Fatalf("%d teams, %d users; want 3 and 14 (12 salespeople, marketing and admin)", len(teams), len(users))
	}
	// Four people to sign in as, one per role, with the passwords printed.
	auth := access.NewAuth(db, nil)
	_, signIns, _ := strings.Cut(out, "Sign in to the web app")
	roles := map[string]bool{}
	for _, line := range strings.Split(signIns, "\n")[1:] {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		if _, _, err := auth.SignIn(ctx, f[1], f[2], "127.0.0.1", "test"); err != nil {
			t.Errorf("sign in as %s %s: %v", f[0], f[1], err)
		}
		roles[f[0]] = true
	}
	if len(roles) != 4 || !roles["rep"] || !roles["manager"] || !roles["marketing"] || !roles["admin"] {
		t.Errorf("sign-ins printed for %v; want rep, manager, marketing and admin in\n%s", roles, signIns)
	}
	for _, tm := range teams {
		if tm.ManagerID == 0 || len(tm.Members) < 2 || len(tm.Members) > 4 || len(tm.Calendar) == 0 {
			t.Errorf("team %s: manager %d, %d members, calendar %s", tm.Name, tm.ManagerID, len(tm.Members), tm.Calendar)
		}
	}
	leads, err := db.ListLeads(ctx, store.ListFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	owned := 0
	for _, l := range leads {
		if l.OwnerID != 0 {
			owned++
		}
	}
	clocks, err := db.ClocksStarted(ctx, time.Unix(0, 0), time.Now().AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var met, breached int
	for _, l := range waterfall.SLAReport(clocks, names, time.Now().AddDate(0, 1, 0)) {
		if l.UserID == 0 { // the teams' lines
			met += l.Met
			breached += l.Breached
		}
	}
	if owned == 0 || met == 0 || breached == 0 {
		t.Errorf("%d leads owned, %d clocks met, %d breached; want some of each", owned, met, breached)
	}
	db.Close()

	code, out, errs = runCLI(t, "", "demo", "--db", path, "--leads", "400", "--seed", "3")
	if code != 0 || !strings.Contains(out, "Sales waterfall:") || strings.Count(out, "(unchanged; a new one: pista user reset-password") != 4 {
		t.Fatalf("second run: exit %d: %s\n%s", code, errs, out)
	}
	db, err = openDB(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if again, err := db.Users(ctx); err != nil || len(again) != len(users) {
		t.Errorf("second run: %d users (%v), want the %d of the first", len(again), err, len(users))
	}
}

// pista demo --until plays up to a moment in the past instead of now, and
// refuses one it cannot read or one still to come, naming the flag.
func TestDemoUntil(t *testing.T) {
	for _, tc := range []struct {
		until string
		code  int
		want  string
	}{
		{"yesterday", 2, `--until "yesterday": want a moment such as`},
		{"2026-12-07", 2, `--until "2026-12-07": want a moment such as`},
		{time.Now().Add(time.Hour).UTC().Format(time.RFC3339), 2, "is in the future"},
		{"2026-11-20T15:30:00Z", 0, "to 2026-11-20 15:30 UTC"},
	} {
		path := filepath.Join(t.TempDir(), "demo.db")
		code, out, errs := runCLI(t, "", "demo", "--db", path, "--leads", "40", "--months", "1", "--until", tc.until)
		if code != tc.code || !strings.Contains(out+errs, tc.want) {
			t.Errorf("--until %s: exit %d, output %q %q; want exit %d and %q", tc.until, code, out, errs, tc.code, tc.want)
		}
		if code != 0 {
			continue
		}
		// The last lead came in before the moment played up to.
		ctx := context.Background()
		db, err := openDB(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		last, err := db.MaxLeadID(ctx)
		if err != nil || last == 0 {
			t.Fatalf("no lead played (%v)", err)
		}
		l, err := db.Lead(ctx, last)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if until, _ := time.Parse(time.RFC3339, tc.until); l.CreatedAt.After(until) || l.CreatedAt.Before(until.AddDate(0, -1, -1)) {
			t.Errorf("--until %s: the last lead came in at %s", tc.until, l.CreatedAt)
		}
	}
}
