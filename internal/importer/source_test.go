package importer

import (
	"testing"

	"github.com/pistahq/pista/internal/vocab"
)

// TestUnknownSourceIsKept: a CRM export's lead source "unknown" says how
// many leads came from nobody knows where; it is kept (and read as the
// channel code unknown), while "unknown" elsewhere still means blank.
func TestUnknownSourceIsKept(t *testing.T) {
	f := open(t, writeFile(t, "crm.csv", "Prospect ID,Email,Lead Source,Empresa\n"+
		"p1,ana@acme.co,unknown,unknown\n"+
		"p2,luis@acme.co,Desconocido,Acme\n"+
		"p3,rosa@acme.co,Olark Chat,Acme\n"+
		"p4,marta@acme.co,N/A,Acme\n"+
		"p5,pedro@acme.co,,Acme\n"), Options{Action: "x"})
	rows := readAll(t, f)
	table := vocab.Compile(nil, nil)
	want := []struct{ channel, code, company string }{
		{"unknown", "unknown", ""},
		{"desconocido", "unknown", "Acme"},
		{"olark chat", "olark_chat", "Acme"},
		{"import", "import", "Acme"}, // a placeholder is blank: the import's channel
		{"import", "import", "Acme"},
	}
	for i, w := range want {
		in := rows[i].Inquiry
		if in.Source.Channel != w.channel || in.Company.Name != w.company {
			t.Errorf("line %d: channel %q company %q, want %q %q", rows[i].Line, in.Source.Channel, in.Company.Name, w.channel, w.company)
		}
		m, _ := table.Map("source.channel", in.Source.Channel)
		if m.Code != w.code {
			t.Errorf("line %d: %q read as %q, want %q", rows[i].Line, in.Source.Channel, m.Code, w.code)
		}
	}
}
