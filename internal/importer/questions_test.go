package importer

import (
	"testing"

	"github.com/pistahq/pista/internal/testenv"
)

// TestNumericColumnsAreAsked: a column whose name suggests a text field
// but whose values are all numbers is kept as a number attribute and
// asked about, never silently read as that field.
func TestNumericColumnsAreAsked(t *testing.T) {
	cases := []struct {
		name, csv   string
		opts        Options
		header      string
		wantPath    string
		wantAsked   bool
		wantCell    string // field of the first row
		wantCellVal string
	}{
		{"counts in campaign", "email;campaign\nana@acme.co;1\nluis@acme.co;3\n", Options{Action: "x"},
			"campaign", "person.attributes.campaign", true, "person.attributes.campaign", "1 (float64)"},
		{"names in campaign", "email;campaign\nana@acme.co;Black Friday 2026\nluis@acme.co;3\n", Options{Action: "x"},
			"campaign", "source.campaign", false, "source.campaign", "Black Friday 2026"},
		{"numeric industry codes", "email;Industria\nana@acme.co;3312\nluis@acme.co;5411\n", Options{Action: "x"},
			"Industria", "person.attributes.industria", true, "person.attributes.industria", "3312 (float64)"},
		{"mapped by the user", "email;campaign\nana@acme.co;1\nluis@acme.co;3\n", Options{Action: "x", Map: map[string]string{"campaign": "source.campaign"}},
			"campaign", "source.campaign", false, "source.campaign", "1"},
		{"external ids stay", "Lead Number;email\n660737;ana@acme.co\n660728;luis@acme.co\n", Options{Action: "x"},
			"Lead Number", "source.external_id", false, "external_id", "660737"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := open(t, writeFile(t, "list.csv", c.csv), c.opts)
			m, _ := f.Mapping()
			if m[c.header] != c.wantPath {
				t.Errorf("%s -> %s, want %s", c.header, m[c.header], c.wantPath)
			}
			qs := f.Questions()
			if asked := len(qs) == 1 && qs[0].Header == c.header; asked != c.wantAsked {
				t.Errorf("questions %v, want asked=%v", qs, c.wantAsked)
			}
			rows := readAll(t, f)
			check(t, rows[0], map[string]string{c.wantCell: c.wantCellVal})
		})
	}
}

// TestBankCampaignIsAsked: the real bank-marketing list's "campaign" is how
// many times the client was called in this campaign.
func TestBankCampaignIsAsked(t *testing.T) {
	f := open(t, testenv.Require(t, "bank-marketing/bank-full.csv"), Options{Action: "list_import"})
	m, _ := f.Mapping()
	if m["campaign"] == "source.campaign" {
		t.Fatal("campaign counts read as source.campaign")
	}
	qs := f.Questions()
	if len(qs) != 1 || qs[0].Header != "campaign" || qs[0].Suggested != "source.campaign" {
		t.Fatalf("questions %+v", qs)
	}
	t.Log(qs[0])
}
