package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pistahq/pista/internal/store"
)

// TestCampaignCostsImport: a costs file is imported whole, replacing a
// month already entered; a file with bad lines names each (file:line) and
// imports nothing; the marketing report then divides the costs.
func TestCampaignCostsImport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("costs.csv", "Campaña;Mes;Monto;Moneda\nferia-2026;2026-10;900;usd\nferia-2026;2026-11;1500,50;USD\n")
	code, out, errs := runCLI(t, "", "campaign-costs", "import", "--db", db, good)
	if code != 0 || !strings.Contains(out, "2 campaign costs imported") {
		t.Fatalf("import: %d %q %s", code, out, errs)
	}
	again := write("again.csv", "campaign,month,amount,currency\nferia-2026,2026-11,1600,USD\nwebinar,2026-11,300,USD\n")
	if code, out, errs := runCLI(t, "", "campaign-costs", "import", "--db", db, again); code != 0 || !strings.Contains(out, "2 campaign costs imported") {
		t.Fatalf("import again: %d %q %s", code, out, errs)
	}
	bad := write("bad.csv", "campaign,month,amount,currency\nnew,2026-11,10,USD\nnew,November,10,USD\nother,2026-11,ten,USD\n")
	code, _, errs = runCLI(t, "", "campaign-costs", "import", "--db", db, bad)
	if code != 1 || !strings.Contains(errs, bad+":3: month: want a month as 2026-11") || !strings.Contains(errs, bad+`:4: amount: "ten" is not an amount`) ||
		!strings.Contains(errs, "2 bad lines: nothing imported") {
		t.Fatalf("bad file: exit %d, %s", code, errs)
	}
	if code, _, errs := runCLI(t, "", "campaign-costs", "import", "--db", db); code != 2 || !strings.Contains(errs, "usage") {
		t.Errorf("no file: exit %d, %s", code, errs)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	costs, err := s.CampaignCosts(context.Background(), "2026-01", "2026-12")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range costs {
		got = append(got, c.Campaign+" "+c.Month+" "+c.Currency+" "+strconv.FormatFloat(c.Amount, 'f', -1, 64))
	}
	want := "feria-2026 2026-10 USD 900|feria-2026 2026-11 USD 1600|webinar 2026-11 USD 300"
	if strings.Join(got, "|") != want {
		t.Fatalf("stored %v, want %s (the bad file's line 2 must not be stored)", got, want)
	}
}
