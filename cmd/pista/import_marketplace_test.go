package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// marketplaceOrigins are the channel values of an e-commerce
// marketplace's seller-lead export (its "marketing qualified leads" list:
// mql_id, first_contact_date, landing_page_id, origin), each with the
// built-in channel code it must reach.
var marketplaceOrigins = []struct{ raw, code string }{
	{"social", "social"}, {"paid_search", "paid_search"}, {"organic_search", "organic"}, {"email", "email"},
	{"referral", "referral"}, {"unknown", "unknown"}, {"direct_traffic", "direct"}, {"display", "display"},
	{"other_publicities", "advertising"}, {"", ""},
}

// TestImportMarketplaceSellerLeads: the export's headers are recognised
// (mql_id is the row's key, origin its channel, first_contact_date the
// action's date) without a mapping, every origin reaches a built-in
// channel code, so the dry run lists no unmatched channel, and the dry run
// shows the file's first lines in order although rows finish in any order.
func TestImportMarketplaceSellerLeads(t *testing.T) {
	dir := t.TempDir()
	csvPath, db := filepath.Join(dir, "olist_marketing_qualified_leads_dataset.csv"), filepath.Join(dir, "m.db")
	var b strings.Builder
	b.WriteString("mql_id,first_contact_date,landing_page_id,origin\n")
	const rows = 300
	for i := range rows {
		fmt.Fprintf(&b, "%032x,2018-0%d-%02d,%032x,%s\n", 0xabc000+i, 1+i%5, 1+i%28, 0xdef000+i%7, marketplaceOrigins[i%len(marketplaceOrigins)].raw)
	}
	if err := os.WriteFile(csvPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runCLI(t, "", "import", "--db", db, "--dry-run", "--action", "form_submitted", "--preview", "12", "--quiet", csvPath)
	if code != 0 {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"mql_id                       -> source.external_id",
		"first_contact_date           -> action.at",
		"origin                       -> source.channel",
		"Would import 300 rows: 300 new",
		"300 rows are anonymous leads",
	} {
		if !strings.Contains(errs+out, want) {
			t.Errorf("dry run lacks %q:\n%s%s", want, errs, out)
		}
	}
	if strings.Contains(errs+out, "source.channel:") || strings.Contains(errs+out, "action.type:") {
		t.Errorf("origins or the action left unmatched:\n%s%s", errs, out)
	}
	var lines []int
	for _, m := range regexp.MustCompile(`(?m)^  line +(\d+) `).FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[1])
		lines = append(lines, n)
	}
	if fmt.Sprint(lines) != "[2 3 4 5 6 7 8 9 10 11 12 13]" {
		t.Errorf("the preview shows lines %v, want the file's first 12 (2–13)", lines)
	}
	if !strings.Contains(out, fmt.Sprintf("line      2  created   ok       %032x", 0xabc000)) {
		t.Errorf("the first row is not known by its mql_id:\n%s", out)
	}

	// Imported for real, each lead's explanation says which code its origin
	// was read as (leads 1–10 are the first ten rows, one per origin).
	code, out, errs = runCLI(t, "", "import", "--db", db, "--action", "form_submitted", "--quiet", csvPath)
	if code != 0 || !strings.Contains(out, "300 new") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
	}
	for i, o := range marketplaceOrigins {
		if o.raw == o.code {
			continue // a code as such: nothing to explain
		}
		code, out, errs := runCLI(t, "", "explain", "--db", db, "--lead", strconv.Itoa(i+1))
		if code != 0 {
			t.Fatalf("explain lead %d: exit %d\n%s\n%s", i+1, code, out, errs)
		}
		if !regexp.MustCompile(`source\.channel: "` + o.raw + `" is the \w+ of ` + o.code + `\n`).MatchString(out) {
			t.Errorf("lead %d: origin %q not read as %s:\n%s", i+1, o.raw, o.code, out)
		}
	}
}
