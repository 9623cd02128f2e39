package importer

import (
	"errors"
	"github.com/pistahq/pista/internal/testenv"
	"io"
	"path/filepath"
	"runtime"
	"testing"
)

func TestBankMarketing(t *testing.T) {
	bankFull := testenv.Require(t, "bank-marketing/bank-full.csv")
	_, file, _, _ := runtime.Caller(0)
	opts, err := LoadMapping(filepath.Join(filepath.Dir(file), "..", "..", "examples", "imports", "bank-marketing.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	f := open(t, bankFull, opts)
	if f.Delimiter() != ';' {
		t.Errorf("delimiter %q", f.Delimiter())
	}
	ids := map[string]bool{}
	n, subscribed := 0, 0
	for {
		row, err := f.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		switch {
		case row.Err != nil:
			t.Fatalf("line %d: %v", row.Line, row.Err)
		case row.ExternalID == "" || ids[row.ExternalID]:
			t.Fatalf("line %d: external id %q missing or repeated", row.Line, row.ExternalID)
		case len(row.Missing) > 0:
			t.Fatalf("line %d: missing %v", row.Line, row.Missing)
		}
		ids[row.ExternalID] = true
		in := row.Inquiry
		if in.Person.Age < 18 || in.Source.Format != "purchased_list" || in.Action.Type != "list_import" {
			t.Fatalf("line %d: %+v", row.Line, in)
		}
		if _, ok := in.Person.Attributes["balance"].(float64); !ok {
			t.Fatalf("line %d: balance %#v is not a number", row.Line, in.Person.Attributes["balance"])
		}
		if in.Person.Attributes["subscribed"] == true {
			subscribed++
		}
		if n == 1 {
			check(t, row, map[string]string{"external_id": "bank-full.csv#2", "person.age": "58", "person.education": "tertiary",
				"person.attributes.job": "management (string)", "person.attributes.subscribed": "false (bool)",
				"person.attributes.contact_type": "<none>", "person.attributes.duration": "<none>", "person.country": "PT",
				"notes": ""})
		}
	}
	if n != 45_211 {
		t.Errorf("%d rows; want 45,211", n)
	}
	// 11.7% converted (README).
	if subscribed != 5289 {
		t.Errorf("%d subscribed; want 5,289", subscribed)
	}
}
